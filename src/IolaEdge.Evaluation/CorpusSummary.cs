using System.Globalization;
using IolaEdge.Dsp;
using IolaEdge.Evaluation;

namespace IolaEdge.Evaluation;

/// <summary>Counts summed over files at one tolerance, and the rates of the sums (not the mean of per-file rates).</summary>
/// <param name="ToleranceMs">Tolerance in ms.</param>
/// <param name="TruePositives">Sum of the files' TP.</param>
/// <param name="FalsePositives">Sum of the files' FP.</param>
/// <param name="FalseNegatives">Sum of the files' FN.</param>
internal sealed record PooledResult(double ToleranceMs, int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>Precision of the sums.</summary>
    public double Precision => Evaluator.Rates(TruePositives, FalsePositives, FalseNegatives).Precision;

    /// <summary>Recall of the sums.</summary>
    public double Recall => Evaluator.Rates(TruePositives, FalsePositives, FalseNegatives).Recall;

    /// <summary>F1 of the sums.</summary>
    public double F1 => Evaluator.Rates(TruePositives, FalsePositives, FalseNegatives).F1;
}

/// <summary>A set of scored files pooled: how many, their truth and detections, and the pooled counts per tolerance.</summary>
/// <param name="Files">Files pooled.</param>
/// <param name="TruthCount">Truth events in range, summed.</param>
/// <param name="DetectionCount">Detections in range, summed.</param>
/// <param name="ByTolerance">Per tolerance, in <c>--tolerances</c> order.</param>
internal sealed record CorpusPool(int Files, int TruthCount, int DetectionCount, IReadOnlyList<PooledResult> ByTolerance)
{
    /// <summary>Sums the files' counts at each tolerance.</summary>
    public static CorpusPool Of(IReadOnlyCollection<CorpusFileResult> files, IReadOnlyList<double> tolerancesMs)
    {
        List<PooledResult> byTolerance = [];
        for (int k = 0; k < tolerancesMs.Count; k++)
        {
            // Files were scored with the same tolerance list, so position k is the same tolerance in every file.
            byTolerance.Add(new PooledResult(tolerancesMs[k], files.Sum(f => f.Result.ByTolerance[k].TruePositives),
                files.Sum(f => f.Result.ByTolerance[k].FalsePositives), files.Sum(f => f.Result.ByTolerance[k].FalseNegatives)));
        }

        return new CorpusPool(files.Count, files.Sum(f => f.Result.TruthCount), files.Sum(f => f.Result.DetectionCount), byTolerance);
    }
}

/// <summary>The files of one group (e.g. <c>subject=3</c>) pooled.</summary>
/// <param name="Grouping">The grouping.</param>
/// <param name="Key">The group's value (<c>1/left</c> for a combination).</param>
/// <param name="Pool">Its files pooled.</param>
internal sealed record CorpusGroup(CorpusGrouping Grouping, string Key, CorpusPool Pool);

/// <summary>Everything a corpus report shows beyond the per-file rows: pooled counts, pooled timing and latency, worst files, groups.</summary>
internal sealed class CorpusSummary
{
    /// <summary>Worst files are ranked by F1 at the evaluated tolerance nearest this, then nearest <see cref="SecondRankMs"/>.</summary>
    public const double FirstRankMs = 100;

    /// <summary>The tie-breaking ranking tolerance.</summary>
    public const double SecondRankMs = 50;

    public required CorpusPool Pooled { get; init; }

    /// <summary>Timing errors over all pairs of all files matched at the timing tolerance (100 ms).</summary>
    public required TimingResult Timing { get; init; }

    /// <summary>Algorithmic latency over all scored detections of all files.</summary>
    public required LatencyResult Latency { get; init; }

    /// <summary>Indices into the tolerance list of the two ranking tolerances.</summary>
    public required (int First, int Second) Rank { get; init; }

    /// <summary>The lowest-ranked files, worst first.</summary>
    public required IReadOnlyList<CorpusFileResult> Worst { get; init; }

    public required IReadOnlyList<CorpusGroup> Groups { get; init; }

    /// <summary>Pools <paramref name="run"/>'s scored files.</summary>
    /// <param name="run">The evaluated corpus.</param>
    /// <param name="tolerancesMs">The tolerances every file was scored at.</param>
    /// <param name="groupings">Groupings to report, in order.</param>
    /// <param name="worst">How many worst files to list.</param>
    public static CorpusSummary From(CorpusRun run, IReadOnlyList<double> tolerancesMs, IReadOnlyList<CorpusGrouping> groupings, int worst)
    {
        IReadOnlyList<CorpusFileResult> files = run.Files;
        double[] abs = [.. files.SelectMany(f => f.TimingErrorsMs).Select(Math.Abs)];
        double[] signed = [.. files.SelectMany(f => f.TimingErrorsMs)];
        double[] latencies = [.. files.SelectMany(f => f.LatenciesMs)];
        double timingTolerance = files.Count > 0 ? files[0].Options.TimingToleranceMs : new EvaluationOptions().TimingToleranceMs;
        (int first, int second) = (Nearest(tolerancesMs, FirstRankMs), Nearest(tolerancesMs, SecondRankMs));

        List<CorpusGroup> groups = [];
        foreach (CorpusGrouping grouping in groupings)
        {
            foreach (IGrouping<string, CorpusFileResult> g in files.GroupBy(f => grouping.KeyOf(f.Entry), StringComparer.Ordinal).OrderBy(g => g.Key, KeyOrder.Instance))
            {
                groups.Add(new CorpusGroup(grouping, g.Key, CorpusPool.Of([.. g], tolerancesMs)));
            }
        }

        return new CorpusSummary
        {
            Pooled = CorpusPool.Of([.. files], tolerancesMs),
            Timing = new TimingResult(timingTolerance, abs.Length, Percentile.Median(abs), Percentile.Of(abs, 90), Percentile.Median(signed),
                signed.Length > 0 ? signed.Average() : double.NaN),
            Latency = new LatencyResult(latencies.Length, Percentile.Of(latencies, 50), Percentile.Of(latencies, 90),
                latencies.Length > 0 ? latencies.Max() : double.NaN),
            Rank = (first, second),
            Worst = [.. files.OrderBy(f => f.Result.ByTolerance[first].F1).ThenBy(f => f.Result.ByTolerance[second].F1)
                .ThenBy(f => f.Entry.Name, StringComparer.Ordinal).Take(worst)],
            Groups = groups,
        };
    }

    /// <summary>Index of the tolerance nearest <paramref name="preferredMs"/> (ties go to the smaller, as the plot's headline).</summary>
    public static int Nearest(IReadOnlyList<double> tolerancesMs, double preferredMs) =>
        Enumerable.Range(0, tolerancesMs.Count).OrderBy(i => Math.Abs(tolerancesMs[i] - preferredMs)).ThenBy(i => tolerancesMs[i]).First();

    /// <summary>Group keys in numeric order when they are numbers (subject 2 before 10), else ordinal.</summary>
    private sealed class KeyOrder : IComparer<string>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            bool xn = double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out double a);
            bool yn = double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out double b);
            return xn && yn ? a.CompareTo(b) : xn != yn ? (xn ? -1 : 1) : string.CompareOrdinal(x, y);
        }
    }
}
