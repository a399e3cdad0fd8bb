using System.Runtime.InteropServices;
using System.Text;
using IolaEdge.Midi.Rtmidi.Interop;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// One rtmidi input or output object: the only place that calls <see cref="RtMidiNative"/> and checks
/// results. Not thread-safe (nor is the library's object): one thread at a time.
/// </summary>
/// <remarks>
/// Error rules (measured, midi-platform.md §2): reset <c>ok</c> before each checked call; never read
/// <c>msg</c>; a create with <c>ptr == NULL</c> is a failure and nothing but free may be called on it;
/// never pass a null or empty name.
/// </remarks>
internal sealed unsafe class RtMidiDevice : IDisposable
{
    /// <summary>Path of the ALSA sequencer device, whose absence makes every ALSA create fail.</summary>
    internal const string AlsaSequencerPath = "/dev/snd/seq";

    private const string SeeStderr = "rtmidi printed the reason on stderr";

    private readonly RtMidiHandle _handle;
    private bool _portOpen;
    private volatile bool _leftToLibjack;

    private RtMidiDevice(RtMidiHandle handle, RtMidiApi api, string clientName)
    {
        _handle = handle;
        Api = api;
        ClientName = clientName;
    }

    public RtMidiApi Api { get; }

    public string ClientName { get; }

    public bool IsInput => _handle.IsInput;

    public bool IsPortOpen => _portOpen;

    /// <summary>JACK: the run of the server this device's client joined; null before it joined one. Guarded by <see cref="JackClients"/>.</summary>
    internal JackServerRun? JoinedRun { get; set; }

    /// <summary>When <see cref="JackClients"/> first saw the server run this client joined replaced (a timestamp; 0: not seen). Guarded by it.</summary>
    internal long StaleSince { get; set; }

    /// <summary>libjack frees this client (its server restarted and a new client was opened): no call may reach libjack through it.</summary>
    internal bool IsLeftToLibjack
    {
        get => _leftToLibjack;
        set => _leftToLibjack = value;
    }

    /// <summary>Creates an output object (<c>rtmidi_out_create</c>).</summary>
    public static RtMidiDevice CreateOutput(RtMidiApi api, string clientName) =>
        Create(api, clientName, input: false, queueLimit: 0);

    /// <summary>Creates an input object (<c>rtmidi_in_create</c>) buffering up to <paramref name="queueLimit"/> messages.</summary>
    public static RtMidiDevice CreateInput(RtMidiApi api, string clientName, uint queueLimit = 4096) =>
        Create(api, clientName, input: true, queueLimit);

    public uint PortCount()
    {
        BeforeLibjackCall("rtmidi_get_port_count");
        _handle.ResetOk();
        uint count = RtMidiNative.rtmidi_get_port_count(_handle);
        Check("rtmidi_get_port_count");
        return count;
    }

    /// <summary>Full port name (JACK: <c>client:port</c>); throws for an index at or beyond the count.</summary>
    public string PortName(uint index)
    {
        uint count = PortCount();
        if (index >= count)
        {
            throw new RtMidiException("rtmidi_get_port_name", $"port index {index} is out of range: {Api.ToName()} has {count} port(s)");
        }

        int length = 0;
        _handle.ResetOk();
        int rc = RtMidiNative.rtmidi_get_port_name(_handle, index, null, &length);
        Check("rtmidi_get_port_name", rc);
        if (length <= 1)
        {
            // rtmidi answers a vanished index with an empty name instead of an error.
            throw new RtMidiException("rtmidi_get_port_name", $"port {index} has no name (it disappeared?)");
        }

        byte[] buffer = new byte[length];
        fixed (byte* p = buffer)
        {
            _handle.ResetOk();
            rc = RtMidiNative.rtmidi_get_port_name(_handle, index, p, &length);
            Check("rtmidi_get_port_name", rc);
        }

        int end = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }

    /// <summary>
    /// Whether the other end of a port opened on this device is still there: JACK's server is alive, and the port it
    /// was connected to (<paramref name="connectedTo"/>; null for a virtual port, which is ours) is still listed.
    /// </summary>
    public bool IsPeerPresent(string? connectedTo)
    {
        if (!IsOnCurrentServer())
        {
            return false;
        }

        if (connectedTo is null)
        {
            return true;
        }

        IReadOnlyList<string> names = PortNames();
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == connectedTo)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// JACK: the server this device's client joined is the one running now (not gone, not restarted since). A device that
    /// has not joined a server yet is on whichever runs. Other APIs: always.
    /// </summary>
    public bool IsOnCurrentServer()
    {
        if (Api != RtMidiApi.Jack)
        {
            return true;
        }

        if (IsLeftToLibjack || JackServerProbe.Current() is not { } current)
        {
            return false;
        }

        return JackClients.RunOf(this) is not { } joined || joined == current;
    }

    public IReadOnlyList<string> PortNames()
    {
        uint count = PortCount();
        var names = new List<string>((int)count);
        for (uint i = 0; i < count; i++)
        {
            try
            {
                names.Add(PortName(i));
            }
            catch (RtMidiException)
            {
                // A port vanished between count and name: hot-plug in progress; skip it.
            }
        }

        return names;
    }

    /// <summary>Registers our port and connects it to port <paramref name="index"/> of the other direction.</summary>
    public void OpenPort(uint index, string portName)
    {
        CheckName(portName, nameof(portName));
        uint count = PortCount();
        if (index >= count)
        {
            // rtmidi itself would only warn, register an unconnected port and leave ok = true.
            throw new RtMidiException("rtmidi_open_port", $"port index {index} is out of range: {Api.ToName()} has {count} port(s)");
        }

        _handle.ResetOk();
        RtMidiNative.rtmidi_open_port(_handle, index, portName);
        Check("rtmidi_open_port");
        _portOpen = true;
    }

    /// <summary>
    /// Opens the port <paramref name="selector"/> chooses: a virtual port named by it, or our port
    /// <paramref name="portName"/> connected to the chosen port of another client (<paramref name="connectedTo"/>; null
    /// for a virtual port). False when no port matches, with the ports seen in <paramref name="ports"/>.
    /// </summary>
    public bool TryOpenSelected(RtMidiPortSelector selector, string portName, out string? connectedTo, out IReadOnlyList<string> ports)
    {
        ArgumentNullException.ThrowIfNull(selector);
        CheckName(portName, nameof(portName));
        connectedTo = null;
        if (selector.Kind == RtMidiPortSelectorKind.Virtual)
        {
            ports = [];
            OpenVirtualPort(selector.Text);
            return true;
        }

        ports = PortNames();
        int index = selector.FindIn(ports);
        if (index < 0)
        {
            return false;
        }

        OpenPort((uint)index, portName);
        connectedTo = ports[index];
        return true;
    }

    /// <summary>Creates a virtual port others connect to (JACK: <c>client:portName</c>).</summary>
    public void OpenVirtualPort(string portName)
    {
        CheckName(portName, nameof(portName));
        BeforeLibjackCall("rtmidi_open_virtual_port");
        _handle.ResetOk();
        RtMidiNative.rtmidi_open_virtual_port(_handle, portName);
        Check("rtmidi_open_virtual_port");
        _portOpen = true;
    }

    /// <summary>Sends one complete message. Callers must not send before a port is open (the send would spin forever).</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        if (!_portOpen)
        {
            throw new RtMidiException("rtmidi_out_send_message", "no port is open (rtmidi would spin forever)");
        }

        int rc;
        fixed (byte* p = message)
        {
            _handle.ResetOk();
            rc = RtMidiNative.rtmidi_out_send_message(_handle, p, message.Length);
        }

        Check("rtmidi_out_send_message", rc);
    }

    /// <summary>Lets SysEx, clock and active sensing through (rtmidi drops them by default).</summary>
    public void ReceiveAllTypes()
    {
        _handle.ResetOk();
        RtMidiNative.rtmidi_in_ignore_types(_handle, false, false, false);
        Check("rtmidi_in_ignore_types");
    }

    /// <summary>Polls the input queue: the message length, 0 when empty.</summary>
    public int TryReceive(Span<byte> destination)
    {
        nuint size = (nuint)destination.Length;
        double rc;
        fixed (byte* p = destination)
        {
            _handle.ResetOk();
            rc = RtMidiNative.rtmidi_in_get_message(_handle, p, &size);
        }

        if (rc < 0 || !_handle.Ok)
        {
            throw new RtMidiException("rtmidi_in_get_message", SeeStderr);
        }

        if ((int)size > destination.Length)
        {
            throw new RtMidiException("rtmidi_in_get_message", $"message of {size} bytes exceeds the {destination.Length}-byte buffer");
        }

        return (int)size;
    }

    public void ClosePort()
    {
        if (!_portOpen)
        {
            return;
        }

        _portOpen = false;
        if (IsLeftToLibjack)
        {
            return; // libjack has freed the client and its port
        }

        _handle.ResetOk();
        RtMidiNative.rtmidi_close_port(_handle);
        Check("rtmidi_close_port");
    }

    /// <summary>
    /// Closes the port and hands this device, its client still open, to <paramref name="release"/>; disposes it instead
    /// when <paramref name="release"/> is null or the port cannot be closed (a client in that state is not one to keep).
    /// </summary>
    public void Release(Action<RtMidiDevice>? release)
    {
        if (release is null)
        {
            Dispose();
            return;
        }

        try
        {
            ClosePort();
        }
        catch (RtMidiException)
        {
            Dispose();
            return;
        }

        release(this);
    }

    public void Dispose()
    {
        try
        {
            if (IsLeftToLibjack)
            {
                // rtmidi's free would close a client libjack has freed: the wrapper and the rtmidi object are leaked instead.
                _portOpen = false;
                _handle.SetHandleAsInvalid();
            }
            else if (_portOpen && !_handle.IsClosed)
            {
                _portOpen = false;
                RtMidiNative.rtmidi_close_port(_handle);
            }
        }
        finally
        {
            _handle.Dispose();
            if (Api == RtMidiApi.Jack)
            {
                JackClients.Closed(this); // only now: until its client is closed, no other may be opened
            }
        }
    }

    internal static void CheckName(string name, string paramName)
    {
        if (string.IsNullOrEmpty(name))
        {
            // A null name aborts the process inside librtmidi (std::string from nullptr); empty is refused too.
            throw new ArgumentException("rtmidi client and port names must be non-empty.", paramName);
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("rtmidi names cannot contain NUL.", paramName);
        }
    }

    private static RtMidiDevice Create(RtMidiApi api, string clientName, bool input, uint queueLimit)
    {
        CheckName(clientName, nameof(clientName));
        if (!Enum.IsDefined(api))
        {
            throw new ArgumentOutOfRangeException(nameof(api), api, "MIDI API must be alsa or jack.");
        }

        string call = input ? "rtmidi_in_create" : "rtmidi_out_create";
        JackServerRun? run = api == RtMidiApi.Jack ? JackClients.BeforeOpen(call) : null;
        RtMidiHandle handle = input
            ? new RtMidiInHandle(RtMidiNative.rtmidi_in_create((int)api, clientName, queueLimit))
            : new RtMidiOutHandle(RtMidiNative.rtmidi_out_create((int)api, clientName));
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new RtMidiException(call, "returned NULL");
        }

        if (!handle.HasDevice || !handle.Ok)
        {
            handle.Dispose(); // free is safe on a failed wrapper; nothing else is
            if (api == RtMidiApi.Alsa && !File.Exists(AlsaSequencerPath))
            {
                throw new RtMidiException(call, $"the ALSA sequencer device {AlsaSequencerPath} does not exist, so no ALSA MIDI client can be created " +
                    "(no sound card, or the snd-seq kernel module is not loaded: try 'modprobe snd-seq'); use the jack API or a raw device instead");
            }

            throw new RtMidiException(call, $"could not create a {api.ToName()} client '{clientName}'; {SeeStderr}");
        }

        var device = new RtMidiDevice(handle, api, clientName);
        if (api == RtMidiApi.Jack)
        {
            JackClients.Created(device, run);
        }

        return device;
    }

    // rtmidi joins a JACK server lazily, on the first call that needs one, when there was none at create.
    private void BeforeLibjackCall(string call)
    {
        if (Api != RtMidiApi.Jack)
        {
            return;
        }

        if (IsLeftToLibjack)
        {
            throw new RtMidiException(call, $"the JACK server restarted and libjack has freed client '{ClientName}'");
        }

        JackClients.Join(this, call);
    }

    private void Check(string call, int rc = 0)
    {
        if (rc < 0 || !_handle.Ok)
        {
            throw new RtMidiException(call, $"failed on {Api.ToName()} client '{ClientName}'; {SeeStderr}");
        }
    }
}
