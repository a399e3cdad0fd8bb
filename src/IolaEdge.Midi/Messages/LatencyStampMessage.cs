using IolaEdge.Dsp.Samples;

namespace IolaEdge.Midi.Messages;

/// <summary>
/// The non-commercial SysEx sent after a note, carrying the event's latency stamps so a recorder
/// downstream of the synth can line MIDI up with the daemon's log.
/// </summary>
/// <remarks>
/// Layout (18 bytes): <c>F0 7D 49 01 sensor seq[4] algo[4] proc[4] F7</c>. 0x49 ('I') tags
/// IolaEdge and 0x01 is the layout version. Each 4-byte field is a 28-bit unsigned value, 7 bits
/// per byte, most significant first: <c>seq</c> the event sequence modulo 2^28, <c>algo</c> the
/// algorithmic latency and <c>proc</c> the processing latency in microseconds (clamped to
/// 0..2^28-1, about 268 s). <c>sensor</c> is the sensor id modulo 128.
/// </remarks>
public static class LatencyStampMessage
{
    /// <summary>Tag byte after the manufacturer id.</summary>
    public const byte Tag = 0x49;

    /// <summary>Layout version.</summary>
    public const byte Version = 1;

    /// <summary>Total message length, framing included.</summary>
    public const int Length = 18;

    private const int Max28 = (1 << 28) - 1;

    /// <summary>Encodes the stamps of <paramref name="footfall"/> (its MIDI write time must be set for <c>proc</c>).</summary>
    public static MidiMessage Encode(in FootfallEvent footfall)
    {
        Span<byte> data = stackalloc byte[Length - 3];
        data[0] = Tag;
        data[1] = Version;
        data[2] = (byte)(footfall.SensorId & 0x7F);
        Write28(data[3..], footfall.Sequence & Max28);
        Write28(data[7..], Math.Clamp(footfall.AlgorithmicLatencyNs / 1000, 0, Max28));
        Write28(data[11..], Math.Clamp(footfall.ProcessingLatencyNs / 1000, 0, Max28));
        return MidiMessage.SystemExclusive(MidiStatus.NonCommercialId, data);
    }

    /// <summary>Returns <paramref name="stamp"/> (made by <see cref="Encode"/>) with its <c>proc</c> field set to
    /// <paramref name="processingNs"/>: the sender that knows when the note's bytes left fills it in.</summary>
    public static MidiMessage WithProcessingLatency(in MidiMessage stamp, long processingNs)
    {
        ReadOnlySpan<byte> bytes = stamp.Bytes;
        if (bytes.Length != Length || bytes[2] != Tag)
        {
            return stamp;
        }

        Span<byte> data = stackalloc byte[Length - 3];
        bytes[2..^1].CopyTo(data);
        Write28(data[11..], Math.Clamp(processingNs / 1000, 0, Max28));
        return MidiMessage.SystemExclusive(MidiStatus.NonCommercialId, data);
    }

    /// <summary>Decodes a message made by <see cref="Encode"/>; false if it is not one.</summary>
    public static bool TryDecode(in MidiMessage message, out int sensorId, out long sequence, out long algorithmicUs, out long processingUs)
    {
        ReadOnlySpan<byte> b = message.Bytes;
        sensorId = 0;
        sequence = algorithmicUs = processingUs = 0;
        if (b.Length != Length || b[0] != MidiStatus.SysExStart || b[1] != MidiStatus.NonCommercialId || b[2] != Tag || b[3] != Version)
        {
            return false;
        }

        sensorId = b[4];
        sequence = Read28(b[5..]);
        algorithmicUs = Read28(b[9..]);
        processingUs = Read28(b[13..]);
        return true;
    }

    private static void Write28(Span<byte> destination, long value)
    {
        destination[0] = (byte)((value >> 21) & 0x7F);
        destination[1] = (byte)((value >> 14) & 0x7F);
        destination[2] = (byte)((value >> 7) & 0x7F);
        destination[3] = (byte)(value & 0x7F);
    }

    private static long Read28(ReadOnlySpan<byte> source) =>
        ((long)source[0] << 21) | ((long)source[1] << 14) | ((long)source[2] << 7) | source[3];
}
