using IolaEdge.Daemon.Latency;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Recording;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// The live counters of one run, as summaries, progress lines and run observers read them. Every
/// counter is written by its own thread and read here as a snapshot (Volatile reads or the histograms'
/// lock, which the pipeline thread never takes), so reading never disturbs the real-time path.
/// </summary>
internal sealed record RunStatistics(SampleRingSink Sink, PipelineCore Core, IFootfallOutput Output, EventFanOut FanOut, LatencyHistograms Histograms,
    PipelineThread Thread, Recorder? Recorder)
{
    /// <summary>The live components' states (MIDI ports, BLE, real-time scheduling), or null.</summary>
    public Health.HealthMonitor? Health { get; init; }

    /// <summary>Everything dropped on the way: samples (ring full), footfalls (MIDI queue full or write failed) and events (slow consumer full).</summary>
    public long TotalDrops => Sink.Dropped + Output.Dropped + FanOut.TotalDropped;

    /// <summary>The counters now, read once each.</summary>
    public RunSnapshot Snapshot() => new(
        Samples: Core.Samples,
        Footfalls: Core.Footfalls,
        Annotations: Sink.Annotations,
        Rejected: Core.Rejected,
        RingDrops: Sink.Dropped,
        MidiDrops: Output.Dropped,
        ConsumerDrops: FanOut.TotalDropped,
        PipelineAllocatedBytes: Thread.AllocatedBytes);
}

/// <summary>The counters of a run at one moment (see <see cref="RunStatistics.Snapshot"/>).</summary>
/// <param name="Samples">Samples the pipeline thread processed.</param>
/// <param name="Footfalls">Footfalls detected.</param>
/// <param name="Annotations">Ground-truth footfalls the source marked (simulator truth, recorded rows, button presses).</param>
/// <param name="Rejected">Samples skipped for an out-of-range sensor id.</param>
/// <param name="RingDrops">Samples dropped because the sample ring was full.</param>
/// <param name="MidiDrops">Footfalls the MIDI output could not queue or write.</param>
/// <param name="ConsumerDrops">Events slow consumers (log, histograms, events, recorder) missed.</param>
/// <param name="PipelineAllocatedBytes">Bytes the pipeline thread allocated since it started.</param>
internal readonly record struct RunSnapshot(long Samples, long Footfalls, long Annotations, long Rejected, long RingDrops, long MidiDrops,
    long ConsumerDrops, long PipelineAllocatedBytes)
{
    /// <summary>Ring, MIDI and consumer drops together.</summary>
    public long TotalDrops => RingDrops + MidiDrops + ConsumerDrops;
}
