using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Dsp.Timing;
using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary><c>org.bluez.GattCharacteristic1</c> (e.g. <c>…/service000a/char000d</c>), and its notifications.</summary>
internal sealed class GattCharacteristic1Proxy(BlueZBus bus, string path)
{
    /// <summary>
    /// Longest notification payload accepted: an ATT value is at most 512 bytes (Core spec Vol 3 Part F
    /// §3.2.9); a MetaWear packet is at most 20. Longer values are counted as malformed.
    /// </summary>
    internal const int MaxValueLength = 512;

    private readonly PropertiesProxy _properties = new(bus, path);

    /// <summary><c>StartNotify()</c>: the subscription belongs to this connection.</summary>
    public Task StartNotifyAsync() => bus.CallAsync(path, BlueZNames.GattCharacteristic, "StartNotify");

    /// <summary><c>StopNotify()</c>.</summary>
    public Task StopNotifyAsync() => bus.CallAsync(path, BlueZNames.GattCharacteristic, "StopNotify");

    /// <summary><c>WriteValue(value, {"type": &lt;"command"&gt;})</c>: a write without response, as the MetaWear SDK does.</summary>
    public Task WriteCommandAsync(byte[] value) =>
        bus.CallAsync(path, BlueZNames.GattCharacteristic, "WriteValue", "aya{sv}", (ref MessageWriter w) =>
        {
            w.WriteArray(value);
            ArrayStart dict = w.WriteDictionaryStart();
            w.WriteDictionaryEntryStart();
            w.WriteString("type");
            w.WriteVariantString("command");
            w.WriteDictionaryEnd(dict);
        });

    /// <summary>
    /// The hot path: every <c>PropertiesChanged("org.bluez.GattCharacteristic1", {"Value": ay}, as)</c> of this
    /// characteristic goes to <paramref name="handler"/> on the receive loop, parsed in place (no copy of the value).
    /// </summary>
    public Task<IAsyncDisposable> WatchNotificationsAsync(NotificationHandler handler) =>
        _properties.WatchChangesAsync(BlueZNames.GattCharacteristic, static (m, state) => OnPropertiesChanged(m, (NotificationHandler)state!), handler);

    /// <summary>Parses one notification signal; never throws (a throw would end Tmds's observer), counts what it cannot read.</summary>
    internal static bool OnPropertiesChanged(Message message, NotificationHandler handler)
    {
        long arrivalNs = MonotonicClock.NowNs(); // first thing: the arrival stamp excludes our own parsing

        // Tmds has no span view of an ay: the value is copied here (20 bytes for a MetaWear packet).
        Span<byte> packet = stackalloc byte[MaxValueLength];
        try
        {
            if (!message.Signature.SequenceEqual("sa{sv}as"u8))
            {
                handler.CountMalformed();
                return false;
            }

            Reader reader = message.GetBodyReader();
            if (!reader.ReadStringAsSpan().SequenceEqual("org.bluez.GattCharacteristic1"u8))
            {
                return false; // another interface's PropertiesChanged on this path: not ours to count
            }

            ArrayEnd properties = reader.ReadDictionaryStart();
            while (reader.HasNext(properties))
            {
                if (!reader.ReadStringAsSpan().SequenceEqual("Value"u8))
                {
                    reader.ReadVariantValue(); // other properties (Notifying…) are rare: skipping may allocate
                    continue;
                }

                if (!reader.ReadSignatureAsSpan().SequenceEqual("ay"u8))
                {
                    handler.CountMalformed();
                    return false;
                }

                ArrayEnd bytes = reader.ReadArrayStart(DBusType.Byte);
                int length = 0;
                while (reader.HasNext(bytes))
                {
                    if (length == MaxValueLength)
                    {
                        handler.CountMalformed();
                        return false;
                    }

                    packet[length++] = reader.ReadByte();
                }

                handler.Dispatch(packet[..length], arrivalNs);
            }

            return true;
        }
#pragma warning disable CA1031 // a malformed signal is counted; an exception here would end the subscription
        catch (Exception)
#pragma warning restore CA1031
        {
            handler.CountMalformed();
            return false;
        }
    }
}
