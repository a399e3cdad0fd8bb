using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// An rtmidi output port (ALSA or JACK) as an <see cref="IMidiOutput"/>. Opening, sending and probing
/// are synchronous; in the daemon wrap it in a <see cref="SupervisedPortOutput"/> (see <see cref="Supervised"/>),
/// which sends from its own thread under a watchdog and reopens the port after hot-plug or a stuck send.
/// </summary>
public sealed class RtMidiOutputPort : IMidiOutput, IMidiPresenceProbe
{
    // Two periods of 1024 frames at 48 kHz, the longest JACK period a live rig would run.
    private const int JackCloseDrainMs = 50;

    private readonly RtMidiDevice _device;
    private bool _sentSinceOpen;
    private readonly RtMidiPortSelector _selector;
    private readonly Action<RtMidiDevice>? _release;

    private RtMidiOutputPort(RtMidiDevice device, RtMidiPortSelector selector, string? connectedTo, Action<RtMidiDevice>? release)
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

    /// <summary>Creates the client and opens the selected port.</summary>
    /// <param name="api">ALSA or JACK, explicitly.</param>
    /// <param name="selector">Which port.</param>
    /// <param name="clientName">Our client name (JACK may suffix it on collision).</param>
    /// <param name="portName">Our port name (the virtual port's name comes from the selector).</param>
    /// <exception cref="RtMidiException">Creation or open failed (names the call; ALSA without a sequencer says so).</exception>
    public static RtMidiOutputPort Open(RtMidiApi api, RtMidiPortSelector selector, string clientName = "iolaedge", string portName = "out")
    {
        ArgumentNullException.ThrowIfNull(selector);
        RtMidiDevice.CheckName(portName, nameof(portName));
        RtMidiDevice device = RtMidiDevice.CreateOutput(api, clientName);
        try
        {
            return TryOpenOn(device, selector, portName, release: null, out IReadOnlyList<string> ports) ?? throw selector.NoMatch(api, "input", ports);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the selected port on <paramref name="device"/>: a virtual output named by the selector, or our port
    /// <paramref name="portName"/> connected to the selected input of another client. The port owns the device from then
    /// on: disposing it closes the port and hands the device, its client still open, to <paramref name="release"/> (null:
    /// the device is closed too).
    /// </summary>
    /// <returns>The port, or null when no port matches (<paramref name="ports"/> lists them; the device stays the caller's).</returns>
    internal static RtMidiOutputPort? TryOpenOn(RtMidiDevice device, RtMidiPortSelector selector, string portName, Action<RtMidiDevice>? release, out IReadOnlyList<string> ports) =>
        device.TryOpenSelected(selector, portName, out string? connectedTo, out ports) ? new RtMidiOutputPort(device, selector, connectedTo, release) : null;

    /// <summary>A supervised (own thread, watchdog, hot-plug reopen) output that opens this port as configured.</summary>
    public static SupervisedPortOutput Supervised(RtMidiApi api, RtMidiPortSelector selector, string clientName = "iolaedge",
        string portName = "out", SupervisedPortOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var opener = new RtMidiOutputOpener(api, selector, clientName, portName);
        return new SupervisedPortOutput($"rtmidi:{api.ToName()}:{selector}", opener.Open, options, opener);
    }

    /// <inheritdoc/>
    public void Send(in MidiMessage message, long eventTimeNs)
    {
        _device.Send(message.Bytes);
        _sentSinceOpen = true;
    }

    /// <inheritdoc/>
    public void Flush()
    {
        // rtmidi sends immediately.
    }

    /// <summary>
    /// JACK: the server the port joined is still running, not gone nor restarted (<see cref="JackServerProbe"/>): this stops
    /// sends to a dead client long before rtmidi's output ring fills and its send spins forever (midi-platform.md, pitfall
    /// 5). A connected port: the peer's port is still listed. A virtual port is ours: present while its server is.
    /// </summary>
    public bool IsTargetPresent() => _device.IsPeerPresent(ConnectedTo);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_sentSinceOpen && _device.Api == RtMidiApi.Jack)
        {
            // JACK's process thread drains rtmidi's output ring once per period; closing at once can drop
            // the last messages (a final note-off left hanging on the synth). Close path only.
            Thread.Sleep(JackCloseDrainMs);
        }

        _device.Release(_release);
    }
}
