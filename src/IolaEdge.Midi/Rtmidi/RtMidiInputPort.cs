namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// A polled rtmidi input (tests' receiving peer; later MIDI in). Receives every message type,
/// SysEx and clock included. One thread at a time.
/// </summary>
internal sealed class RtMidiInputPort : IDisposable
{
    private readonly RtMidiDevice _device;

    private RtMidiInputPort(RtMidiDevice device)
    {
        _device = device;
    }

    /// <summary>Creates a client and a virtual input port <c>clientName:portName</c>.</summary>
    public static RtMidiInputPort OpenVirtual(RtMidiApi api, string clientName, string portName)
    {
        RtMidiDevice device = RtMidiDevice.CreateInput(api, clientName);
        try
        {
            device.ReceiveAllTypes();
            device.OpenVirtualPort(portName);
            return new RtMidiInputPort(device);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>Next message's length (0 when none is waiting), copied into <paramref name="destination"/>.</summary>
    public int TryReceive(Span<byte> destination) => _device.TryReceive(destination);

    public void Dispose() => _device.Dispose();
}
