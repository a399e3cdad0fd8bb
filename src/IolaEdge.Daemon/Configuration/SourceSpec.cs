using System.Globalization;

namespace IolaEdge.Daemon.Configuration;

/// <summary>Kinds of sample source a run can read.</summary>
internal enum SourceKind
{
    /// <summary>The walk shipped with the binary (<c>data/walks/bundled-walk.csv</c> beside it).</summary>
    Bundled,

    /// <summary>The walk simulator, with <c>key=value</c> parameters.</summary>
    Simulator,

    /// <summary>A session CSV file.</summary>
    File,
}

/// <summary>A parsed <c>Session:Source</c> value: <c>bundled</c>, <c>sim[:k=v,...]</c> or <c>file:PATH</c>.</summary>
internal sealed record SourceSpec(SourceKind Kind, string Path, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>What the key accepts, for error messages and <c>--help</c>.</summary>
    public const string Allowed = "'bundled', 'sim', 'sim:key=value,...' or 'file:PATH'";

    /// <summary>Parses a source spec; returns false for anything else.</summary>
    public static bool TryParse(string? text, out SourceSpec spec)
    {
        spec = new SourceSpec(SourceKind.Bundled, string.Empty, new Dictionary<string, string>());
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string value = text.Trim();
        if (value.Equals("bundled", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            string path = value["file:".Length..];
            spec = spec with { Kind = SourceKind.File, Path = path };
            return path.Length > 0;
        }

        if (value.Equals("sim", StringComparison.OrdinalIgnoreCase))
        {
            spec = spec with { Kind = SourceKind.Simulator };
            return true;
        }

        if (!value.StartsWith("sim:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Dictionary<string, string> parameters = new(StringComparer.OrdinalIgnoreCase);
        foreach (string pair in value["sim:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1)
            {
                return false;
            }

            parameters[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        spec = new SourceSpec(SourceKind.Simulator, string.Empty, parameters);
        return true;
    }

    /// <summary>A simulator parameter as a number, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="FormatException">The parameter is present but not a number.</exception>
    public double GetNumber(string key, double fallback)
    {
        if (!Parameters.TryGetValue(key, out string? text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"Session:Source parameter '{key}' = '{text}' is not a number");
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        SourceKind.Bundled => "bundled",
        SourceKind.File => "file:" + Path,
        _ => Parameters.Count == 0 ? "sim" : "sim:" + string.Join(',', Parameters.Select(p => p.Key + "=" + p.Value)),
    };
}
