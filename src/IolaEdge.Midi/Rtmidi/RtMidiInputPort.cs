using IolaEdge.Midi.Inputs;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// A polled rtmidi input (ALSA or JACK): a virtual port others connect to, or our port connected to another
/// client's output (a keyboard, a synth's pads). Polled, never a callback: nothing of ours runs on JACK's
/// process thread. One thread at a time.
/// </summary>
public sealed class RtMidiInputPort : IMidiInputPort
{
    private readonly RtMidiDevice _device;
    private readonly string _selector;
    private readonly Action<RtMidiDevice>? _release;

    private RtMidiInputPort(RtMidiDevice device, string selector, string? connectedTo, Action<RtMidiDevice>? release = null)
    {
        _device = device;
        _selector = selector;
        ConnectedTo = connectedTo;
        _release = release;
    }

    /// <inheritdoc/>
    public string Name => $"rtmidi:{_device.Api.ToName()}:{_selector}";

    /// <summary>Full name of the port we connected to, or null for a virtual port.</summary>
    public string? ConnectedTo { get; }

    /// <summary>Creates a client and a virtual input port <c>clientName:portName</c> that receives every message type (SysEx, clock).</summary>
    public static RtMidiInputPort OpenVirtual(RtMidiApi api, string clientName, string portName)
    {
        RtMidiDevice device = RtMidiDevice.CreateInput(api, clientName);
        try
        {
            device.ReceiveAllTypes();
            device.OpenVirtualPort(portName);
            return new RtMidiInputPort(device, "virtual:" + portName, null);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the selected port on <paramref name="device"/>: a virtual input named by the selector, or our port
    /// <paramref name="portName"/> connected to the selected output of another client. rtmidi's default filter stays on
    /// (SysEx, clock and active sensing are dropped before they reach the queue). The port owns the device from then on:
    /// disposing it closes the port and hands the device, its client still open, to <paramref name="release"/>.
    /// </summary>
    /// <returns>The port, or null when no port matches (<paramref name="ports"/> lists them; the device stays the caller's).</returns>
    internal static RtMidiInputPort? TryOpenOn(RtMidiDevice device, RtMidiPortSelector selector, string portName, Action<RtMidiDevice> release, out IReadOnlyList<string> ports) =>
        device.TryOpenSelected(selector, portName, out string? connectedTo, out ports) ? new RtMidiInputPort(device, selector.ToString(), connectedTo, release) : null;

    /// <summary>Next message's length (0 when none is waiting), copied into <paramref name="destination"/>.</summary>
    public int TryReceive(Span<byte> destination) => _device.TryReceive(destination);

    /// <summary>
    /// JACK: the server the port joined is still running, not gone nor restarted (<see cref="JackServerProbe"/>). A
    /// connected port: the source is still listed. A virtual port is ours: present while its server is.
    /// </summary>
    public bool IsSourcePresent() => _device.IsPeerPresent(ConnectedTo);

    /// <summary>Closes the port; the client goes to whoever opened the port on it, else it is closed too.</summary>
    public void Dispose() => _device.Release(_release);
}
