using System.Diagnostics;
using System.Globalization;

namespace IolaEdge.Evaluation;

/// <summary>What every file of a corpus is evaluated with: the single-file eval options that do not vary per file.</summary>
/// <param name="Detector">The detector every file gets a fresh instance of (<c>--detector</c>, <c>--model</c>, <c>--set</c>).</param>
/// <param name="TolerancesMs"><c>--tolerances</c>.</param>
internal sealed record CorpusSettings(DetectorChoice Detector, IReadOnlyList<double> TolerancesMs)
{
    /// <summary>How notes are played and timed (both triggers).</summary>
    public NoteSettings Notes { get; init; } = new();

    /// <summary>The scoring options of one file: these settings with the file's rate and range.</summary>
    public EvaluationOptions OptionsFor(CorpusEntry entry) =>
        new EvaluationOptions { TolerancesMs = TolerancesMs, NominalRateHz = entry.RateHz, FromMs = entry.FromMs, ToMs = entry.ToMs }.Validate();
}

/// <summary>How one file of a corpus came out.</summary>
/// <param name="Entry">The file.</param>
internal abstract record CorpusOutcome(CorpusEntry Entry);

/// <summary>A file that was scored: the single-file run and score, plus what pooling needs from it.</summary>
/// <param name="Entry">The file.</param>
/// <param name="Run">The run, as single-file eval makes it.</param>
/// <param name="Result">The score, as single-file eval computes it.</param>
/// <param name="Options">The options it was scored with.</param>
/// <param name="TimingErrorsMs">Signed error (detection − truth) of each pair matched at the timing tolerance, in time order.</param>
/// <param name="LatenciesMs">Algorithmic latency of each scored (in-range) detection.</param>
internal sealed record CorpusFileResult(
    CorpusEntry Entry, EvalRun Run, EvaluationResult Result, EvaluationOptions Options, double[] TimingErrorsMs, double[] LatenciesMs)
    : CorpusOutcome(Entry);

/// <summary>A file that could not be scored (unreadable, not a recording CSV, no truth in range).</summary>
/// <param name="Entry">The file.</param>
/// <param name="Message">One line saying why.</param>
internal sealed record CorpusFileError(CorpusEntry Entry, string Message) : CorpusOutcome(Entry);

/// <summary>A corpus after evaluation: every file's outcome in the corpus's order, and the cost.</summary>
/// <param name="Outcomes">One per entry, same order.</param>
/// <param name="Jobs">Files evaluated at once.</param>
/// <param name="Elapsed">Wall time of the whole evaluation.</param>
internal sealed record CorpusRun(IReadOnlyList<CorpusOutcome> Outcomes, int Jobs, TimeSpan Elapsed)
{
    /// <summary>The files that were scored, in corpus order.</summary>
    public IReadOnlyList<CorpusFileResult> Files { get; } = [.. Outcomes.OfType<CorpusFileResult>()];

    /// <summary>The files that failed, in corpus order.</summary>
    public IReadOnlyList<CorpusFileError> Errors { get; } = [.. Outcomes.OfType<CorpusFileError>()];
}

/// <summary>Evaluates the files of a corpus in parallel, each exactly as <c>iolaedge eval --input FILE</c> would.</summary>
/// <remarks>
/// Each file gets its own detector, clock and gate (<see cref="EvalRun.Execute"/>), so files are independent and the
/// results do not depend on <c>--jobs</c> or on scheduling; outcomes are stored by position, so the order is the corpus's.
/// </remarks>
internal static class CorpusRunner
{
    /// <summary>Evaluates every entry; <paramref name="progress"/> is called once per finished file, one call at a time.</summary>
    public static CorpusRun Execute(IReadOnlyList<CorpusEntry> entries, CorpusSettings settings, int jobs, Action<int, CorpusOutcome>? progress = null)
    {
        long start = Stopwatch.GetTimestamp();
        CorpusOutcome[] outcomes = new CorpusOutcome[entries.Count];
        Lock gate = new();
        int done = 0;
        Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
        {
            outcomes[i] = EvaluateOne(entries[i], settings);
            lock (gate)
            {
                progress?.Invoke(++done, outcomes[i]);
            }
        });
        return new CorpusRun(outcomes, jobs, Stopwatch.GetElapsedTime(start));
    }

    /// <summary>One file, as single-file eval runs and scores it; a file that cannot be scored becomes a <see cref="CorpusFileError"/>.</summary>
    public static CorpusOutcome EvaluateOne(CorpusEntry entry, CorpusSettings settings)
    {
        EvaluationOptions options = settings.OptionsFor(entry);
        EvalRun run;
        try
        {
            run = EvalRun.Execute(entry.Path, settings.Detector, entry.RateHz, settings.Notes);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new CorpusFileError(entry, e.Message);
        }

        // Without truth a file would add only false positives: in a corpus that is a labelling or bounds mistake to show, not a score.
        if (run.TruthMs.Count == 0)
        {
            return new CorpusFileError(entry, "no footfall rows (nothing to score against)");
        }

        EvaluationResult result = run.Score(options);
        if (result.TruthCount == 0)
        {
            return new CorpusFileError(entry, $"none of its {run.TruthMs.Count} footfall rows is in the scored range {Range(options)}");
        }

        // The same sorted, in-range events and the same matcher as the scorer: pooled timing is over exactly the pairs it counted.
        double[] truth = Evaluator.SortedInRange(run.TruthMs, options);
        double[] detections = Evaluator.SortedInRange([.. run.Detections.Select(d => d.TimeMs)], options);
        List<MatchedPair> pairs = [];
        EventMatcher.Match(truth, detections, options.TimingToleranceMs, pairs);
        double[] latencies = [.. run.Detections.Where(d => InRange(d.TimeMs, options)).Select(d => d.LatencyMs)];
        return new CorpusFileResult(entry, run, result, options, [.. pairs.Select(p => p.ErrorMs)], latencies);
    }

    /// <summary>Whether the scorer counts an event at <paramref name="timeMs"/>; asks the scorer, so that the range rule stays in one place.</summary>
    private static bool InRange(double timeMs, EvaluationOptions options) => Evaluator.SortedInRange([timeMs], options).Length == 1;

    private static string Range(EvaluationOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"[{(o.FromMs is double f ? f.ToString("R", CultureInfo.InvariantCulture) : "-inf")}, {(o.ToMs is double t ? t.ToString("R", CultureInfo.InvariantCulture) : "+inf")}) ms");
}
