using IolaEdge.Bluetooth.DBus;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// The hot path: <c>PropertiesChanged("org.bluez.GattCharacteristic1", {"Value": ay}, as)</c> on
/// the MetaWear notify characteristic, parsed in place on the bus thread into the decoder.
/// Allocation-free for data packets; read replies (bit 7 of the register set) and the
/// processor-created reply go to <see cref="ResponseReceived"/> as copies (setup only).
/// </summary>
internal sealed class NotificationHandler : ISignalHandler
{
    private readonly AccelerationDecoder _decoder;

    public NotificationHandler(AccelerationDecoder decoder) => _decoder = decoder;

    /// <summary>Raised on the bus thread with a copy of every read reply (module info etc.).</summary>
    public event Action<byte[]>? ResponseReceived;

    /// <inheritdoc/>
    public void OnSignal(BusMessageReader message)
    {
        long arrivalNs = MonotonicClock.NowNs(); // first thing: the arrival stamp excludes our own parsing
        if (!message.TryReadStringSpan((byte)'s', out ReadOnlySpan<byte> iface) || !iface.SequenceEqual("org.bluez.GattCharacteristic1"u8))
        {
            return; // another interface's PropertiesChanged on this path: not ours to count
        }

        if (!message.TryEnter((byte)'a', "{sv}\0"u8))
        {
            _decoder.Count(PacketRejectReason.MalformedMessage);
            return;
        }

        while (message.TryEnter((byte)'e', "sv\0"u8))
        {
            if (!message.TryReadStringSpan((byte)'s', out ReadOnlySpan<byte> key))
            {
                _decoder.Count(PacketRejectReason.MalformedMessage);
                return;
            }

            if (key.SequenceEqual("Value"u8))
            {
                if (!message.TryEnter((byte)'v', "ay\0"u8) || !message.TryReadByteArray(out ReadOnlySpan<byte> packet))
                {
                    _decoder.Count(PacketRejectReason.MalformedMessage);
                    return;
                }

                Dispatch(packet, arrivalNs);
                message.TryExit();
            }
            else if (!message.TrySkip("v\0"u8))
            {
                _decoder.Count(PacketRejectReason.MalformedMessage);
                return;
            }

            message.TryExit();
        }
    }

    /// <summary>Counts a notification signal the transport could not read (wrong signature, Value not ay, truncated).</summary>
    public void CountMalformed() => _decoder.Count(PacketRejectReason.MalformedMessage);

    /// <summary>Routes one notification payload (also the entry point for tests and benchmarks without D-Bus).</summary>
    public void Dispatch(ReadOnlySpan<byte> packet, long arrivalNs)
    {
        // Read replies (bit 7 of the register) and the processor-created reply 09 02 id are setup answers.
        if (packet.Length >= 2 && ((packet[1] & 0x80) != 0
            || (packet[0] == MetaWearCommands.DataProcessorModule && packet[1] == MetaWearCommands.ProcessorCreateRegister)))
        {
            ResponseReceived?.Invoke(packet.ToArray());
            return;
        }

        _decoder.TryDecode(packet, arrivalNs, out _);
    }
}
