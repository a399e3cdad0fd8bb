using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Evaluation;
using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>
/// Small steps: a closing step (or a U-turn step) turns the foot a few degrees, too briefly and too slowly for the swing
/// level, and lands softly; the gyroscope path finds it from its short pitch lobe, its impact and the still foot after it.
/// </summary>
public sealed class SmallStepTests(ITestOutputHelper output)
{
    private const long Ms = 1_000_000;

    // One pitch lobe in the swing direction (positive) from 100 ms, `lobeMs` long at `peakDps` (half sine), then the
    // foot still; a jerk burst of `impactJerk` g/s from 20 ms after the lobe's end. Returns the candidates' onsets (ms).
    private static List<long> Candidates(double peakDps, double lobeMs, float impactJerk, bool active = true, DspDetectorOptions? options = null)
    {
        var step = new SmallStep(options ?? new DspDetectorOptions { NominalRateHz = 200 });
        var history = new SignalHistory(DspDetectorOptions.HistoryMs, 200);
        List<long> onsets = [];
        double lobeEnd = 100 + lobeMs;
        for (int ms = 0; ms < 800; ms += 5)
        {
            double pitch = ms >= 100 && ms < lobeEnd ? peakDps * Math.Sin(Math.PI * (ms - 100) / lobeMs) : -1;
            float jerk = ms >= lobeEnd + 20 && ms < lobeEnd + 35 ? impactJerk * (ms == (int)lobeEnd + 20 ? 0.6f : 1f) : 2f;
            history.Add(new SignalPoint(ms * Ms, jerk, 0f, 0f, 1f));
            if (step.Process(ms * Ms, pitch, active, history, impactFloor: 50, out long onsetNs))
            {
                onsets.Add(onsetNs / Ms);
            }
        }

        return onsets;
    }

    [Fact]
    public void A_short_lobe_that_turns_the_foot_a_few_degrees_then_an_impact_is_a_candidate_at_the_impacts_onset()
    {
        // 100 °/s over 200 ms turns the foot about 13°; the impact starts 20 ms after the lobe ends (at 300 ms).
        List<long> onsets = Candidates(peakDps: 100, lobeMs: 200, impactJerk: 150);
        Assert.Equal([320L], onsets);
    }

    [Fact]
    public void A_lobe_that_turns_the_foot_less_than_the_least_turn_is_no_candidate()
    {
        // 100 °/s over 40 ms: about 2.5°, under the default 4°.
        Assert.Empty(Candidates(peakDps: 100, lobeMs: 40, impactJerk: 150));
    }

    [Fact]
    public void A_lobe_under_the_plain_swing_level_is_no_candidate()
    {
        // 50 °/s over 400 ms turns the foot 13° but never reaches GyroSwingDps (60 °/s): a sway, not a step.
        Assert.Empty(Candidates(peakDps: 50, lobeMs: 400, impactJerk: 150));
    }

    [Fact]
    public void A_lobe_without_an_impact_over_the_floor_is_no_candidate()
    {
        Assert.Empty(Candidates(peakDps: 100, lobeMs: 200, impactJerk: 40));
    }

    [Fact]
    public void Nothing_is_a_candidate_while_small_steps_are_not_looked_for_or_turned_off()
    {
        Assert.Empty(Candidates(peakDps: 100, lobeMs: 200, impactJerk: 150, active: false));
        Assert.Empty(Candidates(peakDps: 100, lobeMs: 200, impactJerk: 150, options: new DspDetectorOptions { NominalRateHz = 200, GyroSmallStepDegrees = 0 }));
    }

    private (EvaluationResult Result, DspFootfallDetector Detector, long LastTruthNs, List<FootfallEvent> Events) WalkEndingWithAClosingStep(DspDetectorOptions options)
    {
        (ImuSample[] samples, long[] truth) = new SyntheticGait
        {
            WithGyro = true,
            ClosingStep = true,
            Seed = 51,
            Mounting = SyntheticGait.RandomMounting(new Random(51)),
        }.Generate(30);
        (List<FootfallEvent> events, FootfallPipeline p) = DspFootfallDetectorTests.Run(samples, options);
        double[] det = events.ConvertAll(e => e.FootfallTimeNs / 1e6).ToArray();
        double[] lat = events.ConvertAll(e => e.AlgorithmicLatencyNs / 1e6).ToArray();
        EvaluationResult r = Evaluator.Score(Array.ConvertAll(truth, t => t / 1e6), det, lat,
            new EvaluationOptions { TolerancesMs = [25, 50], TolerancesSamples = [] });
        var detector = (DspFootfallDetector)p.Detector;
        output.WriteLine($"truth {truth.Length} det {det.Length} F1@25 {r.ByTolerance[0].F1:F3} F1@50 {r.ByTolerance[1].F1:F3} small steps {detector.SmallSteps}");
        return (r, detector, truth[^1], events);
    }

    [Fact]
    public void A_walks_closing_step_is_found_after_the_foot_has_lain_still()
    {
        (EvaluationResult r, DspFootfallDetector detector, long closingNs, List<FootfallEvent> events) = WalkEndingWithAClosingStep(new DspDetectorOptions());
        (EvaluationResult without, _, _, _) = WalkEndingWithAClosingStep(new DspDetectorOptions { GyroSmallStepDegrees = 0 });
        Assert.Equal(0, r.ByTolerance[1].FalsePositives);
        Assert.Equal(without.ByTolerance[1].FalseNegatives - 1, r.ByTolerance[1].FalseNegatives);
        Assert.Equal(1, detector.SmallSteps);
        FootfallEvent last = events[^1];
        Assert.InRange((last.FootfallTimeNs - closingNs) / (double)Ms, -10, 25);

        // Decided once the still-foot window has passed (200 ms after its onset), not before.
        Assert.InRange(last.AlgorithmicLatencyNs / (double)Ms, 200, 220);
    }

    [Theory]
    [InlineData(0, 200)]
    [InlineData(4, 0)]
    public void Without_small_steps_or_the_still_foot_window_the_closing_step_is_missed(double smallStepDegrees, double stillToMs)
    {
        (_, DspFootfallDetector detector, long closingNs, List<FootfallEvent> events) =
            WalkEndingWithAClosingStep(new DspDetectorOptions { GyroSmallStepDegrees = smallStepDegrees, GyroStillToMs = stillToMs });
        Assert.DoesNotContain(events, e => Math.Abs(e.FootfallTimeNs - closingNs) <= 50 * Ms);
        Assert.Equal(0, detector.SmallSteps);
    }
}
