using System.Globalization;
using System.Text;

namespace IolaEdge.Evaluation;

/// <summary>
/// The hand-written SVG building blocks the eval pictures share (<see cref="EvalPlot"/>, <see cref="CorpusPlot"/>):
/// a byte-stable canvas, pixel boxes, linear scales, round tick positions and the colours.
/// </summary>
/// <remarks>Nested so that their short names (<c>Box</c>, <c>Ticks</c>) stay out of the namespace; users import them with <c>using static</c>.</remarks>
internal static class SvgKit
{
    /// <summary>A rectangle of the picture in pixels.</summary>
    internal readonly record struct Box(double X, double Y, double Width, double Height)
    {
        public double Right => X + Width;

        public double Bottom => Y + Height;

        public double CenterX => X + (Width / 2);

        public double CenterY => Y + (Height / 2);

        public Box Inset(double left, double top, double right, double bottom) =>
            new(X + left, Y + top, Width - left - right, Height - top - bottom);
    }

    /// <summary>Maps data values linearly onto pixels (the range may run backwards, as y does).</summary>
    internal readonly record struct LinearScale(double DomainMin, double DomainMax, double RangeMin, double RangeMax)
    {
        public double Map(double v) => RangeMin + ((v - DomainMin) / (DomainMax - DomainMin) * (RangeMax - RangeMin));
    }

    /// <summary>Axis tick positions at round numbers.</summary>
    internal static class Ticks
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
    internal static class Palette
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
    internal sealed class SvgCanvas
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

        /// <summary>A rectangle; <paramref name="count"/> and <paramref name="f1"/> become <c>data-count</c> / <c>data-f1</c> attributes for scripts and tests.</summary>
        public void Rect(double x, double y, double width, double height, string fill, string? cssClass = null, string? tooltip = null, int? count = null,
            double? f1 = null)
        {
            _svg.Append(CultureInfo.InvariantCulture,
                $"<rect{Class(cssClass)} x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(width)}\" height=\"{Number(height)}\" fill=\"{fill}\"");
            if (count is int n)
            {
                _svg.Append(CultureInfo.InvariantCulture, $" data-count=\"{n}\"");
            }

            if (f1 is double v)
            {
                _svg.Append(CultureInfo.InvariantCulture, $" data-f1=\"{v.ToString("0.####", CultureInfo.InvariantCulture)}\"");
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
