using System.Buffers.Binary;

namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// One output of a count-mode accounter: <c>[09, 03, id, count u32 LE, n × (x, y, z int16 LE)]</c>.
/// n = 1 on the plain signal (13 bytes; SDK test <c>TestAccounterCount.test_count_extraction</c>), n = 2
/// behind the packer (19 bytes; <c>TestAccounter.test_count_and_time</c>); metawear-protocol.md §8.
/// </summary>
internal readonly ref struct CountedSamplePacket
{
    /// <summary>Module, register and processor id before the count.</summary>
    public const int HeaderLength = 3;

    /// <summary>The u32 count.</summary>
    public const int CountLength = 4;

    private readonly ReadOnlySpan<byte> _packet;

    private CountedSamplePacket(ReadOnlySpan<byte> packet) => _packet = packet;

    /// <summary>The board's running count (wraps at 2³²): samples on the plain signal, packer outputs behind the packer.</summary>
    public uint Count => BinaryPrimitives.ReadUInt32LittleEndian(_packet[HeaderLength..]);

    /// <summary>Length of a packet carrying <paramref name="samples"/> samples.</summary>
    public static int LengthFor(int samples) => HeaderLength + CountLength + (samples * AccelerationPacket.SampleLength);

    /// <summary>Raw counts of sample <paramref name="index"/> (buffer order, assumed oldest first as in the packed stream).</summary>
    public (short X, short Y, short Z) RawAt(int index)
    {
        ReadOnlySpan<byte> s = _packet.Slice(HeaderLength + CountLength + (index * AccelerationPacket.SampleLength), AccelerationPacket.SampleLength);
        return (BinaryPrimitives.ReadInt16LittleEndian(s), BinaryPrimitives.ReadInt16LittleEndian(s[2..]), BinaryPrimitives.ReadInt16LittleEndian(s[4..]));
    }

    /// <summary>
    /// Validates <paramref name="packet"/> as an output of processor <paramref name="processorId"/> carrying
    /// exactly <paramref name="samples"/> samples; never throws.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, byte processorId, int samples, out CountedSamplePacket result, out PacketRejectReason reason)
    {
        result = default;
        if (packet.Length < HeaderLength)
        {
            reason = PacketRejectReason.Truncated;
            return false;
        }

        if (packet[0] != MetaWearCommands.DataProcessorModule || packet[1] != MetaWearCommands.ProcessorNotifyRegister || packet[2] != processorId)
        {
            reason = PacketRejectReason.UnexpectedHeader;
            return false;
        }

        int length = LengthFor(samples);
        if (packet.Length != length)
        {
            // The packer always fills every slot: anything shorter than the exact length is a cut packet.
            reason = packet.Length < length ? PacketRejectReason.Truncated : PacketRejectReason.Oversized;
            return false;
        }

        result = new CountedSamplePacket(packet);
        reason = PacketRejectReason.None;
        return true;
    }
}
