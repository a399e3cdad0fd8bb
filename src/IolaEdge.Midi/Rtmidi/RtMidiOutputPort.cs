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
    private readonly RtMidiDevice _device;
    private readonly RtMidiPortSelector _selector;
    private readonly string _clientName;

    // For a virtual port: an input client that lists output ports, where our own port must appear.
    // When the JACK server dies the listing comes back without it, which stops sends long before
    // rtmidi's 16 KiB output ring fills and its send spins forever (midi-platform.md, pitfall 5).
    private readonly RtMidiDevice? _selfProbe;

    private RtMidiOutputPort(RtMidiDevice device, RtMidiPortSelector selector, string clientName, string? connectedTo, RtMidiDevice? selfProbe)
    {
        _device = device;
        _selector = selector;
        _clientName = clientName;
        ConnectedTo = connectedTo;
        _selfProbe = selfProbe;
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
            if (selector.Kind == RtMidiPortSelectorKind.Virtual)
            {
                device.OpenVirtualPort(selector.Text);
                RtMidiDevice probe = RtMidiDevice.CreateInput(api, clientName + "-probe", 1);
                return new RtMidiOutputPort(device, selector, clientName, null, probe);
            }

            IReadOnlyList<string> names = device.PortNames();
            int index = selector.FindIn(names);
            if (index < 0)
            {
                throw new RtMidiException("rtmidi_open_port", $"no {api.ToName()} MIDI input port matches {selector}; ports: [{string.Join(", ", names)}]");
            }

            device.OpenPort((uint)index, portName);
            return new RtMidiOutputPort(device, selector, clientName, names[index], null);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>A supervised (own thread, watchdog, hot-plug reopen) output that opens this port as configured.</summary>
    public static SupervisedPortOutput Supervised(RtMidiApi api, RtMidiPortSelector selector, string clientName = "iolaedge",
        string portName = "out", SupervisedPortOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new SupervisedPortOutput($"rtmidi:{api.ToName()}:{selector}", () => Open(api, selector, clientName, portName), options);
    }

    /// <inheritdoc/>
    public void Send(in MidiMessage message, long eventTimeNs) => _device.Send(message.Bytes);

    /// <inheritdoc/>
    public void Flush()
    {
        // rtmidi sends immediately.
    }

    /// <summary>
    /// A connected port: the peer's port is still listed. A virtual port: our own port is still
    /// listed (false once the server is gone).
    /// </summary>
    public bool IsTargetPresent()
    {
        IReadOnlyList<string> names = _selfProbe is null ? _device.PortNames() : _selfProbe.PortNames();
        for (int i = 0; i < names.Count; i++)
        {
            if (ConnectedTo is not null ? names[i] == ConnectedTo
                : names[i].StartsWith(_clientName, StringComparison.Ordinal) && names[i].EndsWith(":" + _selector.Text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _selfProbe?.Dispose();
        _device.Dispose();
    }
}
