using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Gate;

namespace IolaEdge.Daemon.Web;

/// <summary>
/// The figures the page shows and <c>GET /api/status</c> returns (one snapshot, read off the pipeline).
/// <see cref="SourceKind"/> (<c>ble</c>, <c>replay</c>, <c>simulator</c>) and <see cref="Sensors"/> (each BLE sensor's
/// link state and battery; empty for other sources) feed the page's per-sensor block.
/// </summary>
internal sealed record LiveStatus(
    string State,
    string Source,
    string Detector,
    long Samples,
    long Footfalls,
    long Annotations,
    double? CadenceStepsPerMinute,
    LiveDrops Drops,
    LiveLatency Latency,
    GateOptions Gate,
    long DetectorChangesApplied,
    IReadOnlyList<string> Unsaved,
    string? ConfigFile,
    int Pages,
    long FramesSent,
    long PipelineAllocatedBytes,
    double UptimeSeconds,
    string SourceKind,
    IReadOnlyList<LiveSensor> Sensors,
    IReadOnlyList<LiveComponent> Components)
{
    /// <summary>Reads a snapshot of <paramref name="run"/>.</summary>
    public static LiveStatus Of(LiveRun run, LatencyWindow latency, FrameBroadcaster? frames)
    {
        RunSnapshot s = run.Statistics.Snapshot();
        double cadence = run.Statistics.Histograms.CadenceStepsPerMinute;
        var chains = run.Tuning.Chains;
        GateOptions gate = chains.FirstOrDefault(c => c.Gate is not null)?.Gate?.Options ?? new GateOptions();
        long applied = 0;
        foreach (var chain in chains)
        {
            applied += chain.DspChangesApplied;
        }

        return new LiveStatus(
            run.Ended ? "ended" : "running",
            run.Source,
            run.Tuning.DetectorName,
            s.Samples,
            s.Footfalls,
            s.Annotations,
            double.IsNaN(cadence) ? null : Math.Round(cadence, 1),
            new LiveDrops(s.RingDrops, s.MidiDrops, s.ConsumerDrops, frames?.DroppedFrames ?? 0, s.TotalDrops + (frames?.DroppedFrames ?? 0)),
            LiveLatency.Of(latency),
            gate,
            applied,
            run.Tuning.Unsaved,
            run.Tuning.ConfigFile,
            frames?.Clients ?? 0,
            frames?.FramesSent ?? 0,
            s.PipelineAllocatedBytes,
            Math.Round((Dsp.Timing.MonotonicClock.NowNs() - run.StartedNs) / 1e9, 1),
            run.Sensors.Kind,
            run.Sensors.Read(),
            LiveComponent.Of(run.Statistics.Health));
    }
}

/// <summary>
/// A live component as the health monitor last read it: each MIDI port or file, the BLE source, the MIDI learn input,
/// real-time scheduling. <see cref="Level"/> is <c>ok</c>, <c>degraded</c> or <c>failing</c>.
/// </summary>
internal sealed record LiveComponent(string Component, string Level, string Text)
{
    /// <summary>The components of <paramref name="health"/> (none before the run has one).</summary>
    public static IReadOnlyList<LiveComponent> Of(Health.HealthMonitor? health) =>
        health is null ? [] : [.. health.Components().Select(c => new LiveComponent(c.Component, LevelName(c.Level), c.Text))];

    /// <summary>The level's name on the page and in /metrics.</summary>
    public static string LevelName(Health.HealthLevel level) => level switch
    {
        Health.HealthLevel.Ok => "ok",
        Health.HealthLevel.Degraded => "degraded",
        _ => "failing",
    };
}

/// <summary>Drops by reason; <see cref="Total"/> adds them up.</summary>
/// <param name="Ring">Samples (sample ring full).</param>
/// <param name="Midi">Footfalls (MIDI queue full or write failed).</param>
/// <param name="Consumers">Events slow consumers missed (log, histograms, events file, recorder, this page's feed).</param>
/// <param name="PageFrames">Frames pages fell behind on (their own queues).</param>
/// <param name="Total">All of them.</param>
internal sealed record LiveDrops(long Ring, long Midi, long Consumers, long PageFrames, long Total);

/// <summary>Latency of the last minute, ms (null before any footfall).</summary>
internal sealed record LiveLatency(int Footfalls, double? ProcessingP50, double? ProcessingP99, double? AlgorithmicP50, double? AlgorithmicP99)
{
    /// <summary>From a window (NaN becomes null).</summary>
    public static LiveLatency Of(LatencyWindow w) => new(w.Footfalls, N(w.ProcessingP50), N(w.ProcessingP99), N(w.AlgorithmicP50), N(w.AlgorithmicP99));

    private static double? N(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);
}
