using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.Tests.BlueZ;

/// <summary>
/// The notification path from the wire to the sink: real PropertiesChanged signals, sent through a
/// private dbus-daemon by a second connection, parsed in place by the characteristic proxy.
/// </summary>
[Trait("Category", "Peer")]
public class NotificationSignalPeerTests
{
    private const string NotifyPath = "/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F/service000a/char000d";

    [Fact]
    public async Task Notifications_are_decoded_counted_or_routed_and_malformed_signals_are_counted_never_thrown()
    {
        using BluezRig rig = BluezRig.Start();
        await using TmdsBlueZClient client = await TmdsBlueZClient.OpenAsync(rig.Address, TimeSpan.FromSeconds(5));
        var sink = new CountingSink();
        var decoder = new AccelerationDecoder(0);
        decoder.Configure(sink, 0x1c, 8, TimeSpan.FromMilliseconds(60));
        var handler = new NotificationHandler(decoder);
        var replies = new List<string>();
        handler.ResponseReceived += r =>
        {
            lock (replies)
            {
                replies.Add(Convert.ToHexString(r));
            }
        };
        await using IAsyncDisposable match = await client.WatchNotificationsAsync(NotifyPath, handler);

        using var emitter = new DBusConnection(rig.Address);
        await emitter.ConnectAsync();
        Emit(emitter, "org.bluez.GattCharacteristic1", (ref MessageWriter w) => w.WriteVariantString("oops")); // Value is not ay: malformed
        Emit(emitter, "org.bluez.Device1", (ref MessageWriter w) => WriteBytes(ref w, [3, 0x1c, 0, 0, 0, 0, 0, 0])); // another interface: ignored
        EmitRaw(emitter, "s", (ref MessageWriter w) => w.WriteString("org.bluez.GattCharacteristic1")); // wrong signature: malformed
        Emit(emitter, "org.bluez.GattCharacteristic1", (ref MessageWriter w) => WriteBytes(ref w, Convert.FromHexString("031c62b7530d"))); // truncated
        Emit(emitter, "org.bluez.GattCharacteristic1", (ref MessageWriter w) => WriteBytes(ref w, [3, 0x80, 1, 1])); // a read reply: slow path
        for (int i = 0; i < 100; i++)
        {
            Emit(emitter, "org.bluez.GattCharacteristic1", (ref MessageWriter w) => WriteBytes(ref w, Convert.FromHexString("031c62b7530de9fd16d04d0e57028affa1050a01")));
        }

        Assert.True(SpinWait.SpinUntil(() => decoder.Packets == 100, TimeSpan.FromSeconds(10)), $"{decoder.Packets} packets");
        Assert.Equal(300, sink.Count);
        Assert.Equal(-0.029f, sink.Last.X, 0.001f); // last sample of the SDK's packed test vector at ±8 g
        Assert.Equal(2, decoder.Rejected(PacketRejectReason.MalformedMessage));
        Assert.Equal(1, decoder.Rejected(PacketRejectReason.Truncated));
        Assert.Equal(3, decoder.RejectedTotal);
        Assert.Equal(["03800101"], replies);
        Assert.Equal(0, BleImuSource.CallbackFailures);
    }

    private delegate void ValueWriter(ref MessageWriter writer);

    private static void WriteBytes(ref MessageWriter w, byte[] value)
    {
        w.WriteSignature("ay");
        w.WriteArray(value);
    }

    private static void Emit(DBusConnection connection, string iface, ValueWriter value) =>
        EmitRaw(connection, "sa{sv}as", (ref MessageWriter w) =>
        {
            w.WriteString(iface);
            ArrayStart dict = w.WriteDictionaryStart();
            w.WriteDictionaryEntryStart();
            w.WriteString("Value");
            value(ref w);
            w.WriteDictionaryEnd(dict);
            ArrayStart invalidated = w.WriteArrayStart(DBusType.String);
            w.WriteArrayEnd(invalidated);
        });

    private static void EmitRaw(DBusConnection connection, string signature, ValueWriter body)
    {
        MessageWriter writer = connection.GetMessageWriter();
        try
        {
            writer.WriteSignalHeader(null, NotifyPath, "org.freedesktop.DBus.Properties", "PropertiesChanged", signature);
            body(ref writer);
            Assert.True(connection.TrySendMessage(writer.CreateMessage()));
        }
        finally
        {
            writer.Dispose();
        }
    }
}
