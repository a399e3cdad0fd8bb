using System.Numerics;
using IolaEdge.Dsp.Detection;
using IolaEdge.Evaluation;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Dsp.Timing;
using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests.Detection;

public sealed class DspFootfallDetectorTests(ITestOutputHelper output)
{
    internal static (List<FootfallEvent> Events, FootfallPipeline Pipeline) Run(ImuSample[] samples, DspDetectorOptions? options = null, double rateHz = 200)
    {
        options ??= new DspDetectorOptions();
        options.NominalRateHz = rateHz;
        FootfallPipeline p = new(new SampleClock(new SampleClockOptions { NominalRateHz = rateHz }), new DspFootfallDetector(options),
            new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));
        List<FootfallEvent> events = [];
        Span<FootfallEvent> buf = stackalloc FootfallEvent[p.MaxEventsPerSample];
        foreach (ImuSample s in samples)
        {
            int n = p.Process(s, buf);
            for (int i = 0; i < n; i++)
            {
                events.Add(buf[i]);
            }
        }

        return (events, p);
    }

    private EvaluationResult Score(long[] truthNs, List<FootfallEvent> events, string label)
    {
        double[] truth = Array.ConvertAll(truthNs, t => t / 1e6);
        double[] det = events.ConvertAll(e => e.FootfallTimeNs / 1e6).ToArray();
        double[] lat = events.ConvertAll(e => e.AlgorithmicLatencyNs / 1e6).ToArray();
        EvaluationResult r = Evaluator.Score(truth, det, lat, new EvaluationOptions { TolerancesMs = [25, 50, 100], TolerancesSamples = [] });
        output.WriteLine($"{label}: truth {truth.Length} det {det.Length} F1@25 {r.ByTolerance[0].F1:F3} F1@50 {r.ByTolerance[1].F1:F3} F1@100 {r.ByTolerance[2].F1:F3} "
            + $"median err {r.Timing.MedianSignedErrorMs:F1} ms latency p50 {r.Latency.P50Ms:F1} ms");
        return r;
    }

    private static double F1At50(EvaluationResult r) => r.ByTolerance[1].F1;

    [Theory]
    [InlineData(800, 1)]
    [InlineData(1100, 2)]
    [InlineData(1500, 3)]
    public void Finds_footfalls_of_a_synthetic_walk_at_any_cadence(double strideMs, int seed)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { StrideMs = strideMs, Seed = seed }.Generate(120);
        Assert.True(F1At50(Score(truth, Run(samples).Events, $"stride {strideMs} ms")) >= 0.95);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Works_whatever_the_sensor_mounting(int seed)
    {
        Quaternion mounting = SyntheticGait.RandomMounting(new Random(seed));
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Mounting = mounting, Seed = seed }.Generate(100);
        Assert.True(F1At50(Score(truth, Run(samples).Events, $"mounting {mounting}")) >= 0.95);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(204.8)]
    public void Works_at_any_sensor_rate_from_100_to_205_Hz(double rateHz)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { RateHz = rateHz, Seed = 15 }.Generate(100);
        (List<FootfallEvent> events, _) = Run(samples, rateHz: rateHz);
        EvaluationResult r = Score(truth, events, $"{rateHz} Hz");
        Assert.True(F1At50(r) >= 0.95);
        Assert.InRange(r.Timing.MedianAbsErrorMs, 0, 10);
    }

    [Fact]
    public void Works_on_a_sensor_clipped_at_4_g()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 16, PushOffG = 3 }.Generate(100);
        ImuSample[] clipped = Array.ConvertAll(samples, s => new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs,
            Math.Clamp(s.X, -4f, 4f), Math.Clamp(s.Y, -4f, 4f), Math.Clamp(s.Z, -4f, 4f)));
        Assert.True(F1At50(Score(truth, Run(clipped).Events, "clipped at 4 g")) >= 0.95);
    }

    [Fact]
    public void Works_on_a_sensor_behind_a_heavy_low_pass_filter()
    {
        // Some sensor makes low-pass their output hard: behind an 8 Hz filter a landing keeps a fraction of its
        // jerk, mostly under the fixed impact floor; the floor that follows the walk's own jerk finds most of them.
        (ImuSample[] raw, long[] truth) = SimulatedWalkEvaluation.Record(
            new WalkOptions { Seed = 1, Duration = TimeSpan.FromMinutes(2), CadenceMin = 90, CadenceMax = 110 }, DeliveryOptions.FromPreset("ideal"));
        ImuSample[] filtered = LowPass(raw, cutoffHz: 8, rateHz: 200);
        double adaptive = Score(truth, Run(filtered).Events, "8 Hz low-pass").ByTolerance[2].F1;
        double fixedFloor = Score(truth, Run(filtered, new DspDetectorOptions { ImpactFloorFraction = 0 }).Events,
            "8 Hz low-pass, fixed floor").ByTolerance[2].F1;
        Assert.True(adaptive >= 0.75, $"F1@100 {adaptive:F3}");
        Assert.True(fixedFloor < adaptive - 0.15, $"fixed floor F1@100 {fixedFloor:F3} against {adaptive:F3}");
    }

    [Fact]
    public void Works_through_bursty_lossy_delivery_with_the_sample_clock()
    {
        (ImuSample[] exact, long[] truth) = new SyntheticGait { Seed = 21 }.Generate(100);

        // Re-deliver the same signal in BLE-like bursts with 25 % loss; the clock reconstructs times.
        BurstyDelivery delivery = new() { LossProbability = 0.25, Seed = 21, StartNs = exact[0].SensorTimeNs };
        (ImuSample[] bursty, _) = delivery.Generate(exact.Length, i => (exact[i].X, exact[i].Y, exact[i].Z));
        (List<FootfallEvent> events, FootfallPipeline p) = Run(bursty);
        output.WriteLine($"clock: lost est {p.Clock.EstimatedLostSamples}, true lost {exact.Length - bursty.Length}");
        Assert.True(Score(truth, events, "bursty 25 % loss").ByTolerance[2].F1 >= 0.9);
    }

    [Fact]
    public void Places_the_footfall_at_the_onset_of_the_impact_and_decides_within_tens_of_milliseconds()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 4 }.Generate(60);
        (List<FootfallEvent> events, FootfallPipeline p) = Run(samples);
        EvaluationResult r = Score(truth, events, "placement");
        Assert.InRange(r.Timing.MedianSignedErrorMs, -5, 5);
        Assert.True(r.Latency.P50Ms <= 40, $"median latency {r.Latency.P50Ms}");
        DspFootfallDetector d = (DspFootfallDetector)p.Detector;
        Assert.InRange(d.StridePeriodMs, 1000, 1200);
        Assert.True(d.ConfirmedFootfalls > 50, $"confirmed {d.ConfirmedFootfalls}");
    }

    [Fact]
    public void A_standing_walker_produces_no_footfalls()
    {
        ImuSample[] samples = new ImuSample[20_000];
        Random rng = new(3);
        for (int i = 0; i < samples.Length; i++)
        {
            long ns = 1_000_000_000L + (i * 5_000_000L);
            samples[i] = new ImuSample(0, i, ns, ns, (float)(rng.NextDouble() * 0.02), 0.01f, 1f + (float)(rng.NextDouble() * 0.02));
        }

        Assert.Empty(Run(samples).Events);
    }

    [Fact]
    public void Shuffling_before_the_walk_is_not_reported_as_footfalls()
    {
        // Three shuffles while standing (a kick to 3 g, the foot left tilted, then slowly set down), each
        // from rest: jerk bursts, but each starts from a stance, not from a swing.
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 6, LeadInMs = 6000 }.Generate(40);
        long start = samples[0].SensorTimeNs;
        for (int i = 0; i < samples.Length; i++)
        {
            double ms = (samples[i].SensorTimeNs - start) / 1e6;
            foreach (double at in (double[])[800, 2200, 3800])
            {
                if (ms >= at && ms < at + 1100)
                {
                    Vector3 a = Shuffle(ms - at);
                    ImuSample s = samples[i];
                    samples[i] = new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, a.X, a.Y, a.Z);
                }
            }
        }

        (List<FootfallEvent> events, FootfallPipeline p) = Run(samples);
        DspFootfallDetector d = (DspFootfallDetector)p.Detector;
        output.WriteLine($"impacts {d.Impacts}, rejected {d.RejectedImpacts}");
        Assert.DoesNotContain(events, e => e.FootfallTimeNs < truth[0] - 100_000_000);
        Assert.True(d.RejectedImpacts >= 3, $"rejected {d.RejectedImpacts}");
        Assert.True(F1At50(Score(truth, events, "after shuffles")) >= 0.95);
    }

    [Fact]
    public void A_push_off_harder_than_the_landing_is_not_a_footfall()
    {
        // The push-off's jerk exceeds the landing's; it follows a stance (the foot points along gravity's
        // stance direction), so it is no landing, and the rhythm is never anchored on it.
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 9, PushOffG = 3 }.Generate(80);
        (List<FootfallEvent> events, FootfallPipeline p) = Run(samples);
        long[] offPhase = events.Select(e => e.FootfallTimeNs).Where(t => truth.Min(f => Math.Abs(t - f)) > 100_000_000).ToArray();
        output.WriteLine($"rejected {((DspFootfallDetector)p.Detector).RejectedImpacts}; detections away from any footfall: {offPhase.Length}");
        Assert.Empty(offPhase);
        Assert.True(F1At50(Score(truth, events, "strong push-off")) >= 0.95);
    }

    [Fact]
    public void The_other_foots_landing_felt_in_stance_is_not_a_footfall()
    {
        // Half a stride after each landing the other foot lands; its impact reaches this foot, standing in
        // stance, as a jerk burst as hard as its own landing's. That is the anti-phase trap.
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 17, OtherFootImpactG = 2.5 }.Generate(80);
        (List<FootfallEvent> events, _) = Run(samples);
        long[] offPhase = events.Select(e => e.FootfallTimeNs).Where(t => truth.Min(f => Math.Abs(t - f)) > 100_000_000).ToArray();
        Assert.Empty(offPhase);
        Assert.True(F1At50(Score(truth, events, "other foot felt in stance")) >= 0.95);
    }

    [Fact]
    public void A_weak_jolt_late_in_the_swing_gives_way_to_the_landing_that_follows()
    {
        // A jolt starting 70 ms before each landing is an impact of its own (a third as hard as the landing), after
        // a swing. Held for a moment as weak, it gives way to the landing; judged at once it would take the
        // landing's place and block it.
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 19, LateSwingJoltG = 1.5 }.Generate(80);
        (List<FootfallEvent> held, FootfallPipeline p) = Run(samples);
        (List<FootfallEvent> atOnce, _) = Run(samples, new DspDetectorOptions { WeakImpactHoldMs = 0 });
        EvaluationResult r = Score(truth, held, "jolt, held");
        EvaluationResult r0 = Score(truth, atOnce, "jolt, judged at once");
        output.WriteLine($"superseded {((DspFootfallDetector)p.Detector).SupersededImpacts}");
        Assert.True(F1At50(r) >= 0.95);
        Assert.InRange(r.Timing.MedianSignedErrorMs, -5, 5);
        Assert.True(F1At50(r) > F1At50(r0) + 0.1, $"held {F1At50(r):F3}, at once {F1At50(r0):F3}");
    }

    [Fact]
    public void A_walk_on_uneven_ground_is_found()
    {
        // Every stance rests tilted 30° a different way: the learned stance direction is never exact.
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 10, UnevenGroundDegrees = 30 }.Generate(60);
        Assert.True(F1At50(Score(truth, Run(samples).Events, "uneven ground")) >= 0.9);
    }

    [Fact]
    public void The_first_steps_are_reported_at_once()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 7 }.Generate(30);
        (List<FootfallEvent> events, _) = Run(samples);
        Assert.True(F1At50(Score(truth, events, "first steps")) >= 0.95);
        // This gait's first landing comes without a swing (the foot was standing before it): the first real
        // stride's landing is the first footfall, found at its impact, at once.
        Assert.True(Math.Abs(events[0].FootfallTimeNs - truth[1]) < 25_000_000, "the first stride is found at its impact");
        Assert.True(events[0].AlgorithmicLatencyNs < 50_000_000, $"first latency {events[0].AlgorithmicLatencyNs / 1e6} ms");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(1e20f)]
    [InlineData(float.NegativeInfinity)]
    public void An_impossible_sample_is_counted_and_skipped_without_silencing_the_detector(float value)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 18 }.Generate(60);
        int i = samples.Length / 4;
        ImuSample s = samples[i];
        samples[i] = new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, value, s.Y, s.Z);
        (List<FootfallEvent> events, FootfallPipeline p) = Run(samples);
        Assert.Equal(1, ((DspFootfallDetector)p.Detector).ImplausibleSamples);
        Assert.True(F1At50(Score(truth, events, $"one sample of {value}")) >= 0.95);
    }

    private static Vector3 Shuffle(double ms)
    {
        Vector3 up = Vector3.UnitZ;
        Quaternion Tilt(double degrees) => Quaternion.CreateFromAxisAngle(Vector3.UnitY, (float)(degrees * Math.PI / 180));
        return ms switch
        {
            < 150 => up * (float)(1 + (2 * Math.Sin(Math.PI * ms / 150))),
            < 650 => Vector3.Transform(up, Tilt(70)) * 0.9f,
            < 1050 => Vector3.Transform(up, Tilt(70 * (1 - ((ms - 650) / 400)))),
            _ => up,
        };
    }

    [Fact]
    public void Reset_forgets_cadence_and_counters()
    {
        (ImuSample[] samples, _) = new SyntheticGait { Seed = 8 }.Generate(20);
        DspFootfallDetector d = new();
        Span<DetectorScore> scores = stackalloc DetectorScore[d.MaxScoresPerSample];
        foreach (ImuSample s in samples)
        {
            d.Process(s, scores);
        }

        Assert.True(d.StridePeriodMs > 0);
        Assert.True(d.Footfalls > 0);
        d.Reset();
        Assert.Equal(0, d.StridePeriodMs);
        Assert.Equal(0, d.Footfalls);
        Assert.Equal(0, d.Impacts);
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(1, 80, 90)]
    [InlineData(2, 140, 165)]
    public void Finds_a_simulated_walk_at_its_impacts(int seed, double cadenceMin, double cadenceMax)
    {
        WalkOptions walk = new()
        {
            Seed = seed, Duration = TimeSpan.FromMinutes(3), CadenceMin = cadenceMin, CadenceMax = cadenceMax, Mounting = MountingMode.Random,
        };
        DspFootfallDetector detector = new();
        using FootfallPipeline p = new(new SampleClock(), detector, new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));
        SimulatedWalkRun run = SimulatedWalkEvaluation.Run(walk, DeliveryOptions.FromPreset("ideal"), p);
        EvaluationResult r = run.Score(new EvaluationOptions { TolerancesMs = [25, 50, 100], TolerancesSamples = [] });
        output.WriteLine($"truth {r.TruthCount} det {r.DetectionCount} F1@25 {r.ByTolerance[0].F1:F3} F1@50 {r.ByTolerance[1].F1:F3} period {detector.StridePeriodMs:F0} ms");

        Assert.True(r.ByTolerance[1].F1 >= 0.95, $"F1@50 {r.ByTolerance[1].F1}");
        Assert.InRange(detector.StridePeriodMs, 60_000.0 * 2 / (cadenceMax + 5), 60_000.0 * 2 / (cadenceMin - 5));
    }

    [Theory]
    [InlineData("SwingCosine", 2.0)]
    [InlineData("OnsetFraction", 0.0)]
    [InlineData("JerkSpanMs", double.NaN)]
    [InlineData("MaxStrideMs", 100.0)]
    [InlineData("ImpactFloorFraction", 1.5)]
    [InlineData("ImpactFloorHalfLifeMs", 10.0)]
    public void A_bad_option_fails_naming_the_key(string key, double value)
    {
        DspDetectorOptions o = new();
        typeof(DspDetectorOptions).GetProperty(key)!.SetValue(o, value);
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new DspFootfallDetector(o));
        Assert.Equal(key, e.ParamName);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    // A causal second-order Butterworth low-pass per axis (bilinear transform), as a sensor's own filter would be.
    private static ImuSample[] LowPass(ImuSample[] samples, double cutoffHz, double rateHz)
    {
        double k = Math.Tan(Math.PI * cutoffHz / rateHz);
        double norm = 1 / (1 + (Math.Sqrt(2) * k) + (k * k));
        double b0 = k * k * norm, b1 = 2 * b0, b2 = b0;
        double a1 = 2 * ((k * k) - 1) * norm, a2 = (1 - (Math.Sqrt(2) * k) + (k * k)) * norm;
        double[] x1 = new double[3], x2 = new double[3], y1 = new double[3], y2 = new double[3];
        ImuSample first = samples[0];
        double[] start = [first.X, first.Y, first.Z];
        for (int c = 0; c < 3; c++)
        {
            x1[c] = x2[c] = y1[c] = y2[c] = start[c];
        }

        ImuSample[] output = new ImuSample[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            ImuSample s = samples[i];
            double[] x = [s.X, s.Y, s.Z];
            double[] y = new double[3];
            for (int c = 0; c < 3; c++)
            {
                y[c] = (b0 * x[c]) + (b1 * x1[c]) + (b2 * x2[c]) - (a1 * y1[c]) - (a2 * y2[c]);
                x2[c] = x1[c];
                x1[c] = x[c];
                y2[c] = y1[c];
                y1[c] = y[c];
            }

            output[i] = new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, (float)y[0], (float)y[1], (float)y[2]);
        }

        return output;
    }
}
