using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Dsp.Sources;
using IolaEdge.Recording;

namespace IolaEdge.Daemon.Hosting;

/// <summary>A source opened for a run, and the clock its arrival stamps are on.</summary>
/// <param name="Source">The source.</param>
/// <param name="ArrivalIsMonotonic">True for live sources and the simulator; false for replayed files (file clock).</param>
/// <param name="IsReplay">True for files and the simulator: the source may wait for ring space instead of dropping.</param>
internal sealed record OpenedSource(IImuSource Source, bool ArrivalIsMonotonic, bool IsReplay)
{
    /// <summary>The source when it replays a recording file (its row counters go into the books), else null.</summary>
    public CsvImuSource? File { get; init; }
}

/// <summary>Builds the parts of a run from validated options (the seam tests replace).</summary>
internal interface IRunComponents
{
    /// <summary>Opens the source. Throws <see cref="StartupException"/> (exit code Input) when it cannot.</summary>
    OpenedSource OpenSource(SourceSpec spec, ReplaySpeed speed);

    /// <summary>Creates the per-sensor chain factory for a detector and its tuning. Throws <see cref="StartupException"/> when unavailable.</summary>
    SensorChainFactory CreatePipelines(string detector, DetectorOptions tuning);

    /// <summary>Opens the MIDI output that publishes written events to <paramref name="fanOut"/>; its MIDI thread, if it has one, is
    /// created by <paramref name="realtime"/>. Throws <see cref="StartupException"/> (exit code Output).</summary>
    IFootfallOutput OpenOutput(MidiOptions options, EventFanOut fanOut, RealtimeThreads realtime);
}
