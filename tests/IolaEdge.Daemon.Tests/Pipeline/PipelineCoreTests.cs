using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Pipeline;

public sealed class PipelineCoreTests
{
    [Fact]
    public void Draining_two_walking_sensors_allocates_nothing_and_hands_every_footfall_to_the_output()
    {
        ImuSample[] left = Walks.Samples(seed: 3, seconds: 240, sensorId: 0);
        ImuSample[] right = Walks.Samples(seed: 4, seconds: 240, sensorId: 1);
        int perSensor = Math.Min(left.Length, right.Length);
        SpscRing<StampedSample> ring = new(1024);
        CollectingOutput output = new(100_000);
        using PipelineCore core = new(ring, new SensorChainFactory("dsp"), maxSensorId: 1, output, arrivalIsMonotonic: false);

        // Warm-up with the same loop: JIT tiering, first-call paths and the detectors' adaptation.
        Feed(ring, core, left, right, 0, perSensor / 2);

        // Steady state is measured three times and the least is kept: a per-sample allocation shows in every
        // pass, while a one-off runtime event in a loaded test process (seen once in CI: 4 KiB during one pass)
        // does not repeat.
        int third = (perSensor - (perSensor / 2)) / 3;
        long allocated = long.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            int from = (perSensor / 2) + (pass * third);
            ThreadAllocations allocations = ThreadAllocations.Start();
            Feed(ring, core, left, right, from, pass == 2 ? perSensor : from + third);
            allocated = Math.Min(allocated, allocations.Bytes);
        }

        Assert.Equal(0, allocated);
        Assert.Equal(2L * perSensor, core.Samples);
        Assert.True(core.Footfalls > 300, $"only {core.Footfalls} footfalls in two 4-minute walks");
        Assert.Equal(core.Footfalls, output.Events.Length);
        Assert.Equal(0, output.Dropped);
    }

    [Fact]
    public void Samples_of_an_unknown_sensor_are_counted_and_skipped()
    {
        SpscRing<StampedSample> ring = new(64);
        SensorChainFactory chains = new("dsp");
        using PipelineCore core = new(ring, chains, maxSensorId: 0, new CollectingOutput(16), arrivalIsMonotonic: true);

        ring.TryWrite(new StampedSample(new ImuSample(3, 0, 0, 1, 0, 0, 1), 1));
        ring.TryWrite(new StampedSample(new ImuSample(-1, 0, 0, 1, 0, 0, 1), 1));
        ring.TryWrite(new StampedSample(new ImuSample(0, 0, 5, 1, 0, 0, 1), 1));
        core.Drain();

        Assert.Equal(2, core.Rejected);
        Assert.Equal(1, core.Samples);
        Assert.Equal(1, Assert.Single(chains.Chains).Samples);
    }

    [Fact]
    public void Replayed_samples_give_events_the_monotonic_time_the_completing_sample_entered_the_ring()
    {
        ImuSample[] walk = Walks.Samples(seed: 5, seconds: 30);
        SpscRing<StampedSample> ring = new(walk.Length);
        CollectingOutput output = new(1000);
        using PipelineCore core = new(ring, new SensorChainFactory("dsp"), maxSensorId: 0, output, arrivalIsMonotonic: false);
        const long FirstEnqueuedNs = 111;
        for (int i = 0; i < walk.Length; i++)
        {
            Assert.True(ring.TryWrite(new StampedSample(walk[i], FirstEnqueuedNs + i)));
        }

        core.Drain();

        Assert.True(output.Events.Length > 10, $"only {output.Events.Length} footfalls");
        foreach (FootfallEvent footfall in output.Events)
        {
            int completing = Array.FindIndex(walk, s => s.SensorTimeNs == footfall.DecisionTimeNs); // detection stays on the file's clock
            Assert.True(completing >= 0);
            Assert.Equal(FirstEnqueuedNs + completing, footfall.PacketArrivalTimeNs);
            Assert.True(footfall.AlgorithmicLatencyNs >= 0); // a hard landing is decided on the sample its impact shows in
        }

        Assert.Contains(output.Events.ToArray(), footfall => footfall.AlgorithmicLatencyNs > 0);
    }

    [Fact]
    public void Live_samples_keep_the_source_arrival_stamp()
    {
        ImuSample[] walk = Walks.Samples(seed: 5, seconds: 30);
        SpscRing<StampedSample> ring = new(walk.Length);
        CollectingOutput output = new(1000);
        using PipelineCore core = new(ring, new SensorChainFactory("dsp"), maxSensorId: 0, output, arrivalIsMonotonic: true);
        foreach (ImuSample sample in walk)
        {
            Assert.True(ring.TryWrite(new StampedSample(sample, EnqueuedNs: 1)));
        }

        core.Drain();

        Assert.True(output.Events.Length > 10, $"only {output.Events.Length} footfalls");
        foreach (FootfallEvent footfall in output.Events)
        {
            ImuSample completing = Array.Find(walk, s => s.SensorTimeNs == footfall.DecisionTimeNs);
            Assert.Equal(completing.ArrivalTimeNs, footfall.PacketArrivalTimeNs);
        }
    }

    [Fact]
    public void The_pipeline_thread_drains_everything_written_before_completion()
    {
        ImuSample[] walk = Walks.Samples(seed: 6, seconds: 30);
        SpscRing<StampedSample> ring = new(8192);
        using PipelineWakeup wakeup = new();
        SampleRingSink sink = new(ring, wakeup);
        CollectingOutput output = new(10_000);
        using PipelineCore core = new(ring, new SensorChainFactory("dsp"), maxSensorId: 0, output, arrivalIsMonotonic: true);
        PipelineThread thread = new(core, wakeup);
        thread.Start();

        foreach (ImuSample sample in walk)
        {
            Assert.True(sink.OnSample(sample));
        }

        thread.Complete();

        Assert.Null(thread.Fault);
        Assert.Equal(walk.Length, core.Samples);
        Assert.True(core.Footfalls > 10, $"only {core.Footfalls} footfalls");
        Assert.Equal(core.Footfalls, output.Events.Length);
        Assert.Equal(0, sink.Dropped);
    }

    private static void Feed(SpscRing<StampedSample> ring, PipelineCore core, ImuSample[] left, ImuSample[] right, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            foreach (ImuSample sample in (ReadOnlySpan<ImuSample>)[left[i], right[i]])
            {
                while (!ring.TryWrite(new StampedSample(sample, sample.ArrivalTimeNs)))
                {
                    core.Drain();
                }
            }

            if ((i & 15) == 15)
            {
                core.Drain(); // BLE-like bursts of 16 samples per sensor
            }
        }

        core.Drain();
    }
}

public sealed class PipelineWatchdogWiringTests
{
    [Fact]
    public void An_idle_pipeline_thread_still_feeds_the_systemd_watchdog_and_a_stopped_one_does_not()
    {
        int pings = 0;
        IolaEdge.Daemon.Systemd.SystemdNotifier notifier = new(new CountingNotifier(() => Interlocked.Increment(ref pings)));
        using IolaEdge.Daemon.Systemd.PipelineWatchdog watchdog = new(notifier, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeSpan.FromMilliseconds(30));
        SpscRing<StampedSample> ring = new(16);
        using PipelineWakeup wakeup = new();
        using PipelineCore core = new(ring, new SensorChainFactory("dsp"), 0, new CollectingOutput(4), arrivalIsMonotonic: true);
        PipelineThread thread = new(core, wakeup, watchdog);

        thread.Start();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref pings) >= 3, TimeSpan.FromSeconds(10)));
        thread.Complete();
        long missedBefore = watchdog.Missed;

        Assert.True(SpinWait.SpinUntil(() => watchdog.Missed > missedBefore + 2, TimeSpan.FromSeconds(10)));
    }

    /// <summary>An enabled <see cref="Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier"/> that counts WATCHDOG=1 messages.</summary>
    private sealed class CountingNotifier(Action onWatchdog) : Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier
    {
        public bool IsEnabled => true;

        public void Notify(Microsoft.Extensions.Hosting.Systemd.ServiceState state)
        {
            if (state.ToString().Contains("WATCHDOG=1", StringComparison.Ordinal))
            {
                onWatchdog();
            }
        }
    }
}
