using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Output;

/// <summary>A slow consumer of stamped footfall events (log, event file, histograms), on its own thread.</summary>
internal interface IFootfallEventConsumer
{
    /// <summary>Short name for drop counters in summaries.</summary>
    string Name { get; }

    /// <summary>Handles one event (its consumer thread only; may block on I/O).</summary>
    void OnFootfall(in FootfallEvent footfall);

    /// <summary>Called when the queue has been drained, and once more at shutdown: flush buffers.</summary>
    void Flush();
}
