using IolaEdge.Simulation;

namespace IolaEdge.Simulation.Tests;

public sealed class SimulationSpecTests
{
    [Fact]
    public void The_documented_example_parses_into_its_options()
    {
        SimulationSpec spec = SimulationSpec.Parse("sim:seed=7,minutes=10,cadence=90-120,preset=seed,mount=random");
        Assert.Equal(7, spec.Walk.Seed);
        Assert.Equal(TimeSpan.FromMinutes(10), spec.Walk.Duration);
        Assert.Equal(90, spec.Walk.CadenceMin);
        Assert.Equal(120, spec.Walk.CadenceMax);
        Assert.Same(DeliveryOptions.Seed, spec.Delivery);
        Assert.Equal(MountingMode.Random, spec.Walk.Mounting);
    }

    [Fact]
    public void A_bare_prefix_gives_sane_defaults()
    {
        SimulationSpec spec = SimulationSpec.Parse("sim:");
        Assert.Equal(SimulationPace.Fast, spec.Pace);
        Assert.Equal("seed", spec.Preset);
        Assert.Equal(WalkSimulator.DefaultStartNs, spec.StartNs);
        Assert.Equal(16, spec.Walk.RangeG);
        Assert.False(spec.TruthSensorTimes);
        Assert.Equal(spec, SimulationSpec.Parse("sim"));
    }

    [Fact]
    public void Every_key_parses_and_the_canonical_text_round_trips()
    {
        SimulationSpec spec = SimulationSpec.Parse(
            "sim:seed=-3, minutes=0.5,cadence=110,preset=packed75,mount=aligned,range=4,noise=0.02,drift=0,pauses=off,turns=off,landing=flat,skew=-250,pace=realtime,speed=4,start=2025-05-14T15:33:28Z,times=truth,sensor=1");
        Assert.Equal(-3, spec.Walk.Seed);
        Assert.Equal(110, spec.Walk.CadenceMin);
        Assert.Equal(110, spec.Walk.CadenceMax);
        Assert.Equal(DeliveryOptions.Packed75, spec.Delivery);
        Assert.Equal(4, spec.Walk.RangeG);
        Assert.False(spec.Walk.Pauses);
        Assert.Equal(LandingStyle.Flat, spec.Walk.Landing);
        Assert.Equal(-250, spec.Walk.ClockSkewPpm);
        Assert.Equal(SimulationPace.RealTime, spec.Pace);
        Assert.Equal(4, spec.Speed);
        Assert.Equal(1_747_236_808_000_000_000, spec.StartNs);
        Assert.True(spec.TruthSensorTimes);
        Assert.Equal(1, spec.SensorId);
        Assert.Equal(spec, SimulationSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void Interval_and_loss_override_the_presets_link()
    {
        SimulationSpec spec = SimulationSpec.Parse("sim:loss=0.05,preset=seed,interval=30");
        Assert.Equal(30, spec.Delivery.ConnectionIntervalMs);
        Assert.Equal(0.05, spec.Delivery.RandomLossProbability);
        Assert.Equal(DeliveryOptions.Seed.NotificationsPerEventGood, spec.Delivery.NotificationsPerEventGood);
        Assert.Equal(spec, SimulationSpec.Parse(spec.ToString()));

        FormatException e = Assert.Throws<FormatException>(() => SimulationSpec.Parse("sim:preset=ideal,loss=0.1"));
        Assert.Contains("'loss'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sim:interval=5", "'interval'", "[7.5, 50]")]
    [InlineData("sim:color=red", "'color'", "seed, minutes")]
    [InlineData("sim:preset=fast", "'preset'", "seed, packed75, ideal")]
    [InlineData("sim:cadence=40-80", "'cadence'", "[75, 171.4]")]
    [InlineData("sim:cadence=120-90", "'cadence'", "lo-hi")]
    [InlineData("sim:minutes=0", "'minutes'", "(0, 1440]")]
    [InlineData("sim:seed=x", "'seed'", "integer")]
    [InlineData("sim:mount=left", "'mount'", "random, aligned")]
    [InlineData("sim:range=3", "'range'", "2, 4, 8, 16")]
    [InlineData("sim:pauses=yes", "'pauses'", "on or off")]
    [InlineData("sim:landing=toe", "'landing'", "heel or flat")]
    [InlineData("sim:start=yesterday", "'start'", "ISO-8601")]
    [InlineData("sim:seed=1,seed=2", "'seed'", "twice")]
    [InlineData("sim:seed", "'seed'", "key=value")]
    [InlineData("file:walk.csv", "sim:", "sim:")]
    public void A_bad_spec_names_the_key_and_the_allowed_values(string text, string key, string allowed)
    {
        FormatException e = Assert.Throws<FormatException>(() => SimulationSpec.Parse(text));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, e.Message, StringComparison.Ordinal);
        Assert.False(SimulationSpec.TryParse(text, out _, out string? error));
        Assert.Equal(e.Message, error);
    }
}
