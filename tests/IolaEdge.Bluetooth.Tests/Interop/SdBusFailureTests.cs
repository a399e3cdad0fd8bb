using IolaEdge.Bluetooth.DBus;
using IolaEdge.Bluetooth.Interop;

namespace IolaEdge.Bluetooth.Tests.Interop;

/// <summary>Failure paths of the native calls that need no peer: every one surfaces as a typed SdBusException.</summary>
public class SdBusFailureTests
{
    private const int ENOENT = 2;
    private const int ENOTCONN = 107;
    private const int ECONNRESET = 104;

    [Fact]
    public void Opening_a_socket_that_does_not_exist_names_sd_bus_start_and_ENOENT()
    {
        var ex = Assert.Throws<SdBusException>(() => BusConnection.Open("unix:path=/nonexistent/iolaedge/socket"));
        Assert.Equal("sd_bus_start", ex.Call);
        Assert.Equal(ENOENT, ex.Errno);
        Assert.Contains("No such file", ex.ErrnoText, StringComparison.Ordinal);
        Assert.Contains("sd_bus_start", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_address_fails_with_a_typed_exception()
    {
        var ex = Assert.Throws<SdBusException>(() => BusConnection.Open("nonsense-without-transport"));
        Assert.True(ex.Errno > 0);
        Assert.StartsWith("sd_bus_", ex.Call, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_bus_refuses_new_calls_with_ENOTCONN()
    {
        using var bus = BusConnection.OpenUnconnectedForMessages(out int peer);
        try
        {
            using SdBusMessageHandle m = bus.NewMethodCall("org.bluez", "/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects");
            bus.Close();
            var pending = new PendingCall<bool>("GetManagedObjects", _ => true);
            var ex = Assert.Throws<SdBusException>(() => bus.CallAsync(m, pending, TimeSpan.FromSeconds(1)));
            Assert.Equal("sd_bus_call_async", ex.Call);
            Assert.Equal(ENOTCONN, ex.Errno);
            Assert.Equal(0, bus.PendingCount);
            var p = Assert.Throws<SdBusException>(() => bus.Process());
            Assert.Equal("sd_bus_process", p.Call);
            Assert.Contains(p.Errno, new[] { ENOTCONN, ECONNRESET }); // sd-bus reports the closed state as either
        }
        finally
        {
            Libc.close(peer);
        }
    }

    [Fact]
    public void An_invalid_object_path_is_rejected_by_the_match_and_by_the_message_builder()
    {
        using var bus = BusConnection.OpenUnconnectedForMessages(out int peer);
        try
        {
            var match = Assert.Throws<SdBusException>(() => bus.MatchSignal(null, "not/a/path", null, null, new NullHandler()));
            Assert.Equal("sd_bus_match_signal", match.Call);
            var call = Assert.Throws<SdBusException>(() => bus.NewMethodCall("org.bluez", "not a path", "org.bluez.Device1", "Connect"));
            Assert.Equal("sd_bus_message_new_method_call", call.Call);
            using SdBusMessageHandle m = bus.NewMethodCall("org.bluez", "/", "org.bluez.Adapter1", "RemoveDevice");
            var append = Assert.Throws<SdBusException>(() => new BusMessageWriter(m).ObjectPath("no slash"));
            Assert.Equal("sd_bus_message_append_basic", append.Call);
            var close = Assert.Throws<SdBusException>(() => new BusMessageWriter(m).Close());
            Assert.Equal("sd_bus_message_close_container", close.Call);
        }
        finally
        {
            Libc.close(peer);
        }
    }

    [Fact]
    public void Reading_past_the_end_of_a_message_fails_on_the_setup_path_and_returns_false_on_the_hot_path()
    {
        using var factory = new NotificationMessageFactory();
        using SdBusMessageHandle m = factory.Create("/x", [1, 2, 3]);
        var r = new BusMessageReader(m.DangerousGetHandle());
        Assert.Equal("org.bluez.GattCharacteristic1", r.ReadString());
        Assert.False(r.TryReadStringSpan((byte)'s', out _)); // next is a{sv}, not s
        Assert.False(r.TryEnter((byte)'a', "s\0"u8));
        nint h = m.DangerousGetHandle();
        var ex = Assert.Throws<SdBusException>(() => new BusMessageReader(h).ReadString());
        Assert.Equal("sd_bus_message_read_basic", ex.Call);
        Assert.True(r.Enter((byte)'a', "{sv}\0"u8));
        Assert.True(r.Enter((byte)'e', "sv\0"u8));
        Assert.Equal("Value", r.ReadString());
        var wrong = Assert.Throws<SdBusException>(() => new BusMessageReader(h).Enter((byte)'v', "s\0"u8));
        Assert.Equal("sd_bus_message_enter_container", wrong.Call);
        Assert.Equal(new byte[] { 1, 2, 3 }, r.ReadVariant());
    }

    [Fact]
    public async Task A_bus_thread_that_cannot_open_reports_it_and_rejects_calls()
    {
        using var thread = new BusThread("unix:path=/nonexistent/iolaedge/socket");
        var ex = await Assert.ThrowsAsync<SdBusException>(() => thread.Opened);
        Assert.Equal("sd_bus_start", ex.Call);
        await Assert.ThrowsAsync<SdBusException>(() => thread.Stopped);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => thread.CallAsync("org.bluez", "/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", null, TimeSpan.FromSeconds(1)));
    }

    private sealed class NullHandler : ISignalHandler
    {
        public void OnSignal(BusMessageReader message)
        {
        }
    }
}
