namespace IolaEdge.Daemon.Configuration;

/// <summary>The JSON-lines footfall event stream (configuration section <c>Events</c>).</summary>
internal sealed class EventsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Events";

    /// <summary><c>none</c>, <c>stdout</c>, or a file path (one JSON object per footfall per line).</summary>
    public string Output { get; set; } = "none";

    /// <summary>Log one line per footfall (time and latency stamps).</summary>
    public bool LogEachFootfall { get; set; } = true;
}
