using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Tests.Gate;

public sealed class DecisionGateTests
{
    private const long Ms = 1_000_000;

    private static DetectorScore S(long ms, float score, float window = 1f) => new(0, ms * Ms, (ms + 30) * Ms, (ms + 35) * Ms, score, window, 2f);

    [Fact]
    public void A_score_at_the_sample_threshold_fires_with_its_times()
    {
        DecisionGate gate = new(new GateOptions { SampleThreshold = 0.5 });
        Assert.False(gate.Evaluate(S(100, 0.49f), out _));
        Assert.True(gate.Evaluate(S(200, 0.5f), out FootfallEvent e));
        Assert.Equal((200 * Ms, 230 * Ms, 235 * Ms, 0L, 2f), (e.FootfallTimeNs, e.DecisionTimeNs, e.PacketArrivalTimeNs, e.Sequence, e.Strength));
        Assert.Equal(30 * Ms, e.AlgorithmicLatencyNs);
    }

    [Fact]
    public void The_window_threshold_must_pass_too()
    {
        DecisionGate gate = new(new GateOptions { SampleThreshold = 0.5, WindowThreshold = 0.8 });
        Assert.False(gate.Evaluate(S(0, 1f, 0.7f), out _));
        Assert.True(gate.Evaluate(S(10, 1f, 0.8f), out _));
    }

    [Fact]
    public void N_of_m_needs_enough_recent_hits_and_places_the_footfall_at_the_first()
    {
        DecisionGate gate = new(new GateOptions { SampleThreshold = 0.5, HitsRequired = 3, HitWindow = 4 });
        Assert.False(gate.Evaluate(S(0, 0.9f), out _));
        Assert.False(gate.Evaluate(S(5, 0.1f), out _));
        Assert.False(gate.Evaluate(S(10, 0.9f), out _));
        Assert.True(gate.Evaluate(S(15, 0.9f), out FootfallEvent e));
        Assert.Equal(0, e.FootfallTimeNs);

        // Hits that slid out of the window do not count.
        Assert.False(gate.Evaluate(S(1000, 0.9f), out _));
        Assert.False(gate.Evaluate(S(1005, 0.1f), out _));
        Assert.False(gate.Evaluate(S(1010, 0.1f), out _));
        Assert.False(gate.Evaluate(S(1015, 0.9f), out _));
        Assert.False(gate.Evaluate(S(1020, 0.9f), out _));
    }

    [Fact]
    public void The_minimum_interval_suppresses_and_counts_close_footfalls()
    {
        DecisionGate gate = new(new GateOptions { SampleThreshold = 0.5, MinIntervalMs = 300 });
        Assert.True(gate.Evaluate(S(0, 1f), out _));
        Assert.False(gate.Evaluate(S(0, 1f), out _));
        Assert.False(gate.Evaluate(S(299, 1f), out _));
        Assert.True(gate.Evaluate(S(300, 1f), out FootfallEvent e));
        Assert.Equal(1, e.Sequence);
        Assert.Equal(2, gate.Suppressed);
        Assert.Equal(2, gate.Fired);
    }

    [Fact]
    public void Change_applies_in_place_and_keeps_the_refractory_state()
    {
        DecisionGate gate = new(new GateOptions { SampleThreshold = 0.9, MinIntervalMs = 300 });
        Assert.True(gate.Evaluate(S(0, 1f), out _));
        gate.Change(new GateOptions { SampleThreshold = 0.2, MinIntervalMs = 300 });
        Assert.False(gate.Evaluate(S(100, 0.3f), out _)); // passes the new threshold, still refractory
        Assert.True(gate.Evaluate(S(400, 0.3f), out _));
        Assert.Equal(0.2, gate.Options.SampleThreshold);
    }

    [Theory]
    [InlineData("SampleThreshold", 1.5)]
    [InlineData("WindowThreshold", -0.1)]
    [InlineData("MinIntervalMs", 6000.0)]
    public void A_bad_option_fails_naming_the_key(string key, double value)
    {
        GateOptions o = new();
        typeof(GateOptions).GetProperty(key)!.SetValue(o, value);
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionGate(o));
        Assert.Equal(key, e.ParamName);
        DecisionGate gate = new();
        Assert.Throws<ArgumentOutOfRangeException>(() => gate.Change(o));
        Assert.Equal(new GateOptions().SampleThreshold, gate.Options.SampleThreshold);
    }

    [Fact]
    public void More_hits_than_the_window_fails_naming_hits_required()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(
            () => new DecisionGate(new GateOptions { HitsRequired = 5, HitWindow = 4 }));
        Assert.Equal("HitsRequired", e.ParamName);
        Assert.Equal("HitWindow", Assert.Throws<ArgumentOutOfRangeException>(
            () => new DecisionGate(new GateOptions { HitWindow = 65 })).ParamName);
    }
}
