using System.Globalization;
using System.Text;
using IolaEdge.Dsp.Evaluation;

namespace IolaEdge.Daemon.Evaluation;

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
    private const double BinMs = 10;

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
        DrawToleranceChart(body, data, new Box(Margin, y, halfWidth, ChartHeight));
        DrawErrorHistogram(body, data, new Box((2 * Margin) + halfWidth, y, halfWidth, ChartHeight));
        y += ChartHeight + Margin;
        y = DrawTimeline(body, data, y) + Margin;
        DrawErrorScatter(body, data, new Box(Margin, y, Width - (2 * Margin), ChartHeight));
        double height = y + ChartHeight + Margin;

        StringBuilder svg = new();
        svg.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{SvgCanvas.Number(Width)}\" height=\"{SvgCanvas.Number(height)}\" ");
        svg.Append(CultureInfo.InvariantCulture,
            $"viewBox=\"0 0 {SvgCanvas.Number(Width)} {SvgCanvas.Number(height)}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"100%\" height=\"100%\" fill=\"{Palette.Background}\"/>\n");
        svg.Append(body.ToString());
        svg.Append("</svg>\n");
        return svg.ToString();
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

    private static void DrawToleranceChart(SvgCanvas c, PlotData d, Box box)
    {
        c.Text(box.X, box.Y + 14, "F1, precision and recall against matching tolerance", size: 13, weight: "bold");
        Box plot = box.Inset(left: 45, top: 40, right: 10, bottom: 40);
        double maxTol = Math.Max(d.Curve[^1].ToleranceMs, 1);
        LinearScale x = new(0, maxTol, plot.X, plot.Right);
        LinearScale y = new(0, 1, plot.Bottom, plot.Y);
        DrawAxes(c, plot, x, y, Ticks.Nice(0, maxTol, 6), [0, 0.2, 0.4, 0.6, 0.8, 1], v => Ms(v), v => Fixed(v, 1));
        c.Text(plot.CenterX, plot.Bottom + 32, "tolerance (ms)", anchor: "middle");
        c.Text(plot.X - 32, plot.CenterY, "score", anchor: "middle", rotate: true);

        // With as many detections as truths all three lines coincide: precision and recall go on top, dashed, so they still show.
        c.Polyline(d.Curve.Select(t => (x.Map(t.ToleranceMs), y.Map(t.F1))), Palette.F1, 2);
        c.Polyline(d.Curve.Select(t => (x.Map(t.ToleranceMs), y.Map(t.Precision))), Palette.Precision, 1.5, dash: "6 3");
        c.Polyline(d.Curve.Select(t => (x.Map(t.ToleranceMs), y.Map(t.Recall))), Palette.Recall, 1.5, dash: "2 3");
        foreach (ToleranceResult t in d.Curve)
        {
            c.Circle(x.Map(t.ToleranceMs), y.Map(t.F1), 3, Palette.F1, "f1-point",
                $"±{Ms(t.ToleranceMs)} ms: F1 {Fixed(t.F1, 3)}, precision {Fixed(t.Precision, 3)}, recall {Fixed(t.Recall, 3)}");
        }

        double lx = box.X + 10, ly = box.Y + 30;
        LegendLine(c, lx, ly, Palette.F1, null, "F1");
        LegendLine(c, lx + 60, ly, Palette.Precision, "6 3", "precision");
        LegendLine(c, lx + 160, ly, Palette.Recall, "2 3", "recall");
    }

    private static void DrawErrorHistogram(SvgCanvas c, PlotData d, Box box)
    {
        double tol = d.HistogramToleranceMs;
        c.Text(box.X, box.Y + 14, $"Timing error of the {d.HistogramPairs.Count} pairs matched at ±{Ms(tol)} ms", size: 13, weight: "bold");
        c.Text(box.X, box.Y + 30, $"{Ms(BinMs)} ms bins; shaded: ±{Ms(d.Headline.ToleranceMs)} ms; line: median {MedianText(d.HistogramMedianMs)}",
            fill: Palette.Muted);
        Box plot = box.Inset(left: 45, top: 40, right: 10, bottom: 40);

        // Bins are centred on multiples of 10 ms so that zero error is a bin centre and the picture is symmetric.
        // The clamp only catches the matcher's 1e-9 ms slack beyond the tolerance.
        int half = BinIndex(tol);
        int[] counts = new int[(2 * half) + 1];
        foreach (MatchedPair p in d.HistogramPairs)
        {
            counts[Math.Clamp(BinIndex(p.ErrorMs), -half, half) + half]++;
        }

        double edge = (half * BinMs) + (BinMs / 2);
        int maxCount = Math.Max(1, counts.Max());
        LinearScale x = new(-edge, edge, plot.X, plot.Right);
        LinearScale y = new(0, maxCount, plot.Bottom, plot.Y);
        double band = Math.Min(d.Headline.ToleranceMs, edge);
        c.Rect(x.Map(-band), plot.Y, x.Map(band) - x.Map(-band), plot.Height, Palette.Band, "band");
        DrawAxes(c, plot, x, y, Ticks.Nice(-edge, edge, 6), Ticks.Nice(0, maxCount, 5, integral: true), Signed, v => Fixed(v, 0));
        c.Text(plot.CenterX, plot.Bottom + 32, "detection − truth (ms)", anchor: "middle");
        c.Text(plot.X - 32, plot.CenterY, "pairs", anchor: "middle", rotate: true);
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            double centre = (i - half) * BinMs;
            double left = x.Map(centre - (BinMs / 2)), right = x.Map(centre + (BinMs / 2));
            c.Rect(left, y.Map(counts[i]), right - left, plot.Bottom - y.Map(counts[i]), Palette.Bar, "bin",
                $"{Signed(centre)} ms: {counts[i]} pairs", counts[i]);
        }

        if (double.IsFinite(d.HistogramMedianMs))
        {
            double mx = x.Map(d.HistogramMedianMs);
            c.Line(mx, plot.Y, mx, plot.Bottom, Palette.Median, 2, "median");
        }
    }

    private static int BinIndex(double errorMs) => (int)Math.Floor((errorMs / BinMs) + 0.5);

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
        DrawAxes(c, plot, x, y, Ticks.Seconds(fromS, toS), Ticks.Nice(-tol, tol, 8), s => Clock(s * 1000), Signed);
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

    private static void DrawAxes(SvgCanvas c, Box plot, LinearScale x, LinearScale y, IEnumerable<double> xTicks, IEnumerable<double> yTicks,
        Func<double, string> xLabel, Func<double, string> yLabel)
    {
        foreach (double v in yTicks)
        {
            c.Line(plot.X, y.Map(v), plot.Right, y.Map(v), Palette.Grid, 1);
            c.Text(plot.X - 5, y.Map(v) + 4, yLabel(v), anchor: "end", size: 10);
        }

        foreach (double v in xTicks)
        {
            c.Line(x.Map(v), plot.Bottom, x.Map(v), plot.Bottom + 4, Palette.Axis, 1);
            c.Text(x.Map(v), plot.Bottom + 15, xLabel(v), anchor: "middle", size: 10);
        }

        c.Line(plot.X, plot.Bottom, plot.Right, plot.Bottom, Palette.Axis, 1);
        c.Line(plot.X, plot.Y, plot.X, plot.Bottom, Palette.Axis, 1);
    }

    private static void LegendLine(SvgCanvas c, double x, double y, string colour, string? dash, string label)
    {
        c.Line(x, y - 4, x + 22, y - 4, colour, 2, "legend", dash);
        c.Text(x + 26, y, label);
    }

    private static void LegendTick(SvgCanvas c, double x, double y, string colour, string label)
    {
        c.Line(x + 4, y - 10, x + 4, y + 2, colour, 3, "legend");
        c.Text(x + 12, y, label);
    }

    private static string Ms(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Fixed(double v, int decimals) =>
        double.IsFinite(v) ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Error in ms with its sign spelled out (+ late, - early), to 0.1 ms.</summary>
    private static string Signed(double v)
    {
        if (!double.IsFinite(v))
        {
            return "n/a";
        }

        double rounded = Math.Round(v, 1);
        string magnitude = Math.Abs(rounded).ToString("0.#", CultureInfo.InvariantCulture);
        return rounded > 0 ? "+" + magnitude : rounded < 0 ? "-" + magnitude : "0";
    }

    private static string MedianText(double medianMs) => double.IsFinite(medianMs) ? Signed(medianMs) + " ms" : "none (no pairs)";

    private static string MsOrNone(double ms) => double.IsFinite(ms) ? Fixed(ms, 1) + " ms" : "n/a";

    /// <summary>m:ss (with tenths when not whole), for offsets from the walk's first sample.</summary>
    private static string Clock(double ms)
    {
        double tenths = Math.Round(ms / 100);
        string sign = tenths < 0 ? "-" : string.Empty;
        tenths = Math.Abs(tenths);
        long minutes = (long)Math.Floor(tenths / 600);
        double seconds = (tenths - (minutes * 600)) / 10;
        string format = tenths % 10 == 0 ? "00" : "00.0";
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{minutes}:{seconds.ToString(format, CultureInfo.InvariantCulture)}");
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
                HeadlineMedianMs = Statistics.Median([.. headlinePairs.Select(p => p.ErrorMs)]),
                HistogramToleranceMs = histogramTolerance,
                HistogramPairs = histogramPairs,
                HistogramMedianMs = Statistics.Median([.. histogramPairs.Select(p => p.ErrorMs)]),
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

    /// <summary>A rectangle of the picture in pixels.</summary>
    private readonly record struct Box(double X, double Y, double Width, double Height)
    {
        public double Right => X + Width;

        public double Bottom => Y + Height;

        public double CenterX => X + (Width / 2);

        public double CenterY => Y + (Height / 2);

        public Box Inset(double left, double top, double right, double bottom) =>
            new(X + left, Y + top, Width - left - right, Height - top - bottom);
    }

    /// <summary>Maps data values linearly onto pixels (the range may run backwards, as y does).</summary>
    private readonly record struct LinearScale(double DomainMin, double DomainMax, double RangeMin, double RangeMax)
    {
        public double Map(double v) => RangeMin + ((v - DomainMin) / (DomainMax - DomainMin) * (RangeMax - RangeMin));
    }

    /// <summary>Axis tick positions at round numbers.</summary>
    private static class Ticks
    {
        private static readonly double[] s_secondSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

        /// <summary>Multiples of 1, 2 or 5 × 10^k (2.5 too unless integral), at most about <paramref name="maxTicks"/> of them.</summary>
        public static IEnumerable<double> Nice(double min, double max, int maxTicks, bool integral = false)
        {
            double raw = (max - min) / maxTicks;
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double[] multiples = integral ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
            double step = multiples.Select(m => m * magnitude).First(s => s >= raw);
            if (integral)
            {
                step = Math.Max(1, Math.Round(step));
            }

            return Multiples(min, max, step);
        }

        /// <summary>Round numbers of seconds (5 s, 1 min, 5 min …) for a time axis.</summary>
        public static IEnumerable<double> Seconds(double fromS, double toS)
        {
            double step = s_secondSteps.FirstOrDefault(s => (toS - fromS) / s <= 12, s_secondSteps[^1]);
            return Multiples(fromS, toS, step);
        }

        private static IEnumerable<double> Multiples(double min, double max, double step)
        {
            // Integer counters, not repeated addition, so that 0.1-style steps do not drift into labels like 0.30000000000000004.
            for (long k = (long)Math.Ceiling((min / step) - 1e-9); k * step <= max + (1e-9 * step); k++)
            {
                yield return k * step;
            }
        }
    }

    /// <summary>Okabe–Ito colours (safe for the common colour-vision deficiencies) and greys.</summary>
    private static class Palette
    {
        public const string Background = "#ffffff";
        public const string Axis = "#555555";
        public const string Grid = "#e4e4e4";
        public const string Muted = "#555555";
        public const string Band = "#eef3f8";
        public const string Bar = "#56b4e9";
        public const string Median = "#d55e00";
        public const string F1 = "#000000";
        public const string Precision = "#0072b2";
        public const string Recall = "#cc79a7";
        public const string Matched = "#009e73";
        public const string Missed = "#0072b2";
        public const string FalseDetection = "#d55e00";
    }

    /// <summary>Appends SVG elements; every coordinate goes through <see cref="Number"/> so output is byte-stable.</summary>
    private sealed class SvgCanvas
    {
        private readonly StringBuilder _svg = new();

        /// <summary>Two decimals, invariant culture, no negative zero: a pixel grid fine enough and identical on every machine.</summary>
        public static string Number(double v)
        {
            double rounded = Math.Round(v, 2, MidpointRounding.ToEven);
            return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
        }

        public void Line(double x1, double y1, double x2, double y2, string stroke, double width, string? cssClass = null, string? dash = null)
        {
            _svg.Append(CultureInfo.InvariantCulture,
                $"<line{Class(cssClass)} x1=\"{Number(x1)}\" y1=\"{Number(y1)}\" x2=\"{Number(x2)}\" y2=\"{Number(y2)}\" stroke=\"{stroke}\" stroke-width=\"{Number(width)}\"");
            if (dash is not null)
            {
                _svg.Append(CultureInfo.InvariantCulture, $" stroke-dasharray=\"{dash}\"");
            }

            _svg.Append("/>\n");
        }

        public void Rect(double x, double y, double width, double height, string fill, string? cssClass = null, string? tooltip = null, int? count = null)
        {
            _svg.Append(CultureInfo.InvariantCulture,
                $"<rect{Class(cssClass)} x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(width)}\" height=\"{Number(height)}\" fill=\"{fill}\"");
            if (count is int n)
            {
                _svg.Append(CultureInfo.InvariantCulture, $" data-count=\"{n}\"");
            }

            CloseWithTooltip("rect", tooltip);
        }

        public void Circle(double cx, double cy, double r, string fill, string? cssClass = null, string? tooltip = null)
        {
            _svg.Append(CultureInfo.InvariantCulture, $"<circle{Class(cssClass)} cx=\"{Number(cx)}\" cy=\"{Number(cy)}\" r=\"{Number(r)}\" fill=\"{fill}\"");
            CloseWithTooltip("circle", tooltip);
        }

        public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width, string? dash = null)
        {
            string coordinates = string.Join(' ', points.Select(p => Number(p.X) + "," + Number(p.Y)));
            _svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{Number(width)}\"");
            if (dash is not null)
            {
                _svg.Append(CultureInfo.InvariantCulture, $" stroke-dasharray=\"{dash}\"");
            }

            _svg.Append("/>\n");
        }

        public void Text(double x, double y, string text, double size = 11, string anchor = "start", string? weight = null, string fill = "#222222", bool rotate = false)
        {
            _svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Number(x)}\" y=\"{Number(y)}\" font-size=\"{Number(size)}\" fill=\"{fill}\"");
            if (anchor != "start")
            {
                _svg.Append(CultureInfo.InvariantCulture, $" text-anchor=\"{anchor}\"");
            }

            if (weight is not null)
            {
                _svg.Append(CultureInfo.InvariantCulture, $" font-weight=\"{weight}\"");
            }

            if (rotate)
            {
                _svg.Append(CultureInfo.InvariantCulture, $" transform=\"rotate(-90 {Number(x)} {Number(y)})\"");
            }

            _svg.Append('>').Append(Escape(text)).Append("</text>\n");
        }

        public override string ToString() => _svg.ToString();

        private static string Class(string? cssClass) => cssClass is null ? string.Empty : $" class=\"{cssClass}\"";

        private static string Escape(string text) =>
            text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
                .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

        /// <summary>A &lt;title&gt; child is what browsers show on hover.</summary>
        private void CloseWithTooltip(string element, string? tooltip)
        {
            if (tooltip is null)
            {
                _svg.Append("/>\n");
                return;
            }

            _svg.Append("><title>").Append(Escape(tooltip)).Append("</title></").Append(element).Append(">\n");
        }
    }
}
