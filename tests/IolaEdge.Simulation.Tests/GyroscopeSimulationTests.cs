using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Evaluation;
using IolaEdge.Simulation;
using IolaEdge.Simulation.Tests.Support;

namespace IolaEdge.Simulation.Tests;

/// <summary>The simulator's gyroscope channel (issue 12): consistent with the gait, the contacts and the mounting.</summary>
public sealed class GyroscopeSimulationTests
{
    private const long Period = 5_000_000;

    private static WalkOptions Aligned(int seed) => new()
    {
        Seed = seed, Duration = TimeSpan.FromMinutes(2), Mounting = MountingMode.Aligned, DriftDegrees = 0,
    };

    /// <summary>The foot's pitch rate (toe up positive) in an aligned mount: −ω about y (y points left).</summary>
    private static float PitchRate(SimulatedSample s) => -s.Sample.AngularVelocityY;

    private static float Norm(SimulatedSample s) => MathF.Sqrt((s.Sample.AngularVelocityX * s.Sample.AngularVelocityX)
        + (s.Sample.AngularVelocityY * s.Sample.AngularVelocityY) + (s.Sample.AngularVelocityZ * s.Sample.AngularVelocityZ));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void The_pitch_rate_changes_sign_from_positive_to_negative_at_every_truth_contact(int seed)
    {
        SimulatedWalk w = SimulatedWalk.Run(Aligned(seed), DeliveryOptions.Ideal);
        List<SimulatedSample> samples = w.Samples;
        Assert.True(w.Footfalls.Count > 100);
        int checkedContacts = 0;
        foreach (long contact in w.Footfalls)
        {
            int after = samples.FindIndex(s => s.TruthSensorTimeNs >= contact);
            if (after < 20 || after + 20 >= samples.Count)
            {
                continue;
            }

            // Positive for the 50 ms before the contact, negative for the 50 ms after (a few °/s of bias and noise
            // aside: the two samples next to the crossing are left out), and the crossing is within one sample.
            for (int k = 2; k <= 10; k++)
            {
                Assert.True(PitchRate(samples[after - k]) > 0, $"seed {seed}, contact {contact}: {PitchRate(samples[after - k])} °/s at -{k} samples");
                Assert.True(PitchRate(samples[after + k - 1]) < 0, $"seed {seed}, contact {contact}: {PitchRate(samples[after + k - 1])} °/s at +{k - 1} samples");
            }

            int crossing = after - 2;
            while (PitchRate(samples[crossing + 1]) > 0)
            {
                crossing++;
            }

            // The last positive sample and the first negative one bracket the contact within a period either way.
            Assert.InRange(samples[crossing + 1].TruthSensorTimeNs - contact, -Period, 2 * Period);
            checkedContacts++;
        }

        Assert.True(checkedContacts > 100);
    }

    [Fact]
    public void The_swing_peak_is_a_few_hundred_degrees_per_second_and_stance_is_quiet()
    {
        SimulatedWalk w = SimulatedWalk.Run(Aligned(3), DeliveryOptions.Ideal);
        List<SimulatedSample> s = w.Samples;
        var peaks = new List<float>();
        var stance = new List<float>();
        for (int f = 1; f < w.Footfalls.Count; f++)
        {
            long from = w.Footfalls[f - 1], to = w.Footfalls[f];
            if (to - from > 1_700_000_000)
            {
                continue; // a pause inside the stride
            }

            List<SimulatedSample> stride = s.FindAll(x => x.TruthSensorTimeNs >= from && x.TruthSensorTimeNs < to);
            peaks.Add(stride.Max(PitchRate));
            long mid = from + ((to - from) * 3 / 10);
            stance.AddRange(stride.Where(x => Math.Abs(x.TruthSensorTimeNs - mid) < 40_000_000).Select(x => MathF.Abs(PitchRate(x))));
        }

        peaks.Sort();
        stance.Sort();
        Assert.InRange(peaks[peaks.Count / 2], 250, 800);
        Assert.True(stance[stance.Count / 2] < 15, $"median |pitch rate| in mid-stance {stance[stance.Count / 2]} °/s");
    }

    [Theory]
    [InlineData(41)]
    [InlineData(43)]
    public void The_dsp_detectors_gyroscope_path_finds_the_footfalls_of_a_walk_in_any_mounting(int seed)
    {
        // The swing is one long lobe, as on real feet, so the pitch sign can be told and the gyro path decides.
        WalkOptions walk = new() { Seed = seed, Duration = TimeSpan.FromMinutes(2), Mounting = MountingMode.Random };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.Ideal, truthTimes: true);
        var detector = new DspFootfallDetector(new DspDetectorOptions { NominalRateHz = 200 });
        FootfallPipeline p = new(new SampleClock(new SampleClockOptions { NominalRateHz = 200 }), detector,
            new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));
        var detections = new List<double>();
        Span<FootfallEvent> events = stackalloc FootfallEvent[p.MaxEventsPerSample];
        foreach (SimulatedSample s in w.Samples)
        {
            int n = p.Process(s.Sample, events);
            for (int i = 0; i < n; i++)
            {
                detections.Add(events[i].FootfallTimeNs / 1e6);
            }
        }

        double[] truth = w.Footfalls.Select(f => f / 1e6).ToArray();
        EvaluationResult r = Evaluator.Score(truth, [.. detections], new double[detections.Count],
            new EvaluationOptions { TolerancesMs = [25], TolerancesSamples = [] });
        Assert.True(r.ByTolerance[0].F1 >= 0.97, $"F1@25 {r.ByTolerance[0].F1:F3}");
        Assert.True(detector.GyroFootfalls >= detector.Footfalls - 3, $"gyro {detector.GyroFootfalls} of {detector.Footfalls}");
    }

    [Fact]
    public void A_random_mounting_rotates_the_angular_velocity_like_the_acceleration()
    {
        WalkOptions aligned = Aligned(9) with { Duration = TimeSpan.FromMinutes(1), NoiseG = 0 };
        SimulatedWalk a = SimulatedWalk.Run(aligned, DeliveryOptions.Ideal);
        SimulatedWalk r = SimulatedWalk.Run(aligned with { Mounting = MountingMode.Random }, DeliveryOptions.Ideal);
        bool rotated = false;
        for (int i = 0; i < a.Samples.Count; i++)
        {
            // Quantisation: 1/16.4 °/s per axis.
            Assert.Equal(Norm(a.Samples[i]), Norm(r.Samples[i]), 0.15f);
            rotated |= MathF.Abs(a.Samples[i].Sample.AngularVelocityY - r.Samples[i].Sample.AngularVelocityY) > 50;
        }

        Assert.True(rotated);
    }

    [Fact]
    public void Standing_still_reads_the_bias_and_noise_of_about_a_degree_per_second()
    {
        WalkOptions walk = new() { Seed = 5, Duration = TimeSpan.FromSeconds(10), InitialStillSeconds = 3 };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.Ideal);
        List<float> still = w.Samples.Where(s => s.TruthSensorTimeNs - WalkSimulator.DefaultStartNs < 2_500_000_000).Select(Norm).ToList();
        still.Sort();
        Assert.InRange(still[still.Count / 2], 0.2, 5);
        Assert.True(still[^1] < 10);
    }

    [Fact]
    public void Gyro_off_gives_the_same_acceleration_without_angular_velocity()
    {
        WalkOptions walk = new() { Seed = 11, Duration = TimeSpan.FromSeconds(30) };
        SimulatedWalk on = SimulatedWalk.Run(walk, DeliveryOptions.Seed);
        SimulatedWalk off = SimulatedWalk.Run(walk with { Gyroscope = false }, DeliveryOptions.Seed);
        Assert.Equal(on.Samples.Count, off.Samples.Count);
        Assert.Equal(on.Footfalls, off.Footfalls);
        for (int i = 0; i < on.Samples.Count; i++)
        {
            Assert.True(on.Samples[i].Sample.HasAngularVelocity);
            Assert.False(off.Samples[i].Sample.HasAngularVelocity);
            Assert.Equal((on.Samples[i].Sample.X, on.Samples[i].Sample.Y, on.Samples[i].Sample.Z, on.Samples[i].Sample.ArrivalTimeNs),
                (off.Samples[i].Sample.X, off.Samples[i].Sample.Y, off.Samples[i].Sample.Z, off.Samples[i].Sample.ArrivalTimeNs));
        }
    }

    [Fact]
    public void The_spec_key_gyro_turns_the_channel_off_and_round_trips()
    {
        SimulationSpec off = SimulationSpec.Parse("sim:seed=2,gyro=off");
        Assert.False(off.Walk.Gyroscope);
        Assert.True(SimulationSpec.Parse("sim:seed=2").Walk.Gyroscope);
        Assert.Contains(",gyro=off,", off.ToString(), StringComparison.Ordinal);
        Assert.Equal(off, SimulationSpec.Parse(off.ToString()));
        Assert.False(SimulationSpec.TryParse("sim:gyro=maybe", out _, out string? error));
        Assert.Contains("gyro", error, StringComparison.Ordinal);
        Assert.Contains("on or off", error, StringComparison.Ordinal);
    }
}
