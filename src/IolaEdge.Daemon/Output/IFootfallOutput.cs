using IolaEdge.Dsp.Samples;
using IolaEdge.Midi.Engine;

namespace IolaEdge.Daemon.Output;

/// <summary>
/// Where the pipeline thread hands each footfall: the MIDI layer's lock-free queue. The output stamps
/// <see cref="FootfallEvent.MidiWriteTimeNs"/> when the bytes reach the OS and then publishes the stamped
/// event to the slow consumers.
/// </summary>
internal interface IFootfallOutput : IDisposable
{
    /// <summary>What the output writes to, for logs (e.g. <c>file:walk.mid</c>).</summary>
    string Description { get; }

    /// <summary>Full path of the Standard MIDI File being written, or null.</summary>
    string? MidiFilePath { get; }

    /// <summary>Events that could not be queued (queue full) or written (device error).</summary>
    long Dropped { get; }

    /// <summary>The MIDI engine behind the output: its counters and ports for the books and the health probes, its mapping
    /// for live tuning; null when no MIDI is written.</summary>
    MidiEngine? Engine { get; }

    /// <summary>Why the output's writer thread stopped (the run then ends with the output exit code), or null while it works or when it has none.</summary>
    Exception? Fault { get; }

    /// <summary>Pipeline thread: queues one event. Never blocks, never allocates.</summary>
    /// <returns>False when the event was dropped (and counted).</returns>
    bool TryEnqueue(in FootfallEvent footfall);

    /// <summary>Shutdown: writes what is queued, flushes and closes (not for the pipeline thread).</summary>
    void Complete();
}
