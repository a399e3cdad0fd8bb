using System.Globalization;

namespace IolaEdge.Daemon.Configuration;

/// <summary>Collects configuration problems, each naming the key, the value and what is allowed.</summary>
internal sealed class ConfigurationProblems
{
    private readonly List<string> _problems = [];

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<string> Items => _problems;

    /// <summary>Formats one problem the way every configuration error is reported.</summary>
    public static string Describe(string key, string? value, string allowed) =>
        string.Create(CultureInfo.InvariantCulture, $"{key} = '{value}' is not valid; allowed: {allowed}");

    /// <summary>
    /// Words an options type's range failure (its parameter name is the key, its message holds the range
    /// as "[min, max]") as a configuration problem under <paramref name="section"/>.
    /// </summary>
    public static string Describe(string section, ArgumentOutOfRangeException ex, string? context = null)
    {
        int open = ex.Message.IndexOf('[', StringComparison.Ordinal);
        int close = ex.Message.IndexOf(']', StringComparison.Ordinal);
        string range = open >= 0 && close > open ? "a number in " + ex.Message[open..(close + 1)] : ex.Message;
        string value = Convert.ToString(ex.ActualValue, CultureInfo.InvariantCulture) ?? string.Empty;
        return Describe($"{section}:{ex.ParamName}", value, context is null ? range : $"{range} {context}");
    }

    /// <summary>Records a problem already worded as "key = value ... allowed" by another validator.</summary>
    public void AddRaw(string problem) => _problems.Add(problem);

    /// <summary>Records a problem.</summary>
    public void Add(string key, string? value, string allowed) => _problems.Add(Describe(key, value, allowed));

    /// <summary>Checks an integer range (inclusive).</summary>
    public void RequireRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(key, value.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}"));
        }
    }

    /// <summary>Checks a real range (inclusive).</summary>
    public void RequireRange(string key, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            Add(key, value.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}"));
        }
    }

    /// <summary>Checks that <paramref name="value"/> is one of <paramref name="choices"/> (case-insensitive).</summary>
    public void RequireOneOf(string key, string? value, params string[] choices)
    {
        foreach (string choice in choices)
        {
            if (string.Equals(choice, value, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        Add(key, value, "one of " + string.Join(", ", choices));
    }
}
