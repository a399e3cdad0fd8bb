namespace IolaEdge.Daemon.Configuration;

/// <summary>What a run reads and how (configuration section <c>Run</c>).</summary>
internal sealed class RunOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Run";

    /// <summary>
    /// Source spec: <c>bundled</c> (the walk shipped beside the binary), <c>sim</c> or
    /// <c>sim:key=value,...</c> (the walk simulator), <c>file:PATH</c> (a recording CSV).
    /// </summary>
    public string Source { get; set; } = "bundled";

    /// <summary>Replay pace: a factor of real time (<c>1</c> = real time) or <c>max</c> (as fast as possible).</summary>
    public string Speed { get; set; } = "1";

    /// <summary>Detector name, one of <see cref="Detectors.DetectorCatalog.Names"/>.</summary>
    public string Detector { get; set; } = Detectors.DetectorCatalog.Default;

    /// <summary>Stops the run after this many seconds of wall time (0 = until the source ends or a signal).</summary>
    public double DurationSeconds { get; set; }
}
