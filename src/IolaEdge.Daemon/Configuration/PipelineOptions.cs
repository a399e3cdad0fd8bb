namespace IolaEdge.Daemon.Configuration;

/// <summary>Sizing and reporting of the pipeline thread (configuration section <c>Pipeline</c>).</summary>
internal sealed class PipelineOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>Slots of the source-to-pipeline sample ring (rounded up to a power of two).</summary>
    /// <remarks>4096 samples hold 20 s at 200 Hz: a stalled pipeline thread loses nothing for that long.</remarks>
    public int RingCapacity { get; set; } = 4096;

    /// <summary>Slots of each slow consumer's event queue (log, event writer, histograms).</summary>
    public int FanOutCapacity { get; set; } = 1024;

    /// <summary>Seconds between progress lines (samples, footfalls, drops, cadence); 0 turns them off.</summary>
    public double ProgressIntervalSeconds { get; set; } = 10;

    /// <summary>Highest sensor id accepted (0 for one sensor, 1 for a left/right pair).</summary>
    public int MaxSensorId { get; set; } = 1;
}
