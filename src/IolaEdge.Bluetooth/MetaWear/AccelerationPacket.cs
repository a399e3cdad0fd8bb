using System.Buffers.Binary;

namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// A view over one accelerometer notification: <c>[03, register, n × (x, y, z int16 LE)]</c>, n = 1
/// (plain, register 0x04) or 3 (packed, 0x1c on BMI160 / 0x05 on BMI270); metawear-protocol.md §7.
/// </summary>
internal readonly ref struct AccelerationPacket
{
    /// <summary>Module and register bytes before the samples.</summary>
    public const int HeaderLength = 2;

    /// <summary>Three int16 per sample.</summary>
    public const int SampleLength = 6;

    private readonly ReadOnlySpan<byte> _samples;

    private AccelerationPacket(ReadOnlySpan<byte> samples) => _samples = samples;

    /// <summary>Number of samples in the packet.</summary>
    public int Count => _samples.Length / SampleLength;

    /// <summary>Validates <paramref name="packet"/> against the expected register and sample count; never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, byte expectedRegister, int maxSamples, out AccelerationPacket result, out PacketRejectReason reason)
    {
        result = default;
        if (packet.Length < HeaderLength + SampleLength)
        {
            reason = PacketRejectReason.Truncated;
            return false;
        }

        if (packet[0] != MetaWearCommands.AccelerometerModule || packet[1] != expectedRegister)
        {
            reason = PacketRejectReason.UnexpectedHeader;
            return false;
        }

        int payload = packet.Length - HeaderLength;
        if (payload % SampleLength != 0)
        {
            reason = PacketRejectReason.PartialSample;
            return false;
        }

        if (payload / SampleLength > maxSamples)
        {
            reason = PacketRejectReason.Oversized;
            return false;
        }

        result = new AccelerationPacket(packet[HeaderLength..]);
        reason = PacketRejectReason.None;
        return true;
    }

    /// <summary>Raw counts of sample <paramref name="index"/> (buffer order, assumed oldest first).</summary>
    public (short X, short Y, short Z) Raw(int index)
    {
        ReadOnlySpan<byte> s = _samples.Slice(index * SampleLength, SampleLength);
        return (BinaryPrimitives.ReadInt16LittleEndian(s), BinaryPrimitives.ReadInt16LittleEndian(s[2..]), BinaryPrimitives.ReadInt16LittleEndian(s[4..]));
    }
}
