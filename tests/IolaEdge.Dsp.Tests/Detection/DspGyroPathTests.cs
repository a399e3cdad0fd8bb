using System.Numerics;
using IolaEdge.Dsp.Detection;
using IolaEdge.Evaluation;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Simulation;
using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>The <c>dsp</c> detector on samples that carry angular velocity: landings from the foot's pitch rate.</summary>
public sealed class DspGyroPathTests(ITestOutputHelper output)
{
    private EvaluationResult Score(long[] truthNs, List<FootfallEvent> events, string label)
    {
        double[] truth = Array.ConvertAll(truthNs, t => t / 1e6);
        double[] det = events.ConvertAll(e => e.FootfallTimeNs / 1e6).ToArray();
        double[] lat = events.ConvertAll(e => e.AlgorithmicLatencyNs / 1e6).ToArray();
        EvaluationResult r = Evaluator.Score(truth, det, lat, new EvaluationOptions { TolerancesMs = [25, 50, 100], TolerancesSamples = [] });
        output.WriteLine($"{label}: truth {truth.Length} det {det.Length} F1@25 {r.ByTolerance[0].F1:F3} F1@50 {r.ByTolerance[1].F1:F3} "
            + $"median |err| {r.Timing.MedianAbsErrorMs:F1} ms latency p50 {r.Latency.P50Ms:F1} ms");
        return r;
    }

    private static DspFootfallDetector Detector(FootfallPipeline pipeline) => (DspFootfallDetector)pipeline.Detector;

    private (EvaluationResult Result, DspFootfallDetector Detector) GyroWalkAt(double rateHz, int seed)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, RateHz = rateHz, Seed = seed }.Generate(80);
        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples, rateHz: rateHz);
        return (Score(truth, events, $"gyro {rateHz} Hz"), Detector(p));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void Finds_landings_from_the_pitch_rate_whatever_the_mounting(int seed)
    {
        Quaternion mounting = SyntheticGait.RandomMounting(new Random(seed));
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, Mounting = mounting, Seed = seed }.Generate(100);
        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples);
        EvaluationResult r = Score(truth, events, $"gyro, mounting {mounting}");
        Assert.True(r.ByTolerance[1].F1 >= 0.97);
        Assert.InRange(r.Timing.MedianAbsErrorMs, 0, 10);
        Assert.InRange(r.Latency.P50Ms, 0, 30);

        // All but the first strides (while the pitch axis and its sign are learned) come from the gyroscope.
        Assert.True(Detector(p).GyroFootfalls >= Detector(p).Footfalls - 5, $"gyro {Detector(p).GyroFootfalls} of {Detector(p).Footfalls}");
    }

    [Theory]
    [InlineData(100)]
    [InlineData(204.8)]
    public void Finds_landings_from_the_pitch_rate_at_any_rate(double rateHz)
    {
        (EvaluationResult r, DspFootfallDetector detector) = GyroWalkAt(rateHz, seed: 24);
        Assert.True(r.ByTolerance[1].F1 >= 0.97);
        Assert.True(detector.GyroFootfalls > 60);
    }

    // A hard landing is known on the first sample that shows its impact hard, not a sample after its peak: waiting for
    // the peak to pass took 40 ms at 50 Hz, above the 30 ms the detector is held to. (At 200 Hz this gait's impact
    // takes 20 ms to grow hard, so the latency there is the impact's, not the sampling's.)
    [Theory]
    [InlineData(50)]
    [InlineData(100)]
    public void A_hard_landing_is_decided_within_one_sample_of_its_onset(double rateHz)
    {
        (EvaluationResult r, DspFootfallDetector detector) = GyroWalkAt(rateHz, seed: 26);
        Assert.True(r.ByTolerance[1].F1 >= 0.97);
        Assert.True(detector.GyroFootfalls > 60);
        Assert.InRange(r.Latency.P50Ms, 0, (1000 / rateHz) + 0.5);
    }

    [Fact]
    public void The_other_foots_landing_and_a_hard_push_off_are_not_footfalls()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, OtherFootImpactG = 4, PushOffG = 5, Seed = 25 }.Generate(80);
        (List<FootfallEvent> events, _) = DspFootfallDetectorTests.Run(samples);
        EvaluationResult r = Score(truth, events, "gyro, other foot 4 g, push-off 5 g");
        Assert.True(r.ByTolerance[1].F1 >= 0.97);
    }

    [Fact]
    public void Relearns_the_pitch_axis_when_the_sensor_is_remounted()
    {
        Quaternion first = SyntheticGait.RandomMounting(new Random(31));
        Quaternion second = SyntheticGait.RandomMounting(new Random(32));
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, Mounting = first, Remounting = second, RemountAtStride = 50, Seed = 26 }.Generate(100);
        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples);
        Assert.True(Score(truth, events, "gyro, remounted at stride 50").ByTolerance[1].F1 >= 0.95);
        Assert.True(Detector(p).PitchAxisChanges >= 1);
    }

    [Fact]
    public void Falls_back_to_acceleration_when_the_angular_velocity_stops()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, Seed = 27 }.Generate(100);
        int half = samples.Length / 2;
        for (int i = half; i < samples.Length; i++)
        {
            ImuSample s = samples[i];
            samples[i] = new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z);
        }

        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples);
        Assert.True(Score(truth, events, "gyro for half the walk").ByTolerance[1].F1 >= 0.95);
        DspFootfallDetector d = Detector(p);
        Assert.False(d.GyroDeciding);
        Assert.InRange(d.GyroFootfalls, 30, 60);
        Assert.True(d.Footfalls - d.GyroFootfalls >= 40, $"acceleration path {d.Footfalls - d.GyroFootfalls}");
    }

    [Theory]
    [InlineData(0f)] // a gyroscope that streams zeros
    [InlineData(MathF.PI / 180)] // radians per second taken for degrees
    public void A_gyroscope_that_never_turns_with_the_foot_costs_only_the_first_landings_their_wait(float scale)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, Seed = 31 }.Generate(60);
        for (int i = 0; i < samples.Length; i++)
        {
            ImuSample s = samples[i];
            samples[i] = new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z,
                s.AngularVelocityX * scale, s.AngularVelocityY * scale, s.AngularVelocityZ * scale);
        }

        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples);
        (List<FootfallEvent> accelerationOnly, _) = DspFootfallDetectorTests.Run(samples, new DspDetectorOptions { UseGyro = false });

        Assert.True(Score(truth, events, $"gyroscope x{scale}").ByTolerance[1].F1 >= 0.95);
        Assert.Equal(accelerationOnly.ConvertAll(e => e.FootfallTimeNs), events.ConvertAll(e => e.FootfallTimeNs));
        Assert.Equal(3, Detector(p).HeldForStillFoot);
        Assert.All(events.Skip(3), e => Assert.True(e.AlgorithmicLatencyNs < 150 * 1_000_000L, $"latency {e.AlgorithmicLatencyNs / 1e6} ms"));
    }

    [Fact]
    public void Ignores_the_gyroscope_when_told_to()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, Seed = 28 }.Generate(60);
        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples, new DspDetectorOptions { UseGyro = false });
        Assert.True(Score(truth, events, "gyro ignored").ByTolerance[1].F1 >= 0.95);
        Assert.Equal(0, Detector(p).GyroFootfalls);
        Assert.False(Detector(p).GyroDeciding);
    }

    [Fact]
    public void Corrupt_angular_velocity_is_skipped_without_losing_the_walk()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, Seed = 29 }.Generate(80);
        for (int i = 3000; i < samples.Length; i += 997)
        {
            ImuSample s = samples[i];
            float bad = i % 2 == 0 ? float.NaN : 1e9f;
            samples[i] = new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z, bad, bad, bad);
        }

        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples);
        Assert.True(Score(truth, events, "gyro with corrupt readings").ByTolerance[1].F1 >= 0.97);
        Assert.True(Detector(p).GyroFootfalls > 60);
    }

    [Fact]
    public void A_standing_walker_with_a_gyroscope_produces_no_footfalls()
    {
        (ImuSample[] samples, _) = new SyntheticGait { WithGyro = true, LeadInMs = 30_000, Seed = 30 }.Generate(1);
        (List<FootfallEvent> events, _) = DspFootfallDetectorTests.Run(samples[..(int)(29_000 / 5)]);
        Assert.Empty(events);
    }

    // A flat-footed walker: the pitch rate falls from the swing to zero at the heel strike and never reverses, and the
    // next reversal is the heel rising before the toe-off.
    private (EvaluationResult Result, DspFootfallDetector Detector) FlatFootedWalk(DspDetectorOptions options, string label)
    {
        Quaternion mounting = SyntheticGait.RandomMounting(new Random(41));
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, FlatLanding = true, Mounting = mounting, Seed = 41 }.Generate(80);
        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples, options);
        return (Score(truth, events, label), Detector(p));
    }

    [Fact]
    public void A_foot_that_lands_flat_without_a_pitch_reversal_is_found_at_its_impact()
    {
        (EvaluationResult r, DspFootfallDetector detector) = FlatFootedWalk(new DspDetectorOptions(), "flat landings");
        Assert.True(r.ByTolerance[1].F1 >= 0.95);
        Assert.InRange(r.Timing.MedianAbsErrorMs, 0, 10);
        Assert.True(detector.UnreversedFootfalls > 60, $"unreversed {detector.UnreversedFootfalls} of {detector.Footfalls}");
        Assert.True(detector.GyroDeciding);
    }

    [Fact]
    public void Without_the_unreversed_landings_a_flat_footed_walk_is_lost_to_its_toe_offs()
    {
        (EvaluationResult r, DspFootfallDetector detector) = FlatFootedWalk(
            new DspDetectorOptions { GyroUnreversedWaitMs = 0, GyroStanceMs = 0 }, "flat landings, reversal-only gyro path");
        Assert.True(r.ByTolerance[1].F1 < 0.2);
        Assert.Equal(0, detector.UnreversedFootfalls);
    }

    [Fact]
    public void A_foot_that_lies_still_after_its_swing_does_not_take_the_next_heel_rise_for_its_landing()
    {
        (EvaluationResult r, _) = FlatFootedWalk(new DspDetectorOptions { GyroUnreversedWaitMs = 0 }, "flat landings, stance ends the swing");
        Assert.Equal(0, r.ByTolerance[2].FalsePositives);
    }

    // The walk simulator's own walker, landing on the heel or flat-footed, mounted at random, through an ideal link.
    private (EvaluationResult Result, DspFootfallDetector Detector) SimulatedWalker(LandingStyle landing)
    {
        (ImuSample[] samples, long[] truth) = SimulatedWalkEvaluation.Record(
            new WalkOptions { Seed = 42, Duration = TimeSpan.FromMinutes(2), Landing = landing }, DeliveryOptions.FromPreset("ideal"));
        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples);
        return (Score(truth, events, $"simulated walk, {landing} landings"), Detector(p));
    }

    [Theory]
    [InlineData(LandingStyle.Heel)]
    [InlineData(LandingStyle.Flat)]
    public void The_simulated_walker_is_found_whether_it_lands_on_its_heel_or_flat(LandingStyle landing)
    {
        (EvaluationResult r, DspFootfallDetector detector) = SimulatedWalker(landing);
        Assert.True(r.ByTolerance[1].F1 >= 0.95);
        Assert.InRange(r.Latency.P50Ms, 0, landing == LandingStyle.Heel ? 30 : 80);
        if (landing == LandingStyle.Heel)
        {
            Assert.True(detector.GyroFootfalls > detector.Footfalls * 0.9, $"gyro {detector.GyroFootfalls} of {detector.Footfalls}");
        }
        else
        {
            Assert.True(detector.UnreversedFootfalls > detector.Footfalls * 0.9, $"unreversed {detector.UnreversedFootfalls} of {detector.Footfalls}");
        }
    }

    // A gyroscope scaled down: at x0.15 this gait's swing (about 60 °/s) never arms a swing and its heel rise (about
    // 95 °/s) outvotes it, so the pitch sign settles the wrong way; at x0.2 the sign never settles.
    private (EvaluationResult Result, DspFootfallDetector Detector) GentleGyroscope(float scale, DspDetectorOptions options, string label)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { WithGyro = true, Seed = 33, Mounting = SyntheticGait.RandomMounting(new Random(33)) }.Generate(60);
        for (int i = 0; i < samples.Length; i++)
        {
            ImuSample s = samples[i];
            samples[i] = new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z,
                s.AngularVelocityX * scale, s.AngularVelocityY * scale, s.AngularVelocityZ * scale);
        }

        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples, options);
        return (Score(truth, events, label), Detector(p));
    }

    [Fact]
    public void A_gyroscope_whose_landings_never_come_is_set_aside_for_the_acceleration_path()
    {
        (EvaluationResult r, DspFootfallDetector detector) = GentleGyroscope(0.15f, new DspDetectorOptions(), "gyroscope x0.15");
        Assert.True(r.ByTolerance[1].F1 >= 0.9);
        Assert.True(detector.GyroSetAside >= 1);
        Assert.False(detector.GyroDeciding);
    }

    [Fact]
    public void Without_setting_it_aside_the_acceleration_landings_are_left_to_a_gyroscope_that_finds_none()
    {
        (EvaluationResult r, DspFootfallDetector detector) = GentleGyroscope(0.15f, new DspDetectorOptions { GyroMaxMissedLandings = 0 },
            "gyroscope x0.15, never set aside");
        Assert.True(r.ByTolerance[1].F1 < 0.2);
        Assert.Equal(0, detector.GyroSetAside);
    }

    [Fact]
    public void A_gyroscope_whose_sign_never_settles_stops_holding_landings_after_six_footfalls()
    {
        (EvaluationResult r, DspFootfallDetector detector) = GentleGyroscope(0.2f, new DspDetectorOptions(), "gyroscope x0.2");
        (_, DspFootfallDetector holding) = GentleGyroscope(0.2f, new DspDetectorOptions { GyroMaxUnsettledFootfalls = 0 }, "gyroscope x0.2, never set aside");
        Assert.True(r.ByTolerance[1].F1 >= 0.95);
        Assert.InRange(detector.HeldForStillFoot, 1, 7);
        Assert.True(holding.HeldForStillFoot > 15, $"held {holding.HeldForStillFoot}");
    }
}
