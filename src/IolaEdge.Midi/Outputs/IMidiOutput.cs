using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// A destination for MIDI messages: a device, a port, a file. Outputs combine through
/// <see cref="FanOutMidiOutput"/>.
/// </summary>
/// <remarks>
/// Threading: every member is called from one thread at a time (the MIDI thread of
/// <see cref="Engine.MidiEngine"/>), so implementations need no locks. <see cref="Send"/> must not
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

    /// <summary>Pushes buffered data to the OS; a file is left valid after every flush.</summary>
    void Flush();
}

/// <summary>An output that can tell whether the port it is connected to still exists (hot-plug detection).</summary>
public interface IMidiPresenceProbe
{
    /// <summary>True while the connected port (or device) is still present. Called on the output's own thread.</summary>
    bool IsTargetPresent();
}
