namespace IolaEdge.Daemon.Configuration;

/// <summary>Console and file logging (configuration section <c>Log</c>; Serilog's own <c>Serilog</c> section may refine it).</summary>
internal sealed class LoggingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Log";

    /// <summary>Minimum level: Verbose, Debug, Information, Warning, Error, Fatal.</summary>
    public string Level { get; set; } = "Information";

    /// <summary>Console format: <c>text</c> (readable, level prefix) or <c>json</c> (compact JSON, one event per line).</summary>
    public string Format { get; set; } = "text";

    /// <summary>Optional rolling log file (compact JSON); empty = none.</summary>
    public string File { get; set; } = string.Empty;

    /// <summary>Rolling files kept, 1 to 1000.</summary>
    public int RetainedFiles { get; set; } = 7;
}
