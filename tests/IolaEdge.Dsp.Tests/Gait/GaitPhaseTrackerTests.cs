using System.Numerics;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Dsp.Tests.Gait;

public sealed class GaitPhaseTrackerTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void A_steady_walk_gives_its_stride_period_and_predictions_within_a_few_ms_of_the_true_footfalls()
    {
        SyntheticGait gait = new() { Seed = 21, StrideMs = 1100, StrideJitter = 0.01, LandingBrakeG = 3 };
        (List<GaitPrediction> predictions, long[] truth, GaitPhaseTracker tracker, _) = Run(gait, 40);

        Assert.InRange(tracker.StridePeriodMs, 1050, 1150);
        Assert.True(predictions.Count >= 30, $"{predictions.Count} predictions over 40 strides");
        double[] errors = [.. predictions.Select(p => (double)(p.PredictedTimeNs - Nearest(truth, p.PredictedTimeNs)) / Ms)];
        Assert.True(Median(errors.Select(Math.Abs)) <= 10, $"median |error| {Median(errors.Select(Math.Abs))} ms");
        Assert.All(errors, e => Assert.InRange(e, -40, 40));

        // Each prediction is made during the swing, before its footfall: the note can be sent ahead of it.
        Assert.All(predictions, p => Assert.True(p.PredictedTimeNs - p.CueTimeNs >= 40 * Ms, $"lead {(p.PredictedTimeNs - p.CueTimeNs) / Ms} ms"));
    }

    [Fact]
    public void The_first_steps_get_no_prediction()
    {
        (List<GaitPrediction> predictions, long[] truth, _, _) = Run(new SyntheticGait { Seed = 22, StrideJitter = 0.01, LandingBrakeG = 3 }, 12);

        // The first two footfalls of a walk cannot be predicted: no stride and no swing-to-landing time is known yet.
        Assert.All(predictions, p => Assert.True(p.PredictedTimeNs > truth[1] + (100 * Ms)));
        Assert.NotEmpty(predictions);
    }

    [Fact]
    public void Predictions_follow_any_mounting_of_the_sensor()
    {
        SyntheticGait gait = new() { Seed = 23, StrideJitter = 0.01, LandingBrakeG = 3, Mounting = SyntheticGait.RandomMounting(new Random(23)) };
        (List<GaitPrediction> predictions, long[] truth, _, _) = Run(gait, 30);

        Assert.True(predictions.Count >= 20, $"{predictions.Count} predictions");
        Assert.True(Median(predictions.Select(p => Math.Abs((double)(p.PredictedTimeNs - Nearest(truth, p.PredictedTimeNs)) / Ms))) <= 10);
    }

    [Fact]
    public void The_state_follows_the_strides_steady_slowing_speeding_up_turning_and_stopped()
    {
        GaitPhaseTracker tracker = new();
        long t = 0;
        Assert.Equal(GaitState.Stopped, tracker.StateAt(t));
        foreach (double stride in new double[] { 0, 1100, 1100, 1100, 1100 })
        {
            t += (long)(stride * Ms);
            tracker.OnFootfall(t);
        }

        Assert.Equal(GaitState.Steady, tracker.StateAt(t));
        Assert.InRange(tracker.StridePeriodMs, 1099, 1101);
        Assert.InRange(tracker.PhaseAt(t + (550 * Ms)), 0.49, 0.51);

        foreach (double stride in new double[] { 1180, 1240 })
        {
            t += (long)(stride * Ms);
            tracker.OnFootfall(t);
        }

        Assert.Equal(GaitState.Slowing, tracker.StateAt(t));

        foreach (double stride in new double[] { 1100, 1100, 1100, 1000, 960 })
        {
            t += (long)(stride * Ms);
            tracker.OnFootfall(t);
        }

        Assert.Equal(GaitState.SpeedingUp, tracker.StateAt(t));

        t += 1500 * Ms; // a stride far off the period: a turn
        tracker.OnFootfall(t);
        Assert.Equal(GaitState.Turning, tracker.StateAt(t));

        t += 1000 * Ms; // back in rhythm
        tracker.OnFootfall(t);
        Assert.NotEqual(GaitState.Turning, tracker.StateAt(t));

        Assert.Equal(GaitState.Stopped, tracker.StateAt(t + (2500 * Ms)));
        Assert.True(tracker.PeriodUncertaintyMs > 0);
    }

    [Fact]
    public void A_false_footfall_within_a_stride_does_not_break_the_rhythm()
    {
        GaitPhaseTracker tracker = new();
        long t = 0;
        for (int i = 0; i < 5; i++)
        {
            tracker.OnFootfall(t);
            t += 1000 * Ms;
        }

        tracker.OnFootfall(t - (600 * Ms)); // a stray impact 400 ms after the last footfall
        tracker.OnFootfall(t);
        Assert.InRange(tracker.StridePeriodMs, 999, 1001);
    }

    [Fact]
    public void Update_and_OnFootfall_allocate_nothing()
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait { Seed = 24, LandingBrakeG = 3 }.Generate(30);
        GaitPhaseTracker tracker = new();
        long allocated = -1;
        Thread thread = new(() =>
        {
            Feed(tracker, samples, truth);
            tracker.Reset();
            ThreadAllocations allocations = ThreadAllocations.Start();
            Feed(tracker, samples, truth);
            allocated = allocations.Bytes;
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, allocated);
        Assert.True(tracker.Predictions > 10);
    }

    [Fact]
    public void Options_out_of_range_name_the_key()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new GaitPhaseTracker(new GaitOptions { LandingCosine = 2 }));
        Assert.Equal(nameof(GaitOptions.LandingCosine), e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new GaitOptions { MinLeads = 9, HistoryStrides = 5 }.Validate());
        Assert.Equal(nameof(GaitOptions.MinLeads), e.ParamName);
    }

    private static void Feed(GaitPhaseTracker tracker, ImuSample[] samples, long[] truth)
    {
        int next = 0;
        foreach (ImuSample s in samples)
        {
            tracker.Update(s);
            // The detector's footfall arrives 20 ms after the true one (its decision).
            while (next < truth.Length && truth[next] + (20 * Ms) <= s.SensorTimeNs)
            {
                tracker.OnFootfall(truth[next++]);
            }

            tracker.TryTakePrediction(out _);
        }
    }

    // The real chain: clock, dsp detector, gate, then the tracker fed with the stamped samples and the emitted footfalls.
    private static (List<GaitPrediction> Predictions, long[] Truth, GaitPhaseTracker Tracker, List<FootfallEvent> Footfalls) Run(SyntheticGait gait, int strides)
    {
        (ImuSample[] samples, long[] truth) = gait.Generate(strides);
        using FootfallPipeline pipeline = new(new SampleClock(), new DspFootfallDetector(), new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));
        GaitPhaseTracker tracker = new();
        Span<FootfallEvent> events = stackalloc FootfallEvent[pipeline.MaxEventsPerSample];
        List<GaitPrediction> predictions = [];
        List<FootfallEvent> footfalls = [];
        foreach (ImuSample s in samples)
        {
            int n = pipeline.Process(s, events);
            tracker.Update(pipeline.LastSample);
            for (int i = 0; i < n; i++)
            {
                tracker.OnFootfall(events[i].FootfallTimeNs);
                footfalls.Add(events[i]);
            }

            // The generator's samples run into the swing after its last footfall; that landing has no truth.
            if (tracker.TryTakePrediction(out GaitPrediction p) && p.PredictedTimeNs < truth[^1] + (500 * Ms))
            {
                predictions.Add(p);
            }
        }

        Assert.True(footfalls.Count >= strides - 2, $"the detector found {footfalls.Count} of {strides} footfalls");
        return (predictions, truth, tracker, footfalls);
    }

    private static long Nearest(long[] sorted, long t) => sorted.MinBy(x => Math.Abs(x - t));

    private static double Median(IEnumerable<double> values)
    {
        double[] v = [.. values.Order()];
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }
}
