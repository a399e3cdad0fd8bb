using System.Numerics;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Evaluation;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Simulation;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Dsp.Timing;
using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests.Detection;

public sealed class DspFootfallDetectorTests(ITestOutputHelper output)
{
    internal static (List<FootfallEvent> Events, FootfallPipeline Pipeline) Run(ImuSample[] samples, DspDetectorOptions? options = null)
    {
        FootfallPipeline p = new(new SampleClock(), new DspFootfallDetector(options),
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

    private ToleranceResult Score(long[] truthNs, List<FootfallEvent> events, string label)
    {
        double[] truth = Array.ConvertAll(truthNs, t => t / 1e6);
        double[] det = events.ConvertAll(e => e.FootfallTimeNs / 1e6).ToArray();
        double[] lat = events.ConvertAll(e => e.AlgorithmicLatencyNs / 1e6).ToArray();
        EvaluationResult r = Evaluator.Score(truth, det, lat, new EvaluationOptions { TolerancesMs = [50, 100], TolerancesSamples = [] });
        ToleranceResult at100 = r.ByTolerance[1];
        output.WriteLine($"{label}: truth {truth.Length} det {det.Length} F1@50 {r.ByTolerance[0].F1:F3} F1@100 {at100.F1:F3} "
            + $"median err {r.Timing.MedianSignedErrorMs:F1} ms latency p50 {r.Latency.P50Ms:F1} ms");
        return at100;
    }

    [Theory]
    [InlineData(800, 1)]
    [InlineData(1100, 2)]
    [InlineData(1500, 3)]
    public void Finds_footfalls_of_a_synthetic_walk_at_any_cadence(double strideMs, int seed)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { StrideMs = strideMs, Seed = seed }.Generate(120);
        (List<FootfallEvent> events, _) = Run(samples);
        output.WriteLine(string.Join(' ', events.Take(30).Select(e => (e.FootfallTimeNs - truth.MinBy(t => Math.Abs(t - e.FootfallTimeNs))) / 1_000_000)));
        Assert.True(Score(truth, events, $"stride {strideMs} ms").F1 >= 0.95);
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
        (List<FootfallEvent> events, _) = Run(samples);
        Assert.True(Score(truth, events, $"mounting {mounting}").F1 >= 0.95);
    }

    [Fact]
    public void Works_through_bursty_lossy_delivery_with_the_sample_clock()
    {
        (ImuSample[] exact, long[] truth) = new SyntheticGait { Seed = 21 }.Generate(100);

        // Re-deliver the same signal in BLE-like bursts with 25 % loss; the clock reconstructs times.
        BurstyDelivery delivery = new() { LossProbability = 0.25, Seed = 21, StartNs = exact[0].SensorTimeNs };
        (ImuSample[] bursty, long[] trueTimes) = delivery.Generate(exact.Length, i => (exact[i].X, exact[i].Y, exact[i].Z));
        (List<FootfallEvent> events, FootfallPipeline p) = Run(bursty);
        output.WriteLine($"clock: lost est {p.Clock.EstimatedLostSamples}, true lost {exact.Length - bursty.Length}; max true time {trueTimes[^1]}");
        Assert.True(Score(truth, events, "bursty 25 % loss").F1 >= 0.9);
    }

    [Fact]
    public void Latency_stays_within_the_confirmation_time_for_landings()
    {
        (ImuSample[] samples, _) = new SyntheticGait { Seed = 4 }.Generate(60);
        (List<FootfallEvent> events, FootfallPipeline p) = Run(samples);
        DspFootfallDetector d = (DspFootfallDetector)p.Detector;
        Assert.True(d.Landings > 50);
        double[] lat = events.ConvertAll(e => e.AlgorithmicLatencyNs / 1e6).ToArray();
        Assert.True(Statistics.Median(lat) <= 40, $"median latency {Statistics.Median(lat)}");
        Assert.InRange(d.StridePeriodMs, 1000, 1200);
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
        // Three shuffles while standing (a kick to 3 g, the foot left tilted, then slowly set down) before
        // the walk: each looks like a landing, but no rhythm is locked yet, no stance follows the fall, and
        // they are not a stride apart (0.65 s, then 1.25 s).
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 6, LeadInMs = 6000 }.Generate(40);
        long start = samples[0].SensorTimeNs;
        for (int i = 0; i < samples.Length; i++)
        {
            double ms = (samples[i].SensorTimeNs - start) / 1e6;
            foreach (double at in (double[])[1000, 1650, 2900])
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
        output.WriteLine($"deferred landings {d.DeferredLandings}, late detections {d.LateDetections}");
        Assert.DoesNotContain(events, e => e.FootfallTimeNs < truth[0] - 100_000_000);
        Assert.True(d.DeferredLandings >= 3, $"deferred {d.DeferredLandings}");
        Assert.True(Score(truth, events, "after shuffles").F1 >= 0.95);
    }

    [Fact]
    public void A_push_off_after_a_landing_whose_stance_was_missed_is_not_a_footfall()
    {
        // Every fourth stance is tilted (a slope), so its landing is emitted but never confirmed; the strong
        // push-off that follows falls like a landing. The emitted landing was where the rhythm expected a
        // footfall, so it starts the refractory time and the push-off falls inside it. This gait's push-off
        // ends at 0.65 of the stride, later than a real foot's, so the refractory fraction is raised to cover
        // it after every stride: what remains to test is the stride whose stance was missed.
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 9, PushOffG = 2.6, TiltedStanceEvery = 4 }.Generate(80);
        (List<FootfallEvent> events, _) = Run(samples, new DspDetectorOptions { RefractoryFraction = 0.8 });
        long[] midStride = events.Select(e => e.FootfallTimeNs)
            .Where(t => truth.Min(f => Math.Abs(t - f)) > 250_000_000).ToArray();
        output.WriteLine($"detections away from any footfall: {midStride.Length}: " + string.Join(" ", midStride.Select(t => $"{Array.FindIndex(truth, f => f > t) - 1}:+{(t - truth.Where(f => f < t).Max()) / 1_000_000}ms")));
        Assert.Empty(midStride);
        Assert.True(Score(truth, events, "tilted stances, strong push-off").F1 >= 0.95);
    }

    [Fact]
    public void A_walk_on_uneven_ground_whose_stances_never_confirm_is_still_found_from_its_rhythm()
    {
        // Every stance rests tilted 30° a different way, so none lines up with a learned stance direction
        // and none confirms its landing. Three landings a steady stride apart lock the rhythm instead.
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 10, UnevenGroundDegrees = 30 }.Generate(60);
        (List<FootfallEvent> events, FootfallPipeline p) = Run(samples);
        DspFootfallDetector d = (DspFootfallDetector)p.Detector;
        output.WriteLine($"confirmed {d.ConfirmedLandings}, rhythm locks {d.RhythmLocks}, deferred {d.DeferredLandings}");
        Assert.True(d.ConfirmedLandings <= 2, $"confirmed {d.ConfirmedLandings}: the ground is not uneven enough for this test");
        Assert.True(Score(truth, events, "uneven ground").F1 >= 0.9);
    }

    [Fact]
    public void The_first_steps_are_reported_once_their_stance_confirms_them_then_at_the_landing()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 7 }.Generate(30);
        (List<FootfallEvent> events, FootfallPipeline p) = Run(samples);
        DspFootfallDetector d = (DspFootfallDetector)p.Detector;
        Assert.True(Score(truth, events, "first steps").F1 >= 0.95);

        // Until two agreeing strides lock the rhythm, footfalls wait for their stance (longer latency).
        Assert.True(d.LateDetections >= 2, $"late {d.LateDetections}");
        Assert.True(events[0].AlgorithmicLatencyNs > 50_000_000, $"first latency {events[0].AlgorithmicLatencyNs / 1e6} ms");
        double[] later = events.Skip(5).Select(e => e.AlgorithmicLatencyNs / 1e6).ToArray();
        Assert.True(Statistics.Median(later) <= 40, $"median latency once locked {Statistics.Median(later)} ms");
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
        d.Reset();
        Assert.Equal(0, d.StridePeriodMs);
        Assert.Equal(0, d.Landings);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_period_seeded_at_half_the_stride_relocks_to_the_slow_walk()
    {
        // This walk's first two confirmed footfalls are half a stride apart, so the tracker starts at ~600 ms
        // and rejects every real 1.3-1.5 s stride: without the relock the mid-swing falls all pass the
        // refractory period (F1@100 0.885).
        WalkOptions walk = new()
        {
            Seed = 1, Duration = TimeSpan.FromMinutes(3), CadenceMin = 80, CadenceMax = 90, Mounting = MountingMode.Random,
        };
        DspFootfallDetector detector = new();
        using FootfallPipeline p = new(new SampleClock(), detector, new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));
        SimulatedWalkRun run = SimulatedWalkEvaluation.Run(walk, DeliveryOptions.FromPreset("ideal"), p);
        EvaluationResult r = run.Score(new EvaluationOptions { TolerancesMs = [50, 100], TolerancesSamples = [] });
        output.WriteLine($"truth {r.TruthCount} det {r.DetectionCount} F1@50 {r.ByTolerance[0].F1:F3} F1@100 {r.ByTolerance[1].F1:F3} period {detector.StridePeriodMs:F0} ms");

        Assert.True(r.ByTolerance[1].F1 >= 0.95, $"F1@100 {r.ByTolerance[1].F1}");
        Assert.InRange(detector.StridePeriodMs, 60_000.0 * 2 / 95, 60_000.0 * 2 / 75);
    }

    [Theory]
    [InlineData("EdgeFraction", 0.0)]
    [InlineData("ConfirmMs", 1000.0)]
    [InlineData("SmoothingMs", double.NaN)]
    [InlineData("StanceAlignmentCos", 2.0)]
    public void A_bad_option_fails_naming_the_key(string key, double value)
    {
        DspDetectorOptions o = new();
        typeof(DspDetectorOptions).GetProperty(key)!.SetValue(o, value);
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new DspFootfallDetector(o));
        Assert.Equal(key, e.ParamName);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
