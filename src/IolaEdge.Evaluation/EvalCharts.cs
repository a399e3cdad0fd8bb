using System.Globalization;
using System.Text;
using IolaEdge.Evaluation;
using static IolaEdge.Evaluation.SvgKit;

namespace IolaEdge.Evaluation;

/// <summary>The charts and number formats both eval pictures draw: one file's (<see cref="EvalPlot"/>) and a corpus's (<see cref="CorpusPlot"/>).</summary>
internal static class EvalCharts
{
    /// <summary>Width of a timing-error histogram bin.</summary>
    public const double BinMs = 10;

    /// <summary>The whole SVG document around <paramref name="body"/>: XML declaration, root element sized in pixels, white background.</summary>
    public static string Document(double width, double height, SvgCanvas body)
    {
        StringBuilder svg = new();
        svg.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{SvgCanvas.Number(width)}\" height=\"{SvgCanvas.Number(height)}\" ");
        svg.Append(CultureInfo.InvariantCulture,
            $"viewBox=\"0 0 {SvgCanvas.Number(width)} {SvgCanvas.Number(height)}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"100%\" height=\"100%\" fill=\"{Palette.Background}\"/>\n");
        svg.Append(body.ToString());
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>F1 (solid), precision and recall (dashed) against tolerance, one hoverable point per tolerance.</summary>
    /// <param name="c">Canvas.</param>
    /// <param name="curve">Results by ascending tolerance.</param>
    /// <param name="box">Where to draw.</param>
    /// <param name="title">Heading above the chart.</param>
    public static void ToleranceChart(SvgCanvas c, IReadOnlyList<ToleranceResult> curve, Box box, string title = "F1, precision and recall against matching tolerance")
    {
        c.Text(box.X, box.Y + 14, title, size: 13, weight: "bold");
        Box plot = box.Inset(left: 45, top: 40, right: 10, bottom: 40);
        double maxTol = Math.Max(curve[^1].ToleranceMs, 1);
        LinearScale x = new(0, maxTol, plot.X, plot.Right);
        LinearScale y = new(0, 1, plot.Bottom, plot.Y);
        Axes(c, plot, x, y, Ticks.Nice(0, maxTol, 6), [0, 0.2, 0.4, 0.6, 0.8, 1], v => Ms(v), v => Fixed(v, 1));
        c.Text(plot.CenterX, plot.Bottom + 32, "tolerance (ms)", anchor: "middle");
        c.Text(plot.X - 32, plot.CenterY, "score", anchor: "middle", rotate: true);

        // With as many detections as truths all three lines coincide: precision and recall go on top, dashed, so they still show.
        c.Polyline(curve.Select(t => (x.Map(t.ToleranceMs), y.Map(t.F1))), Palette.F1, 2);
        c.Polyline(curve.Select(t => (x.Map(t.ToleranceMs), y.Map(t.Precision))), Palette.Precision, 1.5, dash: "6 3");
        c.Polyline(curve.Select(t => (x.Map(t.ToleranceMs), y.Map(t.Recall))), Palette.Recall, 1.5, dash: "2 3");
        foreach (ToleranceResult t in curve)
        {
            c.Circle(x.Map(t.ToleranceMs), y.Map(t.F1), 3, Palette.F1, "f1-point",
                $"±{Ms(t.ToleranceMs)} ms: F1 {Fixed(t.F1, 3)}, precision {Fixed(t.Precision, 3)}, recall {Fixed(t.Recall, 3)}");
        }

        double lx = box.X + 10, ly = box.Y + 30;
        LegendLine(c, lx, ly, Palette.F1, null, "F1");
        LegendLine(c, lx + 60, ly, Palette.Precision, "6 3", "precision");
        LegendLine(c, lx + 160, ly, Palette.Recall, "2 3", "recall");
    }

    /// <summary>Histogram of signed errors (detection − truth) in 10 ms bins centred on multiples of 10 ms, a shaded band and the median as a line.</summary>
    /// <param name="c">Canvas.</param>
    /// <param name="errorsMs">Signed error of each pair.</param>
    /// <param name="toleranceMs">The tolerance the pairs were matched at (the histogram's half-width).</param>
    /// <param name="bandMs">Half-width of the shaded band (the headline tolerance).</param>
    /// <param name="medianMs">Median error, NaN without pairs.</param>
    /// <param name="box">Where to draw.</param>
    /// <param name="subject">What the pairs are, for the heading (e.g. "pairs", "pairs of 56 files").</param>
    /// <param name="binClass">CSS class of the bars (scripts count <c>bin</c>; the note panels use <c>note-bin</c>).</param>
    public static void ErrorHistogram(SvgCanvas c, IReadOnlyList<double> errorsMs, double toleranceMs, double bandMs, double medianMs, Box box,
        string subject = "pairs", string binClass = "bin")
    {
        double tol = toleranceMs;
        c.Text(box.X, box.Y + 14, $"Timing error of the {errorsMs.Count} {subject} matched at ±{Ms(tol)} ms", size: 13, weight: "bold");
        c.Text(box.X, box.Y + 30, $"{Ms(BinMs)} ms bins; shaded: ±{Ms(bandMs)} ms; line: median {MedianText(medianMs)}",
            fill: Palette.Muted);
        Box plot = box.Inset(left: 45, top: 40, right: 10, bottom: 40);

        // Bins are centred on multiples of 10 ms so that zero error is a bin centre and the picture is symmetric.
        // The clamp only catches the matcher's 1e-9 ms slack beyond the tolerance.
        int half = BinIndex(tol);
        int[] counts = new int[(2 * half) + 1];
        foreach (double e in errorsMs)
        {
            counts[Math.Clamp(BinIndex(e), -half, half) + half]++;
        }

        double edge = (half * BinMs) + (BinMs / 2);
        int maxCount = Math.Max(1, counts.Max());
        LinearScale x = new(-edge, edge, plot.X, plot.Right);
        LinearScale y = new(0, maxCount, plot.Bottom, plot.Y);
        double band = Math.Min(bandMs, edge);
        c.Rect(x.Map(-band), plot.Y, x.Map(band) - x.Map(-band), plot.Height, Palette.Band, binClass == "bin" ? "band" : "note-band");
        Axes(c, plot, x, y, Ticks.Nice(-edge, edge, 6), Ticks.Nice(0, maxCount, 5, integral: true), Signed, v => Fixed(v, 0));
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
            c.Rect(left, y.Map(counts[i]), right - left, plot.Bottom - y.Map(counts[i]), Palette.Bar, binClass,
                $"{Signed(centre)} ms: {counts[i]} pairs", counts[i]);
        }

        if (double.IsFinite(medianMs))
        {
            double mx = x.Map(medianMs);
            c.Line(mx, plot.Y, mx, plot.Bottom, Palette.Median, 2, binClass == "bin" ? "median" : "note-median");
        }
    }

    private static int BinIndex(double errorMs) => (int)Math.Floor((errorMs / BinMs) + 0.5);

    /// <summary>Grid lines at the y ticks, tick marks and labels on the x axis, and the two axis lines.</summary>
    public static void Axes(SvgCanvas c, Box plot, LinearScale x, LinearScale y, IEnumerable<double> xTicks, IEnumerable<double> yTicks,
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

    /// <summary>A legend entry: a short line in the series' colour and dash, then its label.</summary>
    public static void LegendLine(SvgCanvas c, double x, double y, string colour, string? dash, string label)
    {
        c.Line(x, y - 4, x + 22, y - 4, colour, 2, "legend", dash);
        c.Text(x + 26, y, label);
    }

    /// <summary>A legend entry: a tick in the colour, then its label.</summary>
    public static void LegendTick(SvgCanvas c, double x, double y, string colour, string label)
    {
        c.Line(x + 4, y - 10, x + 4, y + 2, colour, 3, "legend");
        c.Text(x + 12, y, label);
    }

    /// <summary>A tolerance or duration in ms, up to three decimals.</summary>
    public static string Ms(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Fixed decimals, "n/a" when not finite.</summary>
    public static string Fixed(double v, int decimals) =>
        double.IsFinite(v) ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Error in ms with its sign spelled out (+ late, - early), to 0.1 ms.</summary>
    public static string Signed(double v)
    {
        if (!double.IsFinite(v))
        {
            return "n/a";
        }

        double rounded = Math.Round(v, 1);
        string magnitude = Math.Abs(rounded).ToString("0.#", CultureInfo.InvariantCulture);
        return rounded > 0 ? "+" + magnitude : rounded < 0 ? "-" + magnitude : "0";
    }

    /// <summary>"+12.5 ms", or "none (no pairs)".</summary>
    public static string MedianText(double medianMs) => double.IsFinite(medianMs) ? Signed(medianMs) + " ms" : "none (no pairs)";

    /// <summary>"12.5 ms", or "n/a".</summary>
    public static string MsOrNone(double ms) => double.IsFinite(ms) ? Fixed(ms, 1) + " ms" : "n/a";

    /// <summary>m:ss (with tenths when not whole), for offsets from the walk's first sample.</summary>
    public static string Clock(double ms)
    {
        double tenths = Math.Round(ms / 100);
        string sign = tenths < 0 ? "-" : string.Empty;
        tenths = Math.Abs(tenths);
        long minutes = (long)Math.Floor(tenths / 600);
        double seconds = (tenths - (minutes * 600)) / 10;
        string format = tenths % 10 == 0 ? "00" : "00.0";
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{minutes}:{seconds.ToString(format, CultureInfo.InvariantCulture)}");
    }
}
