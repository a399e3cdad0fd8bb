using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// A destination for MIDI messages: a device, a port, a file. Outputs combine through
/// <see cref="FanOutMidiOutput"/>.
/// </summary>
/// <remarks>
/// Threading: every member is called from one thread at a time (the MIDI thread of
/// <see cref="Engine.MidiEngine"/>), so implementations need no locks. <c>Send</c> must not
/// allocate in steady state. A failure throws (any exception); the caller counts it and goes on.
/// </remarks>
public interface IMidiOutput : IDisposable
{
    /// <summary>Short name for logs and counters, e.g. "smf:walk.mid" or "rtmidi:jack:synth".</summary>
    string Name { get; }

    /// <summary>Writes one complete message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="eventTimeNs">Session-clock time the message belongs to (footfall time, or footfall time
    /// plus note length for a note off); files place the message by it, live outputs ignore it.</param>
    void Send(in MidiMessage message, long eventTimeNs);

    /// <summary>Writes one complete message and completes its <paramref name="stamp"/> where the bytes leave.</summary>
    /// <remarks>The default suits every output whose <see cref="Send(in MidiMessage, long)"/> hands the bytes to the OS or
    /// the MIDI library itself (rtmidi send, <c>write(2)</c>, the MIDI file writer): the sent time is taken right after that
    /// call returned. An output that queues must carry the stamp to where the bytes really leave.</remarks>
    void Send(in MidiMessage message, long eventTimeNs, in SendStamp stamp)
    {
        Send(stamp.Prepare(message), eventTimeNs);
        stamp.MarkSent(MonotonicClock.NowNs());
    }

    /// <summary>Pushes buffered data to the OS; a file is left valid after every flush.</summary>
    void Flush();
}

/// <summary>An output that can tell whether the port it is connected to still exists (hot-plug detection).</summary>
public interface IMidiPresenceProbe
{
    /// <summary>True while the connected port (or device) is still present. Called on the output's own thread.</summary>
    bool IsTargetPresent();
}
