using System.Buffers.Binary;

namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// One output of the sample-counter accounter: <c>[09, 03, id, count u32 LE, x, y, z int16 LE]</c>, 13 bytes
/// (metawear-protocol.md §8; SDK test <c>TestAccounterCount.test_count_extraction</c>).
/// </summary>
internal readonly ref struct CountedSamplePacket
{
    /// <summary>Whole packet length.</summary>
    public const int Length = 3 + 4 + AccelerationPacket.SampleLength;

    private readonly ReadOnlySpan<byte> _packet;

    private CountedSamplePacket(ReadOnlySpan<byte> packet) => _packet = packet;

    /// <summary>The board's running sample count (wraps at 2³²).</summary>
    public uint Count => BinaryPrimitives.ReadUInt32LittleEndian(_packet[3..]);

    /// <summary>Raw counts of the sample.</summary>
    public (short X, short Y, short Z) Raw
    {
        get
        {
            ReadOnlySpan<byte> s = _packet[7..];
            return (BinaryPrimitives.ReadInt16LittleEndian(s), BinaryPrimitives.ReadInt16LittleEndian(s[2..]), BinaryPrimitives.ReadInt16LittleEndian(s[4..]));
        }
    }

    /// <summary>Validates <paramref name="packet"/> as an output of processor <paramref name="processorId"/>; never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, byte processorId, out CountedSamplePacket result, out PacketRejectReason reason)
    {
        result = default;
        if (packet.Length < 3)
        {
            reason = PacketRejectReason.Truncated;
            return false;
        }

        if (packet[0] != MetaWearCommands.DataProcessorModule || packet[1] != MetaWearCommands.ProcessorNotifyRegister || packet[2] != processorId)
        {
            reason = PacketRejectReason.UnexpectedHeader;
            return false;
        }

        if (packet.Length != Length)
        {
            reason = packet.Length < Length ? PacketRejectReason.Truncated : PacketRejectReason.Oversized;
            return false;
        }

        result = new CountedSamplePacket(packet);
        reason = PacketRejectReason.None;
        return true;
    }
}
