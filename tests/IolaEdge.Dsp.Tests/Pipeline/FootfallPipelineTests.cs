using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Dsp.Tests.Pipeline;

public sealed class FootfallPipelineTests
{
    [Fact]
    public void Clock_detector_and_gate_allocate_nothing_over_a_long_walk()
    {
        (ImuSample[] samples, _) = new SyntheticGait { Seed = 9 }.Generate(30);
        BurstyDelivery delivery = new() { LossProbability = 0.2, Seed = 9, StartNs = samples[0].SensorTimeNs };
        (ImuSample[] raw, _) = delivery.Generate(samples.Length, i => (samples[i].X, samples[i].Y, samples[i].Z));
        using FootfallPipeline p = new(new SampleClock(), new DspFootfallDetector(), new DecisionGate(new GateOptions { SampleThreshold = 1 }));
        long allocated = -1;
        long fired = 0;

        // Measured on a thread of its own, as the pipeline thread will be: nothing else runs on it.
        Thread thread = new(() =>
        {
            Span<FootfallEvent> events = stackalloc FootfallEvent[p.MaxEventsPerSample];

            // Warm up (JIT, tiering, every path including Reset), then replay until >= 100 000 samples went through.
            for (int pass = 0; pass < 3; pass++)
            {
                p.Reset();
                foreach (ImuSample s in raw)
                {
                    p.Process(s, events);
                }
            }

            long processed = 0;
            ThreadAllocations allocations = ThreadAllocations.Start();
            while (processed < 100_000)
            {
                p.Reset();
                foreach (ImuSample s in raw)
                {
                    fired += p.Process(s, events);
                    processed++;
                }
            }

            allocated = allocations.Bytes;
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, allocated);
        Assert.True(fired > 10);
    }

    [Fact]
    public void Events_carry_sensor_times_from_the_clock_not_raw_arrivals()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 10 }.Generate(20);

        // Same signal delivered in bursts: arrival times are late and bunched.
        BurstyDelivery delivery = new() { Seed = 10, StartNs = samples[0].SensorTimeNs };
        (ImuSample[] raw, _) = delivery.Generate(samples.Length, i => (samples[i].X, samples[i].Y, samples[i].Z));
        using FootfallPipeline p = new(new SampleClock(), new DspFootfallDetector(), new DecisionGate(new GateOptions { SampleThreshold = 1 }));
        Span<FootfallEvent> events = stackalloc FootfallEvent[p.MaxEventsPerSample];
        List<FootfallEvent> all = [];
        foreach (ImuSample s in raw)
        {
            int n = p.Process(s, events);
            for (int i = 0; i < n; i++)
            {
                all.Add(events[i]);
            }
        }

        Assert.NotEmpty(all);
        foreach (FootfallEvent e in all)
        {
            Assert.True(e.DecisionTimeNs >= e.FootfallTimeNs);
            Assert.True(e.PacketArrivalTimeNs >= e.DecisionTimeNs);
        }

        Assert.Equal(all.Count, p.Gate.Fired);
        Assert.Equal(raw.Length, p.Samples);
        Assert.True(all.Count >= truth.Length - 2);
    }
}
