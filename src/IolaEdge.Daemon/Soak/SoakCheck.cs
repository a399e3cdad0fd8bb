using System.Globalization;

namespace IolaEdge.Daemon.Soak;

/// <summary>What became of one soak check.</summary>
internal enum CheckOutcome
{
    /// <summary>Measured and within its limit.</summary>
    Pass,

    /// <summary>Measured and beyond its limit: the soak fails.</summary>
    Fail,

    /// <summary>Could not be measured meaningfully in this run (the detail says why); does not fail the soak.</summary>
    NotEvaluated,
}

/// <summary>Which side of the limit passes.</summary>
internal enum Bound
{
    /// <summary>Value ≤ limit passes.</summary>
    AtMost,

    /// <summary>Value ≥ limit passes.</summary>
    AtLeast,
}

/// <summary>One check of a soak: what it measures, the value, the limit and the outcome.</summary>
/// <param name="Name">Stable identifier (report key), e.g. <c>working-set-growth</c>.</param>
/// <param name="Measures">What the value is, in words.</param>
/// <param name="Value">The measured value (NaN when not measured).</param>
/// <param name="Bound">Which side of the limit passes.</param>
/// <param name="Limit">The limit (NaN when the check has none in this run).</param>
/// <param name="Unit">Unit of value and limit.</param>
/// <param name="Outcome">Pass, fail or not evaluated.</param>
/// <param name="Detail">The figures behind the value, or why it was not evaluated.</param>
internal sealed record SoakCheck(string Name, string Measures, double Value, Bound Bound, double Limit, string Unit, CheckOutcome Outcome, string Detail)
{
    /// <summary>A measured check: passes when the value is on the right side of the limit.</summary>
    public static SoakCheck Judge(string name, string measures, double value, Bound bound, double limit, string unit, string detail)
    {
        bool within = bound == Bound.AtMost ? value <= limit : value >= limit; // NaN is never within
        return new SoakCheck(name, measures, value, bound, limit, unit, within ? CheckOutcome.Pass : CheckOutcome.Fail, detail);
    }

    /// <summary>A check this run cannot measure meaningfully; <paramref name="reason"/> says why.</summary>
    public static SoakCheck NotMeasured(string name, string measures, double value, Bound bound, double limit, string unit, string reason) =>
        new(name, measures, value, bound, limit, unit, CheckOutcome.NotEvaluated, reason);

    /// <summary>"≤" or "≥".</summary>
    public string BoundSymbol => Bound == Bound.AtMost ? "<=" : ">=";

    /// <summary>One line for the log: outcome, name, value against limit, detail.</summary>
    public string Describe()
    {
        string unit = Unit.Length > 0 ? " " + Unit : "";
        if (Outcome == CheckOutcome.NotEvaluated)
        {
            return string.Create(CultureInfo.InvariantCulture, $"n/a  {Name}: {Format(Value)}{unit}, not judged against {BoundSymbol} {Format(Limit)} ({Detail})");
        }

        string limit = double.IsNaN(Limit) ? "" : $" {BoundSymbol} {Format(Limit)}{unit}";
        string outcome = Outcome == CheckOutcome.Pass ? "PASS" : "FAIL";
        return string.Create(CultureInfo.InvariantCulture, $"{outcome} {Name}: {Format(Value)}{unit}{limit} ({Detail})");
    }

    /// <summary>A figure with up to three decimals, "-" for NaN.</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "-" : value.ToString("0.###", CultureInfo.InvariantCulture);
}
