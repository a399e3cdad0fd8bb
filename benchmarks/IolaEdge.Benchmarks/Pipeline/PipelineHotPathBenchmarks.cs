using BenchmarkDotNet.Attributes;
using IolaEdge.Benchmarks.Midi;
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

namespace IolaEdge.Benchmarks.Pipeline;

/// <summary>
/// The pipeline thread's work per sample, with the daemon's real parts: ring → DSP chain → MIDI engine
/// queue (the engine writes to /dev/null on its own thread). One operation = one second of walking
/// (200 samples, about one footfall). Allocated is measured on the benchmark thread, which plays the
/// pipeline thread: the target is 0 B per operation, hence per event. The stamped events' processing
/// latency (MIDI write − ring entry) is summarised after the run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class PipelineHotPathBenchmarks
{
    private const int SamplesPerOperation = 200;

    private ImuSample[] _walk = [];
    private SpscRing<StampedSample> _ring = null!;
    private PipelineCore _core = null!;
    private MidiEngineOutput _output = null!;
    private EventFanOut _fanOut = null!;
    private readonly LatencyHistograms _histograms = new();
    private int _next;
    private long _lapOffsetNs;

    [GlobalSetup]
    public void Setup()
    {
        // 10 simulated minutes, replayed in laps shifted forward in time so the clock never goes back.
        WalkSimulator simulator = new(new WalkOptions { Seed = 5, Duration = TimeSpan.FromMinutes(10) }, DeliveryOptions.Seed);
        List<ImuSample> samples = [];
        while (simulator.TryNext(out SimulatedSample s))
        {
            samples.Add(s.Sample);
        }

        _walk = [.. samples];
        _ring = new SpscRing<StampedSample>(4096);
        _fanOut = new EventFanOut([_histograms], 4096);
        _output = new MidiEngineOutput(new MidiEngine(new RawMidiDeviceOutput("/dev/null"), new MidiMappingOptions()), _fanOut, null);
        _core = new PipelineCore(_ring, new SensorChainFactory("dsp"), maxSensorId: 0, _output, arrivalIsMonotonic: false);
    }

    [Benchmark(Description = "pipeline thread: 200 samples (1 s of walking) -> MIDI queue", OperationsPerInvoke = 1)]
    public int OneSecondOfWalking()
    {
        for (int i = 0; i < SamplesPerOperation; i++)
        {
            ImuSample s = _walk[_next];
            _ring.TryWrite(new StampedSample(
                new ImuSample(s.SensorId, s.Sequence, 0, s.ArrivalTimeNs + _lapOffsetNs, s.X, s.Y, s.Z), MonotonicClock.NowNs()));
            if (++_next == _walk.Length)
            {
                _next = 0;
                _lapOffsetNs += _walk[^1].ArrivalTimeNs - _walk[0].ArrivalTimeNs + 1_000_000_000;
            }
        }

        return _core.Drain();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _output.Complete();
        _fanOut.Complete();
        Console.WriteLine($"// {_core.Samples} samples, {_core.Footfalls} footfalls, MIDI drops {_output.Dropped}");
        Console.WriteLine("// " + _histograms.Describe().Replace("\n", "\n// ", StringComparison.Ordinal));
        _core.Dispose();
        _fanOut.Dispose();
    }
}
