using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace IolaEdge.Midi.Messages;

/// <summary>
/// One complete MIDI message held inline (no heap buffer): a channel message, a system real-time
/// message or a short SysEx. Always carries its own status byte (running status is never used), so
/// each message can be written on its own to any output.
/// </summary>
/// <remarks>Create messages through the factories, which validate every field and throw
/// <see cref="ArgumentOutOfRangeException"/> naming the field, its value and the allowed range.</remarks>
public readonly struct MidiMessage : IEquatable<MidiMessage>
{
    /// <summary>Largest message in bytes, SysEx framing (F0 ... F7) included.</summary>
    public const int MaxLength = 32;

    private readonly MidiMessageBytes _bytes;
    private readonly byte _length;

    private MidiMessage(MidiMessageBytes bytes, int length)
    {
        _bytes = bytes;
        _length = (byte)length;
    }

    /// <summary>Number of bytes in the message (0 for <c>default</c>).</summary>
    public int Length => _length;

    /// <summary>The status byte (0 for <c>default</c>).</summary>
    public byte Status => _length == 0 ? (byte)0 : _bytes[0];

    /// <summary>True for a system real-time message (clock, start, continue, stop): one byte, no channel.</summary>
    public bool IsRealTime => _length == 1 && _bytes[0] >= 0xF8;

    /// <summary>Whether this is a Song Position Pointer (a system common message: like real-time ones, not allowed in a SMF).</summary>
    public bool IsSongPosition => _length == 3 && _bytes[0] == MidiStatus.SongPosition;

    /// <summary>True for a SysEx message (F0 ... F7).</summary>
    public bool IsSystemExclusive => _length > 0 && _bytes[0] == MidiStatus.SysExStart;

    /// <summary>The message bytes, status first.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => ((ReadOnlySpan<byte>)_bytes)[.._length];

    /// <summary>Note on. Velocity 0 is rejected: by convention it means note off; use <see cref="NoteOff"/>.</summary>
    /// <param name="channel">0..15 (channel 1 is 0).</param>
    /// <param name="note">0..127 (60 is middle C).</param>
    /// <param name="velocity">1..127.</param>
    public static MidiMessage NoteOn(int channel, int note, int velocity)
    {
        CheckRange(channel, 0, 15, nameof(channel));
        CheckRange(note, 0, 127, nameof(note));
        CheckRange(velocity, 1, 127, nameof(velocity));
        return Three(MidiStatus.NoteOn | channel, note, velocity);
    }

    /// <summary>Note off (status 8n, not note-on with velocity 0).</summary>
    /// <param name="channel">0..15.</param>
    /// <param name="note">0..127.</param>
    /// <param name="velocity">Release velocity 0..127.</param>
    public static MidiMessage NoteOff(int channel, int note, int velocity = 0)
    {
        CheckRange(channel, 0, 15, nameof(channel));
        CheckRange(note, 0, 127, nameof(note));
        CheckRange(velocity, 0, 127, nameof(velocity));
        return Three(MidiStatus.NoteOff | channel, note, velocity);
    }

    /// <summary>Control change.</summary>
    /// <param name="channel">0..15.</param>
    /// <param name="controller">0..119 (120..127 are channel mode messages).</param>
    /// <param name="value">0..127.</param>
    public static MidiMessage ControlChange(int channel, int controller, int value)
    {
        CheckRange(channel, 0, 15, nameof(channel));
        CheckRange(controller, 0, 119, nameof(controller));
        CheckRange(value, 0, 127, nameof(value));
        return Three(MidiStatus.ControlChange | channel, controller, value);
    }

    /// <summary>Timing clock (F8), sent 24 times per quarter note.</summary>
    public static MidiMessage Clock() => One(MidiStatus.Clock);

    /// <summary>Start (FA).</summary>
    public static MidiMessage Start() => One(MidiStatus.Start);

    /// <summary>Continue (FB).</summary>
    public static MidiMessage Continue() => One(MidiStatus.Continue);

    /// <summary>Song Position Pointer (F2): where a sequencer resumes on Continue, in MIDI beats (sixteenth notes, 6 clocks each).</summary>
    /// <param name="sixteenths">0..16383.</param>
    public static MidiMessage SongPosition(int sixteenths)
    {
        CheckRange(sixteenths, 0, 16383, nameof(sixteenths));
        return Three(MidiStatus.SongPosition, sixteenths & 0x7F, sixteenths >> 7);
    }

    /// <summary>Stop (FC).</summary>
    public static MidiMessage Stop() => One(MidiStatus.Stop);

    /// <summary>SysEx: F0, manufacturer id, <paramref name="data"/>, F7.</summary>
    /// <param name="manufacturerId">One-byte id 0x01..0x7D; 0x7D is the non-commercial id this project uses.</param>
    /// <param name="data">7-bit data bytes (each 0..127), at most <see cref="MaxLength"/> - 3.</param>
    public static MidiMessage SystemExclusive(byte manufacturerId, ReadOnlySpan<byte> data)
    {
        CheckRange(manufacturerId, 1, 0x7D, nameof(manufacturerId));
        CheckRange(data.Length, 0, MaxLength - 3, "data.Length");
        MidiMessageBytes bytes = default;
        bytes[0] = MidiStatus.SysExStart;
        bytes[1] = manufacturerId;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] > 0x7F)
            {
                ThrowDataByte(nameof(data), i, data[i]);
            }

            bytes[2 + i] = data[i];
        }

        bytes[2 + data.Length] = MidiStatus.SysExEnd;
        return new MidiMessage(bytes, data.Length + 3);
    }

    /// <summary>Validates raw bytes as one complete message and wraps them (used for parsing and tests).</summary>
    /// <returns>False when the bytes are not exactly one well-formed message; <paramref name="error"/> says why.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out MidiMessage message, [NotNullWhen(false)] out string? error)
    {
        message = default;
        if (bytes.Length == 0 || bytes.Length > MaxLength)
        {
            error = $"length {bytes.Length} is outside 1..{MaxLength}";
            return false;
        }

        byte status = bytes[0];
        int expected = ExpectedLength(status, bytes);
        if (expected < 0)
        {
            error = $"status byte 0x{status:X2} is not supported";
            return false;
        }

        if (bytes.Length != expected)
        {
            error = $"status 0x{status:X2} needs {expected} bytes, got {bytes.Length}";
            return false;
        }

        int dataEnd = status == MidiStatus.SysExStart ? bytes.Length - 1 : bytes.Length;
        for (int i = 1; i < dataEnd; i++)
        {
            if (bytes[i] > 0x7F)
            {
                error = $"data byte {i} is 0x{bytes[i]:X2}, above 0x7F";
                return false;
            }
        }

        MidiMessageBytes inline = default;
        bytes.CopyTo(inline);
        message = new MidiMessage(inline, bytes.Length);
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(MidiMessage other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MidiMessage other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        HashCode hash = default;
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>Hex bytes, e.g. "90 3C 64" (allocates; for logs and tests only).</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder(_length * 3);
        foreach (byte b in Bytes)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Equality of bytes.</summary>
    public static bool operator ==(MidiMessage left, MidiMessage right) => left.Equals(right);

    /// <summary>Inequality of bytes.</summary>
    public static bool operator !=(MidiMessage left, MidiMessage right) => !left.Equals(right);

    private static int ExpectedLength(byte status, ReadOnlySpan<byte> bytes)
    {
        if (status == MidiStatus.SysExStart)
        {
            int end = bytes.IndexOf(MidiStatus.SysExEnd);
            return end < 2 ? -1 : end + 1;
        }

        return (status & 0xF0) switch
        {
            MidiStatus.NoteOff or MidiStatus.NoteOn or MidiStatus.ControlChange => 3,
            0xF0 when status is MidiStatus.Clock or MidiStatus.Start or MidiStatus.Continue or MidiStatus.Stop => 1,
            0xF0 when status is MidiStatus.SongPosition => 3,
            _ => -1,
        };
    }

    private static MidiMessage One(int status)
    {
        MidiMessageBytes bytes = default;
        bytes[0] = (byte)status;
        return new MidiMessage(bytes, 1);
    }

    private static MidiMessage Three(int status, int data1, int data2)
    {
        MidiMessageBytes bytes = default;
        bytes[0] = (byte)status;
        bytes[1] = (byte)data1;
        bytes[2] = (byte)data2;
        return new MidiMessage(bytes, 3);
    }

    private static void CheckRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            ThrowRange(value, min, max, name);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRange(int value, int min, int max, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"MIDI {name} must be in {min}..{max}, was {value}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDataByte(string paramName, int index, byte value) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"SysEx data byte {index} is 0x{value:X2}; data bytes must be 0x00..0x7F.");
}

/// <summary>Inline storage of a <see cref="MidiMessage"/>.</summary>
[InlineArray(MidiMessage.MaxLength)]
internal struct MidiMessageBytes
{
    private byte _first;
}
