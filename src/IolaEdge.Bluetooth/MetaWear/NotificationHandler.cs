namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// The hot path after the transport: the payload of each MetaWear notification (the transport parses
/// <c>PropertiesChanged("org.bluez.GattCharacteristic1", {"Value": ay}, as)</c> in place, see
/// <see cref="BlueZ.Proxies.GattCharacteristic1Proxy"/>) goes into the decoder, on the transport's receive thread.
/// Allocation-free for data packets; read replies (bit 7 of the register set) and the
/// processor-created reply go to <see cref="ResponseReceived"/> as copies (setup only).
/// </summary>
internal sealed class NotificationHandler
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
    /// −1 when the gyroscope is not streamed (set by the sensor link before it routes the processor).
    /// </summary>
    public int GyroscopeCounterId
    {
        get => _gyroscopeCounterId;
        set => _gyroscopeCounterId = value;
    }

    /// <summary>Raised on the receive thread with a copy of every read reply (module info etc.).</summary>
    public event Action<byte[]>? ResponseReceived;

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
