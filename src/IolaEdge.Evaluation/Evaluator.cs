using IolaEdge.Dsp;
namespace IolaEdge.Evaluation;

/// <summary>Scores detections against truth events (times in ms on one clock); the metrics of <c>iolaedge eval</c>.</summary>
/// <remarks>Offline code (allocates); results agree with <c>score.py</c> for the counts, rates and timing errors.</remarks>
public static class Evaluator
{
    /// <summary>Computes every metric.</summary>
    /// <param name="truthMs">Truth times in ms (any order).</param>
    /// <param name="detectionsMs">Detection times in ms (any order).</param>
    /// <param name="latenciesMs">Algorithmic latency of each detection, same order as <paramref name="detectionsMs"/>.</param>
    /// <param name="options">What to compute (validated).</param>
    public static EvaluationResult Score(
        IReadOnlyList<double> truthMs, IReadOnlyList<double> detectionsMs, IReadOnlyList<double> latenciesMs, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(truthMs);
        ArgumentNullException.ThrowIfNull(detectionsMs);
        ArgumentNullException.ThrowIfNull(latenciesMs);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (latenciesMs.Count != detectionsMs.Count)
        {
            throw new ArgumentException("one latency per detection is required", nameof(latenciesMs));
        }

        double[] truth = Restrict(truthMs, options, out _);
        double[] det = Restrict(detectionsMs, options, out List<int> kept);
        double periodMs = 1000 / options.NominalRateHz;

        List<ToleranceResult> byMs = [];
        foreach (double tol in options.TolerancesMs)
        {
            byMs.Add(AtTolerance(truth, det, tol, periodMs, out _));
        }

        List<ToleranceResult> bySamples = [];
        foreach (double samples in options.TolerancesSamples)
        {
            bySamples.Add(AtTolerance(truth, det, samples * periodMs, periodMs, out _));
        }

        AtTolerance(truth, det, options.TimingToleranceMs, periodMs, out List<MatchedPair> pairs);
        double[] signed = new double[pairs.Count];
        double[] abs = new double[pairs.Count];
        double sum = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            signed[i] = pairs[i].ErrorMs;
            abs[i] = Math.Abs(pairs[i].ErrorMs);
            sum += signed[i];
        }

        TimingResult timing = new(options.TimingToleranceMs, pairs.Count, Percentile.Median(abs), Percentile.Of(abs, 90),
            Percentile.Median(signed), pairs.Count > 0 ? sum / pairs.Count : double.NaN);

        double[] lat = new double[kept.Count];
        for (int i = 0; i < kept.Count; i++)
        {
            lat[i] = latenciesMs[kept[i]];
        }

        LatencyResult latency = new(lat.Length, Percentile.Of(lat, 50), Percentile.Of(lat, 90),
            lat.Length > 0 ? lat.Max() : double.NaN);

        (double lo, double hi) = Statistics.MedianConfidenceInterval(signed, options.OffsetConfidence);
        OffsetResult offset = new(pairs.Count, Percentile.Median(signed), lo, hi, options.OffsetConfidence);
        return new EvaluationResult(truth.Length, det.Length, byMs, bySamples, timing, latency, Dcase(truth, det, options), offset);
    }

    /// <summary>
    /// The events <see cref="Score"/> scores, in the order <see cref="EventMatcher"/>'s pair indices refer to:
    /// those with from ≤ t &lt; to, sorted. For callers that draw the matching rather than count it.
    /// </summary>
    public static double[] SortedInRange(IReadOnlyList<double> timesMs, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(timesMs);
        ArgumentNullException.ThrowIfNull(options);
        return Restrict(timesMs, options, out _);
    }

    /// <summary>Precision, recall and F1 as score.py defines them (0 for an empty denominator).</summary>
    public static (double Precision, double Recall, double F1) Rates(int tp, int fp, int fn)
    {
        double p = tp + fp > 0 ? (double)tp / (tp + fp) : 0;
        double r = tp + fn > 0 ? (double)tp / (tp + fn) : 0;
        double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
        return (p, r, f);
    }

    private static ToleranceResult AtTolerance(double[] truth, double[] det, double tol, double periodMs, out List<MatchedPair> pairs)
    {
        pairs = [];
        bool exact = EventMatcher.Match(truth, det, tol, pairs);
        int tp = pairs.Count;
        int fp = det.Length - tp, fn = truth.Length - tp;
        (double p, double r, double f) = Rates(tp, fp, fn);
        return new ToleranceResult(tol, tol / periodMs, tp, fp, fn, p, r, f, exact);
    }

    private static DcaseResult Dcase(double[] truth, double[] det, EvaluationOptions o)
    {
        List<MatchedPair> pairs = [];
        EventMatcher.Match(truth, det, o.CollarMs, pairs);
        int tp = pairs.Count;
        (double ep, double er, double ef) = Rates(tp, det.Length - tp, truth.Length - tp);
        double errorRate = truth.Length > 0 ? (double)(truth.Length - tp + det.Length - tp) / truth.Length : double.NaN;

        // Segment-based: a segment is active when it holds at least one event.
        double start = o.FromMs ?? Math.Min(truth.Length > 0 ? truth[0] : double.MaxValue, det.Length > 0 ? det[0] : double.MaxValue);
        double end = o.ToMs ?? Math.Max(truth.Length > 0 ? truth[^1] : double.MinValue, det.Length > 0 ? det[^1] : double.MinValue);
        int segments = truth.Length + det.Length == 0 ? 0 : (int)Math.Floor((end - start) / o.SegmentMs) + 1;
        bool[] t = new bool[Math.Max(segments, 0)];
        bool[] d = new bool[t.Length];
        Mark(truth, start, o.SegmentMs, t);
        Mark(det, start, o.SegmentMs, d);
        int stp = 0, sfp = 0, sfn = 0;
        for (int i = 0; i < t.Length; i++)
        {
            stp += t[i] && d[i] ? 1 : 0;
            sfp += !t[i] && d[i] ? 1 : 0;
            sfn += t[i] && !d[i] ? 1 : 0;
        }

        (double sp, double sr, double sf) = Rates(stp, sfp, sfn);
        return new DcaseResult(o.CollarMs, ep, er, ef, errorRate, o.SegmentMs, t.Length, sp, sr, sf);
    }

    private static void Mark(double[] times, double start, double segmentMs, bool[] active)
    {
        foreach (double x in times)
        {
            int i = (int)Math.Floor((x - start) / segmentMs);
            if (i >= 0 && i < active.Length)
            {
                active[i] = true;
            }
        }
    }

    /// <summary>Sorted copy of the events with from ≤ t &lt; to (score.py's range rule); <paramref name="kept"/> maps back to input order.</summary>
    private static double[] Restrict(IReadOnlyList<double> times, EvaluationOptions o, out List<int> kept)
    {
        kept = [];
        for (int i = 0; i < times.Count; i++)
        {
            double x = times[i];
            if ((o.FromMs is not double f || x >= f) && (o.ToMs is not double to || x < to))
            {
                kept.Add(i);
            }
        }

        double[] result = new double[kept.Count];
        for (int i = 0; i < kept.Count; i++)
        {
            result[i] = times[kept[i]];
        }

        Array.Sort(result);
        return result;
    }
}
