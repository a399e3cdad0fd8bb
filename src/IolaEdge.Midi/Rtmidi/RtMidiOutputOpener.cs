namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// Opens the selected output port for a <see cref="Outputs.SupervisedPortOutput"/> (its open function) on one client that
/// waits while the synth is absent and stays through its unplug, as <see cref="RtMidiInputOpener"/> does for the learn
/// input: a patchbay sees one client, not one registered and closed every rescan. Thread-safe: the supervisor calls it
/// from its current sender thread, and an abandoned one may still be inside a call.
/// </summary>
internal sealed class RtMidiOutputOpener : IDisposable
{
    private readonly RtMidiApi _api;
    private readonly RtMidiPortSelector _selector;
    private readonly string _clientName;
    private readonly string _portName;
    private readonly WaitingClient _waiting = new();

    /// <summary>An opener of <paramref name="selector"/>'s port for client <paramref name="clientName"/>, our port named <paramref name="portName"/>.</summary>
    public RtMidiOutputOpener(RtMidiApi api, RtMidiPortSelector selector, string clientName, string portName)
    {
        ArgumentNullException.ThrowIfNull(selector);
        RtMidiDevice.CheckName(clientName, nameof(clientName));
        RtMidiDevice.CheckName(portName, nameof(portName));
        _api = api;
        _selector = selector;
        _clientName = clientName;
        _portName = portName;
    }

    /// <summary>Opens the port (the returned port owns its client and gives it back when it closes).</summary>
    /// <exception cref="RtMidiException">Creation or open failed, or no port matches (the message lists the ports).</exception>
    public RtMidiOutputPort Open() =>
        _waiting.Open(Create, TryOpenOn, ports => _selector.NoMatch(_api, "input", ports));

    /// <summary>Closes the waiting client, if any; a client given back later is closed at once.</summary>
    public void Dispose() => _waiting.Dispose();

    private RtMidiOutputPort? TryOpenOn(RtMidiDevice device, out IReadOnlyList<string> ports) =>
        RtMidiOutputPort.TryOpenOn(device, _selector, _portName, _waiting.Keep, out ports);

    private RtMidiDevice Create() => RtMidiDevice.CreateOutput(_api, _clientName);
}
