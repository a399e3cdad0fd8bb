using System.Globalization;
using System.Net;
using System.Text;

namespace IolaEdge.Daemon.Soak;

/// <summary>One line of a <see cref="SoakChart"/>: points in time order (NaN values leave a gap).</summary>
/// <param name="Id">Stable name (the report's <c>data-series</c> attribute), e.g. <c>working_set_mb</c>.</param>
/// <param name="Label">Legend text.</param>
/// <param name="Color">Stroke colour.</param>
/// <param name="Points">(seconds, value) pairs.</param>
internal sealed record ChartSeries(string Id, string Label, string Color, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A small line chart over the soak's time axis, drawn as inline SVG (no script, no external reference), so
/// the report stays one self-contained file. Kept apart from the evaluation plots' SVG helpers on purpose:
/// the soak report must not depend on the evaluation project.
/// </summary>
internal static class SoakChart
{
    private const double Width = 760;
    private const double Height = 236;
    private const double Left = 64;
    private const double Right = 16;
    private const double Top = 44; // title, then the legend row
    private const double Bottom = 36;

    /// <summary>Okabe-Ito colours, distinguishable with colour-blindness.</summary>
    public static readonly string[] Colors = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];

    /// <summary>The chart as an <c>&lt;svg&gt;</c> element (well-formed XML).</summary>
    /// <param name="id">Element id.</param>
    /// <param name="title">Title drawn above the plot.</param>
    /// <param name="unit">Y-axis unit.</param>
    /// <param name="series">The lines.</param>
    /// <param name="endSeconds">Right end of the time axis.</param>
    public static string Render(string id, string title, string unit, IReadOnlyList<ChartSeries> series, double endSeconds)
    {
        double xMax = endSeconds > 0 ? endSeconds : 1;
        double yMin = 0;
        double yMax = series.SelectMany(s => s.Points).Select(p => p.Y).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        yMax = yMax <= 0 ? 1 : NiceCeiling(yMax * 1.05);
        double plotW = Width - Left - Right;
        double plotH = Height - Top - Bottom;
        double X(double x) => Left + (x / xMax * plotW);
        double Y(double y) => Top + plotH - ((y - yMin) / (yMax - yMin) * plotH);

        StringBuilder svg = new();
        svg.Append(Inv($"<svg id=\"{Esc(id)}\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Esc(title)}\">"));
        svg.Append(Inv($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>"));
        svg.Append(Inv($"<text x=\"{Left}\" y=\"18\" class=\"title\">{Esc(title)}</text>"));

        for (int i = 0; i <= 4; i++)
        {
            double v = yMin + ((yMax - yMin) * i / 4);
            double y = Y(v);
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{N(y)}\" x2=\"{Width - Right}\" y2=\"{N(y)}\" stroke=\"#e4e4e4\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{N(y + 4)}\" class=\"tick\" text-anchor=\"end\">{Esc(Label(v))}</text>"));
        }

        foreach (double t in TimeTicks(xMax))
        {
            double x = X(t);
            svg.Append(Inv($"<line x1=\"{N(x)}\" y1=\"{Top + plotH}\" x2=\"{N(x)}\" y2=\"{Top + plotH + 4}\" stroke=\"#555555\"/>"));
            svg.Append(Inv($"<text x=\"{N(x)}\" y=\"{Top + plotH + 16}\" class=\"tick\" text-anchor=\"middle\">{Esc(TimeLabel(t))}</text>"));
        }

        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Width - Right}\" y2=\"{Top + plotH}\" stroke=\"#555555\"/>"));
        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"#555555\"/>"));
        svg.Append(Inv($"<text x=\"14\" y=\"{N(Top + (plotH / 2))}\" class=\"tick\" text-anchor=\"middle\" transform=\"rotate(-90 14 {N(Top + (plotH / 2))})\">{Esc(unit)}</text>"));
        svg.Append(Inv($"<text x=\"{Width - Right}\" y=\"{Height - 4}\" class=\"tick\" text-anchor=\"end\">time since the source started</text>"));

        double legendX = Left;
        foreach (ChartSeries s in series)
        {
            svg.Append(Inv($"<g class=\"series\" data-series=\"{Esc(s.Id)}\">"));
            foreach (string segment in Segments(s.Points, X, Y))
            {
                svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.8\" points=\"{segment}\"/>"));
            }

            if (s.Points.Count(p => double.IsFinite(p.Y)) == 1)
            {
                (double x, double y) = s.Points.First(p => double.IsFinite(p.Y));
                svg.Append(Inv($"<circle cx=\"{N(X(x))}\" cy=\"{N(Y(y))}\" r=\"2.5\" fill=\"{s.Color}\"/>"));
            }

            svg.Append(Inv($"<rect x=\"{N(legendX)}\" y=\"27\" width=\"12\" height=\"3\" fill=\"{s.Color}\"/>"));
            svg.Append(Inv($"<text x=\"{N(legendX + 16)}\" y=\"32\" class=\"legend\">{Esc(s.Label)}</text>"));
            svg.Append("</g>");
            legendX += 22 + (s.Label.Length * 6.2);
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>XML/HTML text escaping.</summary>
    public static string Esc(string text) => WebUtility.HtmlEncode(text);

    // Consecutive finite points form one polyline; a NaN (nothing measured in that interval) breaks the line.
    private static IEnumerable<string> Segments(IReadOnlyList<(double X, double Y)> points, Func<double, double> x, Func<double, double> y)
    {
        StringBuilder segment = new();
        foreach ((double px, double py) in points)
        {
            if (!double.IsFinite(py))
            {
                if (segment.Length > 0)
                {
                    yield return segment.ToString().TrimEnd();
                    segment.Clear();
                }

                continue;
            }

            segment.Append(N(x(px))).Append(',').Append(N(y(py))).Append(' ');
        }

        if (segment.Length > 0)
        {
            yield return segment.ToString().TrimEnd();
        }
    }

    private static double NiceCeiling(double v)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= v)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static IEnumerable<double> TimeTicks(double end)
    {
        double[] steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200];
        double step = steps.FirstOrDefault(s => end / s <= 8, 86400);
        for (double t = 0; t <= end + 1e-9; t += step)
        {
            yield return t;
        }
    }

    private static string TimeLabel(double seconds) =>
        seconds >= 3600 ? Inv($"{seconds / 3600:0.#} h") : seconds >= 60 ? Inv($"{seconds / 60:0.#} min") : Inv($"{seconds:0.#} s");

    private static string Label(double v) => v >= 100 ? Inv($"{v:0}") : v >= 10 ? Inv($"{v:0.#}") : Inv($"{v:0.##}");

    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
