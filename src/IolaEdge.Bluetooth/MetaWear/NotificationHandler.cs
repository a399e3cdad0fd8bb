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
    private readonly AccelerationDecoder? _gyroscope;
    private volatile int _gyroscopeCounterId = -1;

    /// <summary>Routes every data notification to <paramref name="decoder"/>, and the gyroscope accounter's outputs to <paramref name="gyroscope"/> once it is streamed.</summary>
    public NotificationHandler(AccelerationDecoder decoder, AccelerationDecoder? gyroscope = null)
    {
        _decoder = decoder;
        _gyroscope = gyroscope;
    }

    /// <summary>
    /// The gyroscope accounter's processor id, whose outputs (<c>09 03 id …</c>) go to the gyroscope decoder;
    /// −1 when the gyroscope is not streamed (set by the session before it routes the processor).
    /// </summary>
    public int GyroscopeCounterId
    {
        get => _gyroscopeCounterId;
        set => _gyroscopeCounterId = value;
    }

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

        int gyroscopeId = _gyroscopeCounterId;
        if (gyroscopeId >= 0 && _gyroscope is not null && packet.Length >= 3
            && packet[0] == MetaWearCommands.DataProcessorModule && packet[1] == MetaWearCommands.ProcessorNotifyRegister && packet[2] == gyroscopeId)
        {
            _gyroscope.TryDecode(packet, arrivalNs, out _);
            return;
        }

        _decoder.TryDecode(packet, arrivalNs, out _);
    }
}
