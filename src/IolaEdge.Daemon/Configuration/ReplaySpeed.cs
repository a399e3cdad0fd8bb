using System.Globalization;

namespace IolaEdge.Daemon.Configuration;

/// <summary>A parsed <c>Run:Speed</c>: a factor of real time, or as fast as possible.</summary>
internal readonly record struct ReplaySpeed(double Factor)
{
    /// <summary>Largest factor accepted.</summary>
    public const double MaxFactor = 1000;

    /// <summary>What the key accepts, for error messages and <c>--help</c>.</summary>
    public const string Allowed = "a number greater than 0 and at most 1000 (1 = real time) or 'max'";

    /// <summary>True for <c>max</c>: no pacing at all.</summary>
    public bool IsMax => double.IsPositiveInfinity(Factor);

    /// <summary>Parses <c>max</c> or a factor in (0, 1000].</summary>
    public static bool TryParse(string? text, out ReplaySpeed speed)
    {
        speed = new ReplaySpeed(1);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.Trim().Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            speed = new ReplaySpeed(double.PositiveInfinity);
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double factor)
            || !(factor > 0) || factor > MaxFactor)
        {
            return false;
        }

        speed = new ReplaySpeed(factor);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => IsMax ? "max" : Factor.ToString("0.###", CultureInfo.InvariantCulture) + "x";
}
