using System.Globalization;
using System.Text;
using IolaEdge.Dsp;
using IolaEdge.Evaluation;
using static IolaEdge.Evaluation.EvalCharts;
using static IolaEdge.Evaluation.SvgKit;

namespace IolaEdge.Evaluation;

/// <summary>
/// The <c>--plot</c> picture of an eval run: one self-contained SVG with the headline scores, F1 against
/// tolerance, the timing-error histogram, a timeline of matched and unmatched events, and the error of each
/// pair against time.
/// </summary>
/// <remarks>
/// Hand-written SVG so that eval needs no plotting package. Sizes are fixed and every number goes through
/// <see cref="SvgCanvas.Number"/> (invariant culture, fixed rounding), so the same run gives the same bytes
/// and plots can be diffed. Tick elements carry the classes <c>truth</c>/<c>det</c> and
/// <c>tp</c>/<c>fp</c>/<c>fn</c> so that tests (and scripts) can count what was drawn.
/// </remarks>
internal static class EvalPlot
{
    private const double Width = 1000;
    private const double Margin = 20;
    private const double ChartHeight = 260;
    private const double RowMs = 30_000;
    private const double RowHeight = 40;

    /// <summary>Writes the SVG to <paramref name="path"/> (UTF-8 without BOM).</summary>
    public static void Write(string path, EvalRun run, EvaluationResult result, EvaluationOptions options) =>
        File.WriteAllText(path, Svg(run, result, options), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>The SVG document.</summary>
    public static string Svg(EvalRun run, EvaluationResult result, EvaluationOptions options)
    {
        PlotData data = PlotData.From(run, result, options);
        SvgCanvas body = new();
        double y = DrawHeader(body, data, Margin);
        double halfWidth = (Width - (3 * Margin)) / 2;
        ToleranceChart(body, data.Curve, new Box(Margin, y, halfWidth, ChartHeight));
        ErrorHistogram(body, [.. data.HistogramPairs.Select(p => p.ErrorMs)], data.HistogramToleranceMs, data.Headline.ToleranceMs,
            data.HistogramMedianMs, new Box((2 * Margin) + halfWidth, y, halfWidth, ChartHeight));
        y += ChartHeight + Margin;
        y = DrawTimeline(body, data, y) + Margin;
        DrawErrorScatter(body, data, new Box(Margin, y, Width - (2 * Margin), ChartHeight));
        y += ChartHeight + Margin;
        (NoteTimingResult detect, NoteTimingResult predict) = NoteReport.Score(run, options);
        double height = NoteReport.DrawPanel(body, detect, predict, run.Notes.Settings, Margin, y, Width - (2 * Margin), ChartHeight) + Margin;

        return Document(Width, height, body);
    }

    /// <summary>Two lines: what was run and the numbers an engineer compares first.</summary>
    private static double DrawHeader(SvgCanvas c, PlotData d, double top)
    {
        ToleranceResult h = d.Headline;
        c.Text(Margin, top + 14, $"{d.FileName} · detector {d.DetectorName} · truth {d.TruthCount}, detections {d.DetectionCount} · "
            + $"F1 {Fixed(h.F1, 3)} at ±{Ms(h.ToleranceMs)} ms · latency p50 {MsOrNone(d.LatencyP50Ms)}", size: 15, weight: "bold");
        string range = d.RangeText is null ? string.Empty : $" · scored range {d.RangeText}";
        c.Text(Margin, top + 34, $"at ±{Ms(h.ToleranceMs)} ms: precision {Fixed(h.Precision, 3)}, recall {Fixed(h.Recall, 3)}, "
            + $"TP {h.TruePositives}, FP {h.FalsePositives}, FN {h.FalseNegatives} · walk {Fixed(d.WalkSeconds, 1)} s{range}",
            size: 12, fill: Palette.Muted);
        return top + 50;
    }

    /// <summary>The walk in rows of 30 s: truth ticks above each row's line, detections below, coloured by outcome.</summary>
    private static double DrawTimeline(SvgCanvas c, PlotData d, double top)
    {
        ToleranceResult h = d.Headline;
        c.Text(Margin, top + 14, $"Timeline, {Ms(RowMs / 1000)} s per row: truth (footfall rows) above the line, detections below; "
            + $"matched at ±{Ms(h.ToleranceMs)} ms", size: 13, weight: "bold");
        double legendY = top + 34;
        LegendTick(c, Margin, legendY, Palette.Matched, $"matched truth and detection ({h.TruePositives} pairs)");
        LegendTick(c, Margin + 300, legendY, Palette.Missed, $"missed truth, FN ({h.FalseNegatives})");
        LegendTick(c, Margin + 500, legendY, Palette.FalseDetection, $"false detection, FP ({h.FalsePositives})");

        const double labelWidth = 60;
        double left = Margin + labelWidth, right = Width - Margin;
        double rowsTop = top + 64;
        LinearScale x = new(0, RowMs, left, right);
        for (double s = 0; s <= RowMs; s += 5000)
        {
            c.Text(x.Map(s), rowsTop - 6, $"+{Ms(s / 1000)} s", size: 10, anchor: "middle", fill: Palette.Muted);
        }

        int rows = d.TimelineRows(RowMs);
        for (int r = 0; r < rows; r++)
        {
            double baseline = rowsTop + (r * RowHeight) + (RowHeight / 2);
            double rowStart = d.SpanStartMs + (r * RowMs);
            c.Text(left - 8, baseline + 4, Clock(rowStart - d.OriginMs), anchor: "end", fill: Palette.Muted);
            c.Line(left, baseline, right, baseline, Palette.Axis, 1);
            for (double s = 0; s <= RowMs; s += 5000)
            {
                c.Line(x.Map(s), baseline - 3, x.Map(s), baseline + 3, Palette.Axis, 1);
            }
        }

        for (int i = 0; i < d.Truth.Length; i++)
        {
            (double tx, double baseline) = TimelinePoint(d, d.Truth[i], x, rowsTop, rows);
            bool matched = d.TruthMatched[i];
            c.Line(tx, baseline - 16, tx, baseline - 2, matched ? Palette.Matched : Palette.Missed, 2, matched ? "truth tp" : "truth fn");
        }

        for (int j = 0; j < d.Detections.Length; j++)
        {
            (double tx, double baseline) = TimelinePoint(d, d.Detections[j], x, rowsTop, rows);
            bool matched = d.DetectionMatched[j];
            c.Line(tx, baseline + 2, tx, baseline + 16, matched ? Palette.Matched : Palette.FalseDetection, 2, matched ? "det tp" : "det fp");
        }

        return rowsTop + (rows * RowHeight);
    }

    private static (double X, double Baseline) TimelinePoint(PlotData d, double timeMs, LinearScale x, double rowsTop, int rows)
    {
        // An event exactly at the end of the span belongs to the last row's right edge, not to a row of its own.
        int row = Math.Min((int)Math.Floor((timeMs - d.SpanStartMs) / RowMs), rows - 1);
        return (x.Map(timeMs - d.SpanStartMs - (row * RowMs)), rowsTop + (row * RowHeight) + (RowHeight / 2));
    }

    private static void DrawErrorScatter(SvgCanvas c, PlotData d, Box box)
    {
        double tol = Math.Max(d.Headline.ToleranceMs, 1);
        c.Text(box.X, box.Y + 14, $"Signed error (detection − truth) of each of the {d.HeadlinePairs.Count} pairs matched at "
            + $"±{Ms(d.Headline.ToleranceMs)} ms, against time (drift, regimes)", size: 13, weight: "bold");
        c.Text(box.X, box.Y + 30, $"dashed: median {MedianText(d.HeadlineMedianMs)}", fill: Palette.Muted);
        Box plot = box.Inset(left: 55, top: 40, right: 10, bottom: 40);
        double fromS = (d.SpanStartMs - d.OriginMs) / 1000, toS = (d.SpanEndMs - d.OriginMs) / 1000;
        LinearScale x = new(fromS, Math.Max(toS, fromS + 1), plot.X, plot.Right);
        LinearScale y = new(-tol, tol, plot.Bottom, plot.Y);
        Axes(c, plot, x, y, Ticks.Seconds(fromS, toS), Ticks.Nice(-tol, tol, 8), s => Clock(s * 1000), Signed);
        c.Text(plot.CenterX, plot.Bottom + 32, "time since the first sample (m:ss)", anchor: "middle");
        c.Text(plot.X - 40, plot.CenterY, "detection − truth (ms)", anchor: "middle", rotate: true);
        c.Line(plot.X, y.Map(0), plot.Right, y.Map(0), Palette.Axis, 1);
        if (double.IsFinite(d.HeadlineMedianMs))
        {
            c.Line(plot.X, y.Map(d.HeadlineMedianMs), plot.Right, y.Map(d.HeadlineMedianMs), Palette.Median, 1, "median", dash: "4 3");
        }

        foreach (MatchedPair p in d.HeadlinePairs)
        {
            double t = d.Truth[p.TruthIndex];
            c.Circle(x.Map((t - d.OriginMs) / 1000), y.Map(p.ErrorMs), 2.5, Palette.Matched, "pair-error");
        }
    }

    /// <summary>What the plot draws, derived once from the run and its score.</summary>
    private sealed class PlotData
    {
        /// <summary>The tolerance the headline, timeline and scatter use: the evaluated one nearest this.</summary>
        private const double PreferredToleranceMs = 100;

        /// <summary>Largest tolerance the histogram uses, so that its bins stay few enough to read.</summary>
        private const double HistogramCapMs = 250;

        public required string FileName { get; init; }

        public required string DetectorName { get; init; }

        public required int TruthCount { get; init; }

        public required int DetectionCount { get; init; }

        public required double WalkSeconds { get; init; }

        public required double LatencyP50Ms { get; init; }

        public required string? RangeText { get; init; }

        /// <summary>Results by ascending tolerance.</summary>
        public required IReadOnlyList<ToleranceResult> Curve { get; init; }

        public required ToleranceResult Headline { get; init; }

        /// <summary>Scored truth times (in range, ascending): the matcher's truth indices refer to these.</summary>
        public required double[] Truth { get; init; }

        /// <summary>Scored detection times (in range, ascending).</summary>
        public required double[] Detections { get; init; }

        public required List<MatchedPair> HeadlinePairs { get; init; }

        public required bool[] TruthMatched { get; init; }

        public required bool[] DetectionMatched { get; init; }

        public required double HeadlineMedianMs { get; init; }

        public required double HistogramToleranceMs { get; init; }

        public required List<MatchedPair> HistogramPairs { get; init; }

        public required double HistogramMedianMs { get; init; }

        /// <summary>Zero of the time labels: the first sample, so plots of different ranges of one walk line up.</summary>
        public required double OriginMs { get; init; }

        public required double SpanStartMs { get; init; }

        public required double SpanEndMs { get; init; }

        public int TimelineRows(double rowMs) => Math.Max(1, (int)Math.Ceiling((SpanEndMs - SpanStartMs) / rowMs));

        public static PlotData From(EvalRun run, EvaluationResult result, EvaluationOptions options)
        {
            double[] truth = Evaluator.SortedInRange(run.TruthMs, options);
            double[] detections = Evaluator.SortedInRange([.. run.Detections.Select(d => d.TimeMs)], options);
            ToleranceResult headline = result.ByTolerance.OrderBy(t => Math.Abs(t.ToleranceMs - PreferredToleranceMs)).ThenBy(t => t.ToleranceMs).First();
            List<MatchedPair> headlinePairs = [];
            EventMatcher.Match(truth, detections, headline.ToleranceMs, headlinePairs);
            bool[] truthMatched = new bool[truth.Length];
            bool[] detectionMatched = new bool[detections.Length];
            foreach (MatchedPair p in headlinePairs)
            {
                truthMatched[p.TruthIndex] = true;
                detectionMatched[p.DetectionIndex] = true;
            }

            // Without an evaluated tolerance at or below the cap, the cap itself keeps the histogram readable.
            double histogramTolerance = result.ByTolerance.Select(t => t.ToleranceMs).Where(t => t <= HistogramCapMs).DefaultIfEmpty(HistogramCapMs).Max();
            List<MatchedPair> histogramPairs = [];
            EventMatcher.Match(truth, detections, histogramTolerance, histogramPairs);

            (double spanStart, double spanEnd, double origin) = Span(run, truth, detections, options);
            return new PlotData
            {
                FileName = Path.GetFileName(run.Input),
                DetectorName = run.DetectorName,
                TruthCount = result.TruthCount,
                DetectionCount = result.DetectionCount,
                WalkSeconds = run.WalkSeconds,
                LatencyP50Ms = result.Latency.P50Ms,
                RangeText = DescribeRange(options, origin),
                Curve = [.. result.ByTolerance.OrderBy(t => t.ToleranceMs)],
                Headline = headline,
                Truth = truth,
                Detections = detections,
                HeadlinePairs = headlinePairs,
                TruthMatched = truthMatched,
                DetectionMatched = detectionMatched,
                HeadlineMedianMs = Percentile.Median([.. headlinePairs.Select(p => p.ErrorMs)]),
                HistogramToleranceMs = histogramTolerance,
                HistogramPairs = histogramPairs,
                HistogramMedianMs = Percentile.Median([.. histogramPairs.Select(p => p.ErrorMs)]),
                OriginMs = origin,
                SpanStartMs = spanStart,
                SpanEndMs = spanEnd,
            };
        }

        /// <summary>
        /// The stretch of time the timeline and scatter cover: the walk (samples and events), cut to the scored range.
        /// The range is cut to the walk because a loose --to-ms would otherwise draw hours of empty rows.
        /// </summary>
        private static (double Start, double End, double Origin) Span(EvalRun run, double[] truth, double[] detections, EvaluationOptions options)
        {
            double[] known = [.. new[] { run.FirstSampleMs, run.LastSampleMs }.Where(double.IsFinite), .. truth, .. detections];
            double walkStart = known.Length > 0 ? known.Min() : options.FromMs ?? 0;
            double walkEnd = known.Length > 0 ? known.Max() : walkStart;
            double origin = double.IsFinite(run.FirstSampleMs) ? run.FirstSampleMs : walkStart;
            double start = Math.Max(options.FromMs ?? walkStart, walkStart);
            double end = Math.Min(options.ToMs ?? walkEnd, walkEnd);
            return (start, Math.Max(end, start), origin);
        }

        private static string? DescribeRange(EvaluationOptions options, double origin)
        {
            if (options.FromMs is null && options.ToMs is null)
            {
                return null;
            }

            static string Seconds(double? ms, double origin) =>
                ms is double v ? ((v - origin) / 1000).ToString("0.###", CultureInfo.InvariantCulture) + " s" : "…";
            return $"{Seconds(options.FromMs, origin)} to {Seconds(options.ToMs, origin)} after the first sample";
        }
    }
}
