using System.Runtime.InteropServices;
using IolaEdge.Bluetooth.Interop;

namespace IolaEdge.Bluetooth.DBus;

/// <summary>
/// One sd-bus connection and what hangs off it (matches, pending calls). Not thread-safe: in
/// production exactly one thread — <see cref="BusThread"/> — uses it; tests may drive it directly.
/// </summary>
internal sealed unsafe class BusConnection : IDisposable
{
    private readonly SdBusHandle _bus;
    private readonly HashSet<PendingCall> _pending = [];
    private readonly HashSet<SignalSubscription> _subscriptions = [];

    // True for the in-process message factory: its peer never authenticates, so a flush on
    // release would wait for sd-bus's 90 s auth timeout; close first instead.
    private readonly bool _closeWithoutFlush;

    private BusConnection(SdBusHandle bus, bool closeWithoutFlush = false)
    {
        _bus = bus;
        _closeWithoutFlush = closeWithoutFlush;
    }

    /// <summary>Unique name on the bus (e.g. <c>:1.42</c>).</summary>
    public string UniqueName
    {
        get
        {
            byte* name = null;
            SdBusResult.Check(SdBus.sd_bus_get_unique_name(_bus, &name), "sd_bus_get_unique_name");
            return Marshal.PtrToStringUTF8((nint)name) ?? string.Empty;
        }
    }

    /// <summary>Calls awaiting a reply.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>The bus handle (for the bus thread's poll loop).</summary>
    internal SdBusHandle Handle => _bus;

    /// <summary>
    /// Opens a client connection: the system bus (honours <c>DBUS_SYSTEM_BUS_ADDRESS</c> of the
    /// process environment) when <paramref name="address"/> is null, otherwise that address.
    /// </summary>
    /// <exception cref="SdBusException">The bus cannot be reached or the address is invalid.</exception>
    public static BusConnection Open(string? address)
    {
        SdBusHandle bus;
        if (address is null)
        {
            int r = SdBus.sd_bus_open_system(out bus);
            if (r < 0)
            {
                bus.Dispose();
                SdBusResult.Check(r, "sd_bus_open_system");
            }

            return new BusConnection(bus);
        }

        SdBusResult.Check(SdBus.sd_bus_new(out bus), "sd_bus_new");
        try
        {
            SdBusResult.Check(SdBus.sd_bus_set_address(bus, address), "sd_bus_set_address");
            SdBusResult.Check(SdBus.sd_bus_set_bus_client(bus, 1), "sd_bus_set_bus_client"); // sends Hello(): we get a unique name
            SdBusResult.Check(SdBus.sd_bus_start(bus), "sd_bus_start");
            return new BusConnection(bus);
        }
        catch
        {
            bus.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connection over one end of a local socket pair, never authenticated: enough to build and
    /// seal messages in-process (benchmarks and allocation tests), not to talk to a peer.
    /// </summary>
    public static BusConnection OpenUnconnectedForMessages(out int peerFd)
    {
        int* fds = stackalloc int[2];
        if (Libc.socketpair(Libc.AfUnix, Libc.SockStream | Libc.SockCloexec, 0, fds) < 0)
        {
            SdBusResult.Check(-Marshal.GetLastPInvokeError(), "socketpair");
        }

        SdBusResult.Check(SdBus.sd_bus_new(out SdBusHandle bus), "sd_bus_new");
        try
        {
            SdBusResult.Check(SdBus.sd_bus_set_fd(bus, fds[0], fds[0]), "sd_bus_set_fd");
            SdBusResult.Check(SdBus.sd_bus_start(bus), "sd_bus_start");
        }
        catch
        {
            bus.Dispose();
            Libc.close(fds[1]);
            throw;
        }

        peerFd = fds[1];
        return new BusConnection(bus, closeWithoutFlush: true);
    }

    /// <summary>Dispatches at most one message; &gt; 0 means more work may be queued.</summary>
    public int Process() => SdBusResult.Check(SdBus.sd_bus_process(_bus, null), "sd_bus_process");

    /// <summary>Closes the connection without releasing it (later calls fail with ENOTCONN).</summary>
    public void Close() => SdBus.sd_bus_close(_bus);

    /// <summary>Builds a method call; the caller owns the returned message.</summary>
    public SdBusMessageHandle NewMethodCall(string destination, string path, string iface, string member)
    {
        int r = SdBus.sd_bus_message_new_method_call(_bus, out SdBusMessageHandle m, destination, path, iface, member);
        if (r < 0)
        {
            m.Dispose();
            SdBusResult.Check(r, "sd_bus_message_new_method_call");
        }

        return m;
    }

    /// <summary>Builds a signal (used to craft messages in tests and benchmarks).</summary>
    public SdBusMessageHandle NewSignal(string path, string iface, string member)
    {
        int r = SdBus.sd_bus_message_new_signal(_bus, out SdBusMessageHandle m, path, iface, member);
        if (r < 0)
        {
            m.Dispose();
            SdBusResult.Check(r, "sd_bus_message_new_signal");
        }

        return m;
    }

    /// <summary>Sends <paramref name="message"/>; <paramref name="pending"/> completes on the bus thread when the reply arrives.</summary>
    /// <param name="message">The call (still owned by the caller; sd-bus takes its own reference).</param>
    /// <param name="pending">Completed by the reply, by an error reply, or by <see cref="Dispose"/>.</param>
    /// <param name="timeout">sd-bus synthesises a <c>org.freedesktop.DBus.Error.NoReply</c> error after this.</param>
    public void CallAsync(SdBusMessageHandle message, PendingCall pending, TimeSpan timeout)
    {
        pending.Handle = GCHandle.Alloc(pending);
        pending.Owner = this;
        ulong usec = (ulong)Math.Max(1, timeout.Ticks / TimeSpan.TicksPerMicrosecond);

        // slot = NULL: a floating slot freed by sd-bus after the reply callback (or with the bus).
        int r = SdBus.sd_bus_call_async(_bus, null, message.DangerousGetHandle(), BusCallbacks.Reply, GCHandle.ToIntPtr(pending.Handle), usec);
        if (r < 0)
        {
            pending.Handle.Free();
            pending.Owner = null;
            SdBusResult.Check(r, "sd_bus_call_async");
        }

        _pending.Add(pending);
    }

    /// <summary>Installs a signal match; pass null for any element to leave it open.</summary>
    public SignalSubscription MatchSignal(string? sender, string? path, string? iface, string? member, ISignalHandler handler)
    {
        GCHandle target = GCHandle.Alloc(handler);
        using var s = new Utf8Z(sender);
        using var p = new Utf8Z(path);
        using var i = new Utf8Z(iface);
        using var m = new Utf8Z(member);
        int r = SdBus.sd_bus_match_signal(_bus, out SdBusSlotHandle slot, s.Pointer, p.Pointer, i.Pointer, m.Pointer, BusCallbacks.Signal, GCHandle.ToIntPtr(target));
        if (r < 0)
        {
            slot.Dispose();
            target.Free();
            SdBusResult.Check(r, "sd_bus_match_signal");
        }

        var subscription = new SignalSubscription(this, slot, target);
        _subscriptions.Add(subscription);
        return subscription;
    }

    /// <summary>Releases a pending call's handle once its reply was seen.</summary>
    internal void Release(PendingCall pending)
    {
        if (_pending.Remove(pending))
        {
            pending.Handle.Free();
        }

        pending.Owner = null;
    }

    /// <summary>Forgets a disposed subscription.</summary>
    internal void Forget(SignalSubscription subscription) => _subscriptions.Remove(subscription);

    /// <summary>Removes all matches, fails all pending calls, flushes and closes the bus.</summary>
    public void Dispose()
    {
        foreach (SignalSubscription s in _subscriptions.ToArray())
        {
            s.Dispose();
        }

        if (_closeWithoutFlush)
        {
            Close();
        }

        _bus.Dispose(); // flush_close_unref: floating call slots die without callbacks
        foreach (PendingCall p in _pending)
        {
            p.Handle.Free();
            p.Owner = null;
            p.Fail(new ObjectDisposedException(nameof(BusConnection), $"{p.Call}: bus connection closed before the reply"));
        }

        _pending.Clear();
    }

    /// <summary>A NUL-terminated UTF-8 copy of a string in native memory (setup path), or null.</summary>
    private readonly struct Utf8Z : IDisposable
    {
        public Utf8Z(string? value) => Pointer = value is null ? null : (byte*)Marshal.StringToCoTaskMemUTF8(value);

        public byte* Pointer { get; }

        public void Dispose() => Marshal.FreeCoTaskMem((nint)Pointer);
    }
}
