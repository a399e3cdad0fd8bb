using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Pipeline;

public sealed class SampleAccountingTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(1e20f)]
    [InlineData(-300f)]
    public void An_implausible_sample_is_counted_and_never_reaches_the_detector(float value)
    {
        SpscRing<StampedSample> ring = new(64);
        SensorChainFactory chains = new("dsp");
        using PipelineCore core = new(ring, chains, maxSensorId: 0, new CollectingOutput(16), arrivalIsMonotonic: true);

        ring.TryWrite(new StampedSample(new ImuSample(0, 0, 0, 1_000, 0, 0, 1), 1));
        ring.TryWrite(new StampedSample(new ImuSample(0, 1, 0, 2_000, value, 0, 1), 1));
        ring.TryWrite(new StampedSample(new ImuSample(0, 2, 0, 3_000, 0, 0, 16), 1)); // a full-range impact is plausible
        core.Drain();

        Assert.Equal(2, core.Samples);
        Assert.Equal(1, core.Implausible);
        Assert.Equal(3, core.Taken);
        Assert.Equal(2, Assert.Single(chains.Chains).Samples);
    }

    [Fact]
    public void Time_going_backwards_or_jumping_far_ahead_restarts_the_sensor_chain_and_is_counted()
    {
        SpscRing<StampedSample> ring = new(64);
        SensorChainFactory chains = new("dsp");
        using PipelineCore core = new(ring, chains, maxSensorId: 0, new CollectingOutput(16), arrivalIsMonotonic: true);
        long t = 1_000_000_000_000;

        ring.TryWrite(new StampedSample(new ImuSample(0, 0, 0, t, 0, 0, 1), 1));
        ring.TryWrite(new StampedSample(new ImuSample(0, 1, 0, t + 5_000_000, 0, 0, 1), 1));
        ring.TryWrite(new StampedSample(new ImuSample(0, 2, 0, t - 90_000_000_000, 0, 0, 1), 1)); // 90 s back
        ring.TryWrite(new StampedSample(new ImuSample(0, 3, 0, t - 89_995_000_000, 0, 0, 1), 1));
        ring.TryWrite(new StampedSample(new ImuSample(0, 4, 0, t + (100L * 86_400_000_000_000), 0, 0, 1), 1)); // 100 days ahead
        core.Drain();

        Assert.Equal(5, core.Samples);
        Assert.Equal(1, core.BackwardsSteps);
        Assert.Equal(1, core.GapResets);
        SensorChain chain = Assert.Single(chains.Chains);
        Assert.Equal(2, chain.Resets);
        Assert.Equal(5, chain.Samples); // every sample still reaches the (restarted) chain
    }
}
