namespace IolaEdge.Daemon.Configuration;

/// <summary>Kinds of sample source a run can read.</summary>
internal enum SourceKind
{
    /// <summary>The walk shipped with the binary (<c>data/walks/bundled-walk.csv</c> beside it).</summary>
    Bundled,

    /// <summary>The walk simulator (<c>sim</c> or <c>sim:key=value,...</c>, parsed by <c>SimulationSpec</c>).</summary>
    Simulator,

    /// <summary>A recording CSV file.</summary>
    File,

    /// <summary>Live MetaMotion sensors over Bluetooth LE (<c>ble:ADDRESS</c>, <c>ble:name:MetaWear</c>, <c>ble:left=…,right=…</c>).</summary>
    Ble,
}

/// <summary>A parsed <c>Run:Source</c> value: <c>bundled</c>, <c>sim[:k=v,...]</c> or <c>file:PATH</c>.</summary>
/// <param name="Kind">Which source.</param>
/// <param name="Text">The file path for <see cref="SourceKind.File"/>, the whole spec for the simulator and BLE.</param>
internal sealed record SourceSpec(SourceKind Kind, string Text)
{
    /// <summary>What the key accepts, for error messages and <c>--help</c>.</summary>
    public const string Allowed = "'bundled', 'sim', 'sim:key=value,...', 'file:PATH' or 'ble:ADDRESS|name:NAME|left=…,right=…[,gyro=auto|on|off][,battery=SECONDS|off]'";

    /// <summary>Parses a source spec; returns false for anything else.</summary>
    public static bool TryParse(string? text, out SourceSpec spec)
    {
        spec = new SourceSpec(SourceKind.Bundled, string.Empty);
        string value = text?.Trim() ?? string.Empty;
        if (value.Equals("bundled", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            spec = new SourceSpec(SourceKind.File, value["file:".Length..]);
            return spec.Text.Length > 0;
        }

        if (value.StartsWith("ble:", StringComparison.OrdinalIgnoreCase))
        {
            spec = new SourceSpec(SourceKind.Ble, value);
            return true;
        }

        if (value == "sim" || value.StartsWith("sim:", StringComparison.Ordinal))
        {
            spec = new SourceSpec(SourceKind.Simulator, value);
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        SourceKind.Bundled => "bundled",
        SourceKind.File => "file:" + Text,
        _ => Text,
    };
}
