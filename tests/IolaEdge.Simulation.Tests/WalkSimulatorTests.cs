using IolaEdge.Simulation;
using IolaEdge.Simulation.Tests.Support;

namespace IolaEdge.Simulation.Tests;

public sealed class WalkSimulatorTests
{
    private static WalkOptions Minutes(double minutes, long seed = 7) =>
        new() { Seed = seed, Duration = TimeSpan.FromMinutes(minutes) };

    [Fact]
    public void The_same_seed_gives_an_identical_walk_and_another_seed_a_different_one()
    {
        SimulatedWalk a = SimulatedWalk.Run(Minutes(2), DeliveryOptions.Seed);
        SimulatedWalk b = SimulatedWalk.Run(Minutes(2), DeliveryOptions.Seed);
        SimulatedWalk c = SimulatedWalk.Run(Minutes(2, seed: 8), DeliveryOptions.Seed);

        Assert.Equal(a.Samples, b.Samples);
        Assert.Equal(a.Footfalls, b.Footfalls);
        Assert.NotEqual(a.Samples.Select(s => s.Sample.X), c.Samples.Select(s => s.Sample.X));
    }

    [Fact]
    public void The_delivery_model_does_not_change_the_walk_itself()
    {
        SimulatedWalk seed = SimulatedWalk.Run(Minutes(1), DeliveryOptions.Seed);
        SimulatedWalk ideal = SimulatedWalk.Run(Minutes(1), DeliveryOptions.Ideal);

        Assert.Equal(ideal.Footfalls, seed.Footfalls);
        Dictionary<long, SimulatedSample> byIndex = ideal.Samples.ToDictionary(s => s.TruthIndex);
        foreach (SimulatedSample s in seed.Samples)
        {
            SimulatedSample truth = byIndex[s.TruthIndex];
            Assert.Equal(truth.TruthSensorTimeNs, s.TruthSensorTimeNs);
            Assert.Equal(truth.Sample.X, s.Sample.X);
        }
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(90, 120)]
    [InlineData(76, 80)]
    [InlineData(160, 170)]
    public void The_footfall_count_matches_cadence_and_duration(double cadenceMin, double cadenceMax)
    {
        WalkOptions walk = Minutes(5) with { CadenceMin = cadenceMin, CadenceMax = cadenceMax, Pauses = false };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.Ideal);

        // One instrumented foot lands once per stride = two steps.
        double walkingSeconds = walk.Duration.TotalSeconds - walk.InitialStillSeconds;
        double fewest = (walkingSeconds * cadenceMin / 120) - 2;
        double most = (walkingSeconds * cadenceMax / 120) + 2;
        Assert.InRange(w.Footfalls.Count, fewest, most);
        Assert.Equal(w.Footfalls.Count, w.Simulator.Footfalls);

        for (int i = 1; i < w.Footfalls.Count; i++)
        {
            double stride = (w.Footfalls[i] - w.Footfalls[i - 1]) / 1e9;
            Assert.InRange(stride, (120 / cadenceMax) - 1e-6, (120 / cadenceMin) + 1e-6);
        }
    }

    [Fact]
    public void Pauses_stretch_some_strides_and_keep_footfalls_inside_the_walk()
    {
        WalkOptions walk = Minutes(10) with { CadenceMin = 100, CadenceMax = 100 };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.Ideal);

        int paused = 0;
        for (int i = 1; i < w.Footfalls.Count; i++)
        {
            if (w.Footfalls[i] - w.Footfalls[i - 1] > 2_500_000_000)
            {
                paused++;
            }
        }

        Assert.InRange(paused, 1, 20);
        Assert.All(w.Footfalls, f => Assert.InRange(f, WalkSimulator.DefaultStartNs, WalkSimulator.DefaultStartNs + (long)walk.Duration.TotalNanoseconds));
    }

    [Fact]
    public void The_seed_preset_reproduces_the_seed_recordings_bursts_and_rate()
    {
        SimulatedWalk w = SimulatedWalk.Run(Minutes(3), DeliveryOptions.Seed);
        DeliverySummary d = w.Delivery();

        // Seed recording (same measure): 138 Hz, bursts median 11 (mean 6.8), gaps median 43 ms, p10 40, p90 49.
        Assert.InRange(d.EffectiveRateHz, 125, 150);
        Assert.Equal(11, d.MedianBurstSize);
        Assert.InRange(d.MedianGapMs, 40, 50);
        Assert.True(d.FractionOfGapsIn40To50Ms > 0.8, d.ToString());
        Assert.True(w.Simulator.Lost > w.Simulator.Generated / 5, "about 30 % of samples are lost");
    }

    [Fact]
    public void The_packed75_preset_delivers_nearly_every_sample_in_triples_every_15_ms()
    {
        SimulatedWalk w = SimulatedWalk.Run(Minutes(3), DeliveryOptions.Packed75);
        DeliverySummary d = w.Delivery();

        Assert.InRange(d.EffectiveRateHz, 195, 201);
        Assert.Equal(3, d.MedianBurstSize);
        Assert.InRange(d.MedianGapMs, 10, 16);
        Assert.True(w.Simulator.Lost < w.Simulator.Generated / 100, d.ToString());
    }

    [Fact]
    public void The_ideal_preset_delivers_every_sample_when_it_is_taken()
    {
        SimulatedWalk w = SimulatedWalk.Run(Minutes(1), DeliveryOptions.Ideal);

        Assert.Equal(12_000, w.Samples.Count);
        Assert.Equal(0, w.Simulator.Lost);
        Assert.All(w.Samples, s => Assert.Equal(s.TruthSensorTimeNs, s.Sample.ArrivalTimeNs));
        Assert.Equal(200.0, w.Delivery().EffectiveRateHz, 3);
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("packed75")]
    [InlineData("ideal")]
    public void Delivered_samples_are_raw_in_arrival_order_never_before_they_were_taken(string preset)
    {
        SimulatedWalk w = SimulatedWalk.Run(Minutes(1), DeliveryOptions.FromPreset(preset));

        for (int i = 0; i < w.Samples.Count; i++)
        {
            SimulatedSample s = w.Samples[i];
            Assert.Equal(0, s.Sample.SensorTimeNs);
            Assert.True(s.Sample.ArrivalTimeNs >= s.TruthSensorTimeNs);
            if (i > 0)
            {
                SimulatedSample p = w.Samples[i - 1];
                Assert.True(s.Sample.ArrivalTimeNs >= p.Sample.ArrivalTimeNs);
                Assert.True(s.TruthIndex > p.TruthIndex);
                Assert.True(s.TruthSensorTimeNs > p.TruthSensorTimeNs);
                Assert.Equal(p.Sample.Sequence + 1, s.Sample.Sequence);
            }
        }
    }

    [Fact]
    public void Truth_times_can_be_stamped_as_sensor_times()
    {
        SimulatedWalk w = SimulatedWalk.Run(Minutes(0.5), DeliveryOptions.Seed, truthTimes: true);
        Assert.All(w.Samples, s => Assert.Equal(s.TruthSensorTimeNs, s.Sample.SensorTimeNs));
    }

    [Fact]
    public void Clock_skew_changes_the_true_sample_period()
    {
        SimulatedWalk w = SimulatedWalk.Run(Minutes(0.5) with { ClockSkewPpm = 10_000 }, DeliveryOptions.Ideal);
        double period = (w.Samples[^1].TruthSensorTimeNs - w.Samples[0].TruthSensorTimeNs) / (double)(w.Samples.Count - 1);
        Assert.Equal(5e6 / 1.01, period, 0);
    }
}
