using IolaEdge.Daemon.Latency;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Daemon.Tests.Pipeline;

public sealed class RealChainAllocationTests
{
    [Fact]
    public void The_pipeline_thread_work_with_the_dsp_chain_and_the_midi_engine_allocates_nothing_per_footfall()
    {
        WalkSimulator simulator = new(new WalkOptions { Seed = 9, Duration = TimeSpan.FromMinutes(4) }, DeliveryOptions.Seed);
        List<ImuSample> walk = [];
        while (simulator.TryNext(out SimulatedSample s))
        {
            walk.Add(s.Sample);
        }

        LatencyHistograms histograms = new();
        using EventFanOut fanOut = new([histograms], 4096);
        using MidiEngineOutput output = new(new MidiEngine(new RawMidiDeviceOutput("/dev/null"), new MidiMappingOptions()), fanOut, null);
        SpscRing<StampedSample> ring = new(1024);
        using PipelineCore core = new(ring, new SensorChainFactory("dsp"), maxSensorId: 0, output, arrivalIsMonotonic: false);
        int half = walk.Count / 2;

        Feed(walk, 0, half, ring, core); // warm-up: JIT tiers, detector adaptation
        long footfallsBefore = core.Footfalls;
        ThreadAllocations allocations = ThreadAllocations.Start();
        int collectionsBefore = GC.CollectionCount(0);
        Feed(walk, half, walk.Count, ring, core);
        long allocated = allocations.Bytes;

        Assert.True(core.Footfalls - footfallsBefore > 60, $"only {core.Footfalls - footfallsBefore} footfalls in the measured half");
        // The context tells a real allocation from a starved MIDI thread (a full queue: drops) or other tests' collections.
        Assert.True(allocated == 0, $"{allocated} B allocated over {core.Footfalls - footfallsBefore} footfalls; " +
            $"gen-0 collections meanwhile: {GC.CollectionCount(0) - collectionsBefore}; MIDI drops: {output.Dropped}");
        output.Complete();
        fanOut.Complete();
        Assert.Equal(core.Footfalls, histograms.Count + output.Dropped); // every footfall was written and stamped (or counted)
    }

    private static void Feed(List<ImuSample> walk, int from, int to, SpscRing<StampedSample> ring, PipelineCore core)
    {
        for (int i = from; i < to; i++)
        {
            while (!ring.TryWrite(new StampedSample(walk[i], MonotonicClock.NowNs())))
            {
                core.Drain();
            }

            if ((i & 15) == 15)
            {
                core.Drain(); // BLE-like bursts of 16 samples
            }
        }

        core.Drain();
    }
}
