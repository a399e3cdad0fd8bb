using System.Globalization;
using System.Reflection;
using IolaEdge.Daemon.Evaluation;
using IolaEdge.Dsp.Gait;

namespace IolaEdge.Daemon.Configuration;

/// <summary>The gait tracker's settings (<c>Gait:*</c>) given as key/value pairs (<c>eval --set</c>), checked with the key named.</summary>
internal static class GaitSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gait";

    /// <summary>Takes the <c>Gait:*</c> pairs out of <paramref name="pairs"/> and binds them; <paramref name="problems"/> names each bad key.</summary>
    public static GaitOptions Take(Dictionary<string, string?> pairs, out List<string> problems)
    {
        problems = [];
        GaitOptions options = new();
        foreach (string key in pairs.Keys.Where(k => k.StartsWith(SectionName + ":", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            string? value = pairs[key];
            pairs.Remove(key);
            string name = key[(SectionName.Length + 1)..];
            PropertyInfo? property = typeof(GaitOptions).GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite || name.Equals(nameof(GaitOptions.NominalRateHz), StringComparison.OrdinalIgnoreCase))
            {
                string known = string.Join(", ", typeof(GaitOptions).GetProperties().Where(p => p.CanWrite && p.Name != nameof(GaitOptions.NominalRateHz)).Select(p => p.Name));
                problems.Add($"{key}: no such setting (known: {known})");
                continue;
            }

            if (property.PropertyType == typeof(int) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i))
            {
                property.SetValue(options, i);
            }
            else if (property.PropertyType == typeof(double) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            {
                property.SetValue(options, d);
            }
            else
            {
                problems.Add($"{key} = '{value}' is not {(property.PropertyType == typeof(int) ? "a whole number" : "a number")}");
            }
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            problems.Add($"{SectionName}:{e.ParamName}: {e.Message.Split(Environment.NewLine)[0].Split(" (Parameter")[0]}");
        }

        return options;
    }

    /// <summary>Note settings for eval, checked like the mapping's <c>OutputLatencyMs</c> and <c>ConfirmWindowMs</c>.</summary>
    public static NoteSettings Notes(double outputLatencyMs, double confirmWindowMs, double maxLateMs, GaitOptions gait, List<string> problems)
    {
        if (!(maxLateMs >= 0 && maxLateMs <= 2000))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--max-late-ms = {maxLateMs} is outside 0..2000"));
        }

        if (!(outputLatencyMs >= 0 && outputLatencyMs <= 500))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--output-latency-ms = {outputLatencyMs} is outside 0..500"));
        }

        if (!(confirmWindowMs >= 5 && confirmWindowMs <= 500))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--confirm-window-ms = {confirmWindowMs} is outside 5..500"));
        }

        return new NoteSettings(outputLatencyMs, confirmWindowMs, gait, maxLateMs);
    }
}
