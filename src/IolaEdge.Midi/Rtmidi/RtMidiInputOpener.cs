namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// Opens the selected input port for a <see cref="Inputs.MidiNoteListener"/> (its open function) on one client that
/// lives as long as the JACK server: an attempt that finds no port keeps its client for the next one, and a port closed
/// because its source went away gives its client back, where each rescan and each replug used to close the client and
/// create another with the same name. Called from the listener's thread only.
/// </summary>
/// <remarks>
/// A JACK client of the same name and slot that closes and comes back, while a peer process is busy, can leave that peer
/// signalling the old client's wake-up: libjack (jackd2 1.9.21) keeps one table of the other clients' wake-ups per
/// process and misses the change. A keyboard that was starting then wakes a semaphore nobody waits on; our client never
/// runs again and its connection carries nothing (seen in the mappings of a stalled test: the keyboard's process held
/// <c>jack_sem…_keys-rx (deleted)</c>, ours the new one; figures in docs/midi.md). A client that stays gives peers no
/// change to miss. It is dropped as soon as its JACK server is gone or has restarted (<see cref="JackClients"/>).
/// </remarks>
public sealed class RtMidiInputOpener : IDisposable
{
    private readonly RtMidiApi _api;
    private readonly RtMidiPortSelector _selector;
    private readonly string _clientName;
    private readonly string _portName;
    private readonly WaitingClient _waiting = new();
    private bool _disposed;

    /// <summary>An opener of <paramref name="selector"/>'s port for client <paramref name="clientName"/>, our port named <paramref name="portName"/>.</summary>
    public RtMidiInputOpener(RtMidiApi api, RtMidiPortSelector selector, string clientName, string portName = "in")
    {
        ArgumentNullException.ThrowIfNull(selector);
        RtMidiDevice.CheckName(clientName, nameof(clientName));
        RtMidiDevice.CheckName(portName, nameof(portName));
        _api = api;
        _selector = selector;
        _clientName = clientName;
        _portName = portName;
    }

    /// <summary>
    /// Input objects created so far: one per server, not one per attempt or replug. (Without a server each attempt makes
    /// one; rtmidi joins the server lazily, so those make no client.)
    /// </summary>
    public long ClientsCreated { get; private set; }

    /// <summary>Opens the port (the returned port owns its client).</summary>
    /// <exception cref="RtMidiException">Creation or open failed, or no port matches (the message lists the ports).</exception>
    public RtMidiInputPort Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _waiting.Open(Create, TryOpenOn, ports => _selector.NoMatch(_api, "output", ports));
    }

    /// <summary>Closes the waiting client, if any.</summary>
    public void Dispose()
    {
        _disposed = true;
        _waiting.Dispose();
    }

    private RtMidiInputPort? TryOpenOn(RtMidiDevice device, out IReadOnlyList<string> ports) =>
        RtMidiInputPort.TryOpenOn(device, _selector, _portName, _waiting.Keep, out ports);

    private RtMidiDevice Create()
    {
        RtMidiDevice device = RtMidiDevice.CreateInput(_api, _clientName);
        ClientsCreated++;
        return device;
    }
}
