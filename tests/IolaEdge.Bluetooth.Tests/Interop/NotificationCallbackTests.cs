using System.Runtime.InteropServices;
using IolaEdge.Bluetooth.DBus;
using IolaEdge.Bluetooth.Interop;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;

namespace IolaEdge.Bluetooth.Tests.Interop;

/// <summary>The notification path from sd-bus's callback entry to the sink, on real sealed sd-bus messages.</summary>
public unsafe class NotificationCallbackTests
{
    private const string NotifyPath = "/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F/service000a/char000d";

    [Fact]
    public void The_unmanaged_callback_parses_a_notification_into_samples_without_allocating()
    {
        using var factory = new NotificationMessageFactory();
        using SdBusMessageHandle packed = factory.Create(NotifyPath, Convert.FromHexString("031c62b7530de9fd16d04d0e57028affa1050a01"));
        using SdBusMessageHandle truncated = factory.Create(NotifyPath, Convert.FromHexString("031c62b7530d"));
        var sink = new CountingSink();
        var decoder = new AccelerationDecoder(0);
        decoder.Configure(sink, 0x1c, 8, TimeSpan.FromMilliseconds(60));
        var handler = new NotificationHandler(decoder);
        GCHandle target = GCHandle.Alloc(handler);
        try
        {
            nint userdata = GCHandle.ToIntPtr(target);
            void Deliver(SdBusMessageHandle m)
            {
                NotificationMessageFactory.Rewind(m);
                BusCallbacks.Signal(m.DangerousGetHandle(), userdata, null); // the same entry point sd-bus calls
            }

            long allocated = Allocations.OfSteadyState(() =>
            {
                for (int i = 0; i < 10_000; i++)
                {
                    Deliver(packed);
                    Deliver(truncated);
                }
            });

            Assert.Equal(0, allocated);
            Assert.Equal(30_000 * 3, sink.Count);
            Assert.Equal(30_000, decoder.Rejected(PacketRejectReason.Truncated));
            Assert.Equal(-0.029f, sink.Last.X, 0.001f); // last sample of the SDK's packed test vector at ±8 g
        }
        finally
        {
            target.Free();
        }
    }

    [Fact]
    public void A_properties_changed_of_another_interface_is_ignored_and_a_read_reply_is_routed_to_the_slow_path()
    {
        using var factory = new NotificationMessageFactory();
        using SdBusMessageHandle other = factory.Create(NotifyPath, [3, 0x1c, 0, 0, 0, 0, 0, 0], iface: "org.bluez.Device1");
        using SdBusMessageHandle info = factory.Create(NotifyPath, [3, 0x80, 1, 1]);
        var sink = new CountingSink();
        var decoder = new AccelerationDecoder(0);
        decoder.Configure(sink, 0x1c, 16, TimeSpan.FromMilliseconds(60));
        var handler = new NotificationHandler(decoder);
        byte[]? reply = null;
        handler.ResponseReceived += r => reply = r;
        handler.OnSignal(new BusMessageReader(other.DangerousGetHandle()));
        handler.OnSignal(new BusMessageReader(info.DangerousGetHandle()));
        Assert.Equal(0, sink.Count);
        Assert.Equal(0, decoder.RejectedTotal);
        Assert.Equal("03800101", Convert.ToHexString(reply!));
    }

    [Fact]
    public void A_message_of_the_wrong_shape_is_counted_as_malformed_and_never_throws()
    {
        using var factory = new NotificationMessageFactory();
        using var bus = BusConnection.OpenUnconnectedForMessages(out int peer);
        try
        {
            // PropertiesChanged whose Value is a string, not ay.
            using SdBusMessageHandle m = bus.NewSignal(NotifyPath, "org.freedesktop.DBus.Properties", "PropertiesChanged");
            var w = new BusMessageWriter(m);
            w.String("org.bluez.GattCharacteristic1").Open((byte)'a', "{sv}\0"u8)
             .Open((byte)'e', "sv\0"u8).String("Value").Open((byte)'v', "s\0"u8).String("oops").Close().Close()
             .Close().Open((byte)'a', "s\0"u8).Close();
            SdBusResult.Check(SdBus.sd_bus_message_seal(m.DangerousGetHandle(), 1, 0), "sd_bus_message_seal");
            var decoder = new AccelerationDecoder(0);
            decoder.Configure(new CountingSink(), 0x1c, 16, TimeSpan.FromMilliseconds(60));
            var handler = new NotificationHandler(decoder);
            handler.OnSignal(new BusMessageReader(m.DangerousGetHandle()));
            Assert.Equal(1, decoder.Rejected(PacketRejectReason.MalformedMessage));
        }
        finally
        {
            global::IolaEdge.Bluetooth.Interop.Libc.close(peer);
        }
    }
}
