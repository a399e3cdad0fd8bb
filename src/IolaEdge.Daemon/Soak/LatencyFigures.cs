using IolaEdge.Daemon.Latency;

namespace IolaEdge.Daemon.Soak;

/// <summary>One latency's percentiles over the whole run, in ms (NaN without footfalls).</summary>
internal sealed record LatencyFigures(long Count, double P50, double P90, double P99, double P999, double Max)
{
    /// <summary>Algorithmic latency (decision - footfall) from the run's histograms.</summary>
    public static LatencyFigures Algorithmic(LatencyHistograms h) =>
        new(h.Count, h.AlgorithmicPercentileMs(50), h.AlgorithmicPercentileMs(90), h.AlgorithmicPercentileMs(99), h.AlgorithmicPercentileMs(99.9), h.AlgorithmicPercentileMs(100));

    /// <summary>Processing latency (MIDI write - packet arrival) from the run's histograms.</summary>
    public static LatencyFigures Processing(LatencyHistograms h) =>
        new(h.Count - h.Unmeasured, h.ProcessingPercentileMs(50), h.ProcessingPercentileMs(90), h.ProcessingPercentileMs(99), h.ProcessingPercentileMs(99.9), h.ProcessingPercentileMs(100));
}
