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

    public NotificationHandler(AccelerationDecoder decoder) => _decoder = decoder;

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

        _decoder.TryDecode(packet, arrivalNs, out _);
    }
}
