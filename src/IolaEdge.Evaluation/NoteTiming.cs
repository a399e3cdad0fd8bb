using IolaEdge.Dsp;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Samples;
using IolaEdge.Evaluation;

namespace IolaEdge.Evaluation;

/// <summary>How eval plays notes: the output latency and confirmation window of the <c>predict</c> trigger, and the gait tracker's options.</summary>
/// <param name="OutputLatencyMs">Send-to-sound time (link + synth): a detected note is heard this long after its decision; a predicted one is sent this early.</param>
/// <param name="ConfirmWindowMs">A detection this close to a predicted footfall confirms it.</param>
/// <param name="Gait">Gait tracker options (NominalRateHz is set per file); null for defaults.</param>
/// <param name="MaxLateMs">In <c>predict</c>, a fallback note that would sound later than this after its footfall is not played.</param>
internal sealed record NoteSettings(double OutputLatencyMs = NoteSettings.DefaultOutputLatencyMs, double ConfirmWindowMs = NoteSettings.DefaultConfirmWindowMs,
    GaitOptions? Gait = null, double MaxLateMs = NoteSettings.DefaultMaxLateMs)
{
    /// <summary>Settings from eval's options, each checked like the mapping's key (problems named, not thrown).</summary>
    public static NoteSettings Checked(double outputLatencyMs, double confirmWindowMs, double maxLateMs, GaitOptions gait, List<string> problems)
    {
        Check(problems, "--output-latency-ms", outputLatencyMs, 0, 500);
        Check(problems, "--confirm-window-ms", confirmWindowMs, 5, 500);
        Check(problems, "--max-late-ms", maxLateMs, 0, 2000);
        return new NoteSettings(outputLatencyMs, confirmWindowMs, gait, maxLateMs);
    }

    private static void Check(List<string> problems, string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} = {value} is outside {min}..{max}"));
        }
    }

    /// <summary>The mapping's default <c>MaxLateMs</c>.</summary>
    public const double DefaultMaxLateMs = 80;

    /// <summary>The mapping's default <c>OutputLatencyMs</c>.</summary>
    public const double DefaultOutputLatencyMs = 20;

    /// <summary>The mapping's default <c>ConfirmWindowMs</c>.</summary>
    public const double DefaultConfirmWindowMs = 80;

    /// <summary>Notes are paired with footfalls one to one within this tolerance for the timing figures (as eval's timing block).</summary>
    public const double PairToleranceMs = 100;

    /// <summary>"Within" figure: fraction of notes this close to their footfall.</summary>
    public const double WithinMs = 20;

    /// <summary>
    /// Steady walking, from the truth alone: a footfall whose two strides before and one after (same file) all lie within
    /// this fraction of their median. First steps, the last step and the strides around a turn or a stop are not steady.
    /// </summary>
    public const double SteadyFraction = 0.15;
}

/// <summary>A note as heard: time (epoch ms on the file's clock) and what triggered it.</summary>
internal readonly record struct NoteRecord(double TimeMs, NoteTrigger Trigger);

/// <summary>The notes of both triggers over one walk, and the tracker's counters.</summary>
internal sealed record NoteRun(
    NoteSettings Settings,
    IReadOnlyList<NoteRecord> Detect,
    IReadOnlyList<NoteRecord> Predict,
    long Cues,
    long Predictions,
    long WithheldCues,
    long Confirmed,
    long Unconfirmed,
    long Fallbacks,
    long TooLate,
    double StridePeriodMs);

/// <summary>
/// Replays the note decisions the MIDI engine makes, on the session clock: the same <see cref="GaitPhaseTracker"/> and
/// <see cref="PredictiveTrigger"/> per sample and footfall. <c>detect</c>: every detection is heard at its decision plus the
/// output latency. <c>predict</c>: a prediction's note is sent at the predicted time minus the output latency (never before
/// its cue) and heard at the predicted time; a detection no prediction covers is heard at its decision plus the latency; a
/// detection that confirms a prediction not sent yet sends it at once.
/// </summary>
internal sealed class NoteReplay(NoteSettings settings, double nominalRateHz)
{
    private readonly GaitPhaseTracker _tracker = new(WithRate(settings.Gait, nominalRateHz));
    private readonly PredictiveTrigger _trigger = new(settings.OutputLatencyMs, settings.ConfirmWindowMs, settings.MaxLateMs);
    private readonly long _latencyNs = (long)(settings.OutputLatencyMs * 1e6);
    private readonly List<NoteRecord> _detect = [];
    private readonly List<NoteRecord> _predict = [];

    /// <summary>The stamped sample and the footfalls the pipeline emitted on it.</summary>
    public void OnSample(in ImuSample stamped, ReadOnlySpan<FootfallEvent> footfalls)
    {
        long now = stamped.SensorTimeNs;
        _tracker.Update(stamped);
        while (_trigger.TryTakeDue(now, out PredictedNote due))
        {
            _predict.Add(new NoteRecord(EvalRun.Milliseconds(due.SendTimeNs + _latencyNs), NoteTrigger.Predicted));
        }

        while (_trigger.TryExpire(now, out _))
        {
        }

        foreach (FootfallEvent e in footfalls)
        {
            _tracker.OnFootfall(e.FootfallTimeNs);
            double heard = EvalRun.Milliseconds(e.DecisionTimeNs + _latencyNs);
            _detect.Add(new NoteRecord(heard, NoteTrigger.Detected));
            switch (_trigger.OnDetection(e.FootfallTimeNs, e.DecisionTimeNs, out _))
            {
                case DetectionOutcome.Fallback:
                    _predict.Add(new NoteRecord(heard, NoteTrigger.Detected));
                    break;
                case DetectionOutcome.ConfirmedEarly:
                    _predict.Add(new NoteRecord(heard, NoteTrigger.Predicted));
                    break;
                default:
                    break; // its predicted note has played
            }
        }

        if (_tracker.TryTakePrediction(out GaitPrediction prediction))
        {
            _trigger.Schedule(prediction, prediction.CueTimeNs);
        }
    }

    /// <summary>The notes and counters (predictions still waiting are counted as the engine would at its end: sent ones unconfirmed).</summary>
    public NoteRun Finish()
    {
        while (_trigger.TryTakeDue(long.MaxValue, out PredictedNote due))
        {
            _predict.Add(new NoteRecord(EvalRun.Milliseconds(due.SendTimeNs + _latencyNs), NoteTrigger.Predicted));
        }

        while (_trigger.TryExpire(long.MaxValue, out _))
        {
        }

        return new NoteRun(settings, _detect, _predict, _tracker.Cues, _tracker.Predictions, _tracker.WithheldCues,
            _trigger.Confirmed, _trigger.Unconfirmed, _trigger.Fallbacks, _trigger.TooLate, _tracker.StridePeriodMs);
    }

    private static GaitOptions WithRate(GaitOptions? options, double rateHz)
    {
        GaitOptions o = options?.Clone() ?? new GaitOptions();
        o.NominalRateHz = rateHz;
        return o;
    }
}

/// <summary>Note timing of one trigger mode against truth: counts and the signed errors of the pairs.</summary>
internal sealed record NoteTimingResult(
    string Mode,
    int Truth,
    int Notes,
    int PredictedNotes,
    int Pairs,
    IReadOnlyList<double> ErrorsMs,
    IReadOnlyList<double> PredictedErrorsMs,
    IReadOnlyList<ToleranceResult> Results,
    SteadyNotes Steady)
{
    /// <summary>Notes no footfall was paired with (at <see cref="NoteSettings.PairToleranceMs"/>).</summary>
    public int NotesWithoutFootfall => Notes - Pairs;

    /// <summary>Footfalls no note was paired with.</summary>
    public int FootfallsWithoutNote => Truth - Pairs;

    /// <summary>Median of (note − footfall), ms.</summary>
    public double MedianMs => Percentile.Median([.. ErrorsMs]);

    /// <summary>Median |note − footfall|, ms.</summary>
    public double MedianAbsMs => Percentile.Median([.. ErrorsMs.Select(Math.Abs)]);

    /// <summary>90th percentile of |note − footfall|, ms.</summary>
    public double P90AbsMs => Percentile.Of([.. ErrorsMs.Select(Math.Abs)], 90);

    /// <summary>Fraction of notes within ±<see cref="NoteSettings.WithinMs"/> of their footfall.</summary>
    public double WithinFraction => Notes > 0 ? ErrorsMs.Count(e => Math.Abs(e) <= NoteSettings.WithinMs + EventMatcher.Epsilon) / (double)Notes : double.NaN;

    /// <summary>Median |error| of the predicted notes alone.</summary>
    public double PredictedMedianAbsMs => Percentile.Median([.. PredictedErrorsMs.Select(Math.Abs)]);

    /// <summary>p90 |error| of the predicted notes alone.</summary>
    public double PredictedP90AbsMs => Percentile.Of([.. PredictedErrorsMs.Select(Math.Abs)], 90);

    /// <summary>Scores <paramref name="notes"/> against <paramref name="truthMs"/> with eval's range rule and matcher.</summary>
    public static NoteTimingResult Score(string mode, IReadOnlyList<double> truthMs, IReadOnlyList<NoteRecord> notes, EvaluationOptions options)
    {
        double[] truth = Evaluator.SortedInRange(truthMs, options);
        NoteRecord[] kept = [.. notes.Where(n => Evaluator.SortedInRange([n.TimeMs], options).Length == 1).OrderBy(n => n.TimeMs)];
        double[] times = [.. kept.Select(n => n.TimeMs)];
        List<MatchedPair> pairs = [];
        EventMatcher.Match(truth, times, NoteSettings.PairToleranceMs, pairs);
        List<ToleranceResult> results = [];
        foreach (double tol in options.TolerancesMs)
        {
            List<MatchedPair> at = [];
            EventMatcher.Match(truth, times, tol, at);
            (double p, double r, double f) = Evaluator.Rates(at.Count, times.Length - at.Count, truth.Length - at.Count);
            results.Add(new ToleranceResult(tol, tol * options.NominalRateHz / 1000, at.Count, times.Length - at.Count, truth.Length - at.Count, p, r, f, true));
        }

        return new NoteTimingResult(mode, truth.Length, times.Length, kept.Count(n => n.Trigger == NoteTrigger.Predicted), pairs.Count,
            [.. pairs.Select(p => p.ErrorMs)],
            [.. pairs.Where(p => kept[p.DetectionIndex].Trigger == NoteTrigger.Predicted).Select(p => p.ErrorMs)],
            results, SteadyNotes.Of(truth, times, pairs));
    }

    /// <summary>Pools files: counts summed, errors concatenated, F1 recomputed from the summed counts.</summary>
    public static NoteTimingResult Pool(string mode, IReadOnlyList<NoteTimingResult> files, IReadOnlyList<double> tolerancesMs)
    {
        List<ToleranceResult> results = [];
        for (int i = 0; i < tolerancesMs.Count; i++)
        {
            int tp = files.Sum(f => f.Results[i].TruePositives);
            int fp = files.Sum(f => f.Results[i].FalsePositives);
            int fn = files.Sum(f => f.Results[i].FalseNegatives);
            (double p, double r, double f1) = Evaluator.Rates(tp, fp, fn);
            results.Add(new ToleranceResult(tolerancesMs[i], files.Count > 0 ? files[0].Results[i].ToleranceSamples : 0, tp, fp, fn, p, r, f1, true));
        }

        return new NoteTimingResult(mode, files.Sum(f => f.Truth), files.Sum(f => f.Notes), files.Sum(f => f.PredictedNotes), files.Sum(f => f.Pairs),
            [.. files.SelectMany(f => f.ErrorsMs)], [.. files.SelectMany(f => f.PredictedErrorsMs)], results,
            SteadyNotes.Pool([.. files.Select(f => f.Steady)]));
    }
}

/// <summary>
/// Notes on steady walking (<see cref="NoteSettings.SteadyFraction"/>): the steady footfalls, the notes within half a
/// stride of one, and the errors of the pairs whose footfall is steady.
/// </summary>
internal sealed record SteadyNotes(int Footfalls, int Notes, int Pairs, IReadOnlyList<double> ErrorsMs)
{
    /// <summary>Notes near a steady footfall that no footfall was paired with.</summary>
    public int NotesWithoutFootfall => Notes - Pairs;

    /// <summary>Steady footfalls without a note.</summary>
    public int FootfallsWithoutNote => Footfalls - Pairs;

    /// <summary>Median |note − footfall|, ms.</summary>
    public double MedianAbsMs => Percentile.Median([.. ErrorsMs.Select(Math.Abs)]);

    /// <summary>90th percentile of |note − footfall|, ms.</summary>
    public double P90AbsMs => Percentile.Of([.. ErrorsMs.Select(Math.Abs)], 90);

    /// <summary>Fraction of the steady notes within ±20 ms of their footfall.</summary>
    public double WithinFraction => Notes > 0 ? ErrorsMs.Count(e => Math.Abs(e) <= NoteSettings.WithinMs + EventMatcher.Epsilon) / (double)Notes : double.NaN;

    /// <summary>Fraction of the steady notes without a footfall.</summary>
    public double WithoutFootfallFraction => Notes > 0 ? NotesWithoutFootfall / (double)Notes : double.NaN;

    /// <summary>The steady subset of one walk (truth and notes sorted, pairs from <see cref="EventMatcher"/>).</summary>
    public static SteadyNotes Of(double[] truth, double[] notes, List<MatchedPair> pairs)
    {
        bool[] steady = new bool[truth.Length];
        double[] halfStride = new double[truth.Length];
        Span<double> strides = stackalloc double[3];
        for (int i = 2; i + 1 < truth.Length; i++)
        {
            strides[0] = truth[i - 1] - truth[i - 2];
            strides[1] = truth[i] - truth[i - 1];
            strides[2] = truth[i + 1] - truth[i];
            double median = Percentile.Median(strides);
            steady[i] = Math.Abs(strides[0] - median) <= NoteSettings.SteadyFraction * median
                && Math.Abs(strides[1] - median) <= NoteSettings.SteadyFraction * median
                && Math.Abs(strides[2] - median) <= NoteSettings.SteadyFraction * median;
            halfStride[i] = median / 2;
        }

        int near = 0;
        bool[] paired = new bool[notes.Length];
        foreach (MatchedPair p in pairs)
        {
            paired[p.DetectionIndex] = true;
        }

        List<double> errors = [];
        foreach (MatchedPair p in pairs)
        {
            if (steady[p.TruthIndex])
            {
                errors.Add(p.ErrorMs);
            }
        }

        int steadyUnpaired = 0;
        for (int n = 0; n < notes.Length; n++)
        {
            // The footfall nearest the note says whether it falls on steady walking.
            int j = Array.BinarySearch(truth, notes[n]);
            j = j >= 0 ? j : ~j;
            int nearest = j == 0 ? 0 : j == truth.Length ? truth.Length - 1
                : notes[n] - truth[j - 1] <= truth[j] - notes[n] ? j - 1 : j;
            if (truth.Length > 0 && steady[nearest] && Math.Abs(notes[n] - truth[nearest]) <= halfStride[nearest])
            {
                near++;
                steadyUnpaired += paired[n] ? 0 : 1;
            }
        }

        int steadyCount = steady.Count(s => s);
        return new SteadyNotes(steadyCount, near, near - steadyUnpaired, errors);
    }

    /// <summary>Pools walks.</summary>
    public static SteadyNotes Pool(IReadOnlyList<SteadyNotes> walks) =>
        new(walks.Sum(w => w.Footfalls), walks.Sum(w => w.Notes), walks.Sum(w => w.Pairs), [.. walks.SelectMany(w => w.ErrorsMs)]);
}
