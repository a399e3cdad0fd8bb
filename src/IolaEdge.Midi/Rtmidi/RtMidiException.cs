namespace IolaEdge.Midi.Rtmidi;

/// <summary>An rtmidi call failed. Carries the native call's name; rtmidi prints its own text on stderr
/// (the wrapper's <c>msg</c> field dangles and is never read).</summary>
public sealed class RtMidiException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    public RtMidiException(string call, string message)
        : base($"{call}: {message}")
    {
        Call = call;
    }

    /// <summary>Creates the exception.</summary>
    public RtMidiException()
    {
        Call = "";
    }

    /// <summary>Creates the exception.</summary>
    public RtMidiException(string message)
        : base(message)
    {
        Call = "";
    }

    /// <summary>Creates the exception.</summary>
    public RtMidiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Call = "";
    }

    /// <summary>The native function that failed, e.g. <c>rtmidi_open_virtual_port</c>.</summary>
    public string Call { get; }
}
