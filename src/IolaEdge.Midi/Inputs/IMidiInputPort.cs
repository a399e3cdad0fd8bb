namespace IolaEdge.Midi.Inputs;

/// <summary>A polled MIDI input port. Every member is called from one thread at a time (its listener's).</summary>
public interface IMidiInputPort : IDisposable
{
    /// <summary>Short name for logs, e.g. "rtmidi:jack:virtual:in".</summary>
    string Name { get; }

    /// <summary>Full name of the port this input is connected to, or null for a virtual port others connect to.</summary>
    string? ConnectedTo { get; }

    /// <summary>Copies the next complete message into <paramref name="destination"/>; its length, 0 when none is waiting.</summary>
    int TryReceive(Span<byte> destination);

    /// <summary>True while the port's source (or the server behind a virtual port) is still there (hot-plug detection).</summary>
    bool IsSourcePresent();
}
