namespace IolaEdge.Midi.Messages;

/// <summary>MIDI 1.0 status bytes used by this project (MIDI 1.0 Detailed Specification, table I/II).</summary>
public static class MidiStatus
{
    /// <summary>Note off, channel in the low nibble.</summary>
    public const int NoteOff = 0x80;

    /// <summary>Note on, channel in the low nibble.</summary>
    public const int NoteOn = 0x90;

    /// <summary>Control change, channel in the low nibble.</summary>
    public const int ControlChange = 0xB0;

    /// <summary>Start of System Exclusive.</summary>
    public const byte SysExStart = 0xF0;

    /// <summary>End of System Exclusive.</summary>
    public const byte SysExEnd = 0xF7;

    /// <summary>Timing clock, 24 per quarter note.</summary>
    public const byte Clock = 0xF8;

    /// <summary>Song Position Pointer (system common, two data bytes: LSB, MSB of the position in sixteenths).</summary>
    public const byte SongPosition = 0xF2;

    /// <summary>Start the sequence.</summary>
    public const byte Start = 0xFA;

    /// <summary>Continue the sequence.</summary>
    public const byte Continue = 0xFB;

    /// <summary>Stop the sequence.</summary>
    public const byte Stop = 0xFC;

    /// <summary>The manufacturer id reserved for non-commercial use.</summary>
    public const byte NonCommercialId = 0x7D;
}
