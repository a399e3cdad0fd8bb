namespace IolaEdge.Daemon.Configuration;

/// <summary>Where footfall MIDI goes and which notes it plays (configuration section <c>Midi</c>).</summary>
internal sealed class MidiOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Midi";

    /// <summary>Output backend: <c>file</c> (Standard MIDI File), <c>jack</c>, <c>alsa</c>, <c>raw</c> (device node) or <c>none</c>.</summary>
    public string Backend { get; set; } = "file";

    /// <summary>Standard MIDI File path for the <c>file</c> backend; empty = <c>iolaedge-YYYYMMDD-HHMMSS.mid</c> in the current directory.</summary>
    public string FilePath { get; set; } = string.Empty;

    /// <summary>Device node for the <c>raw</c> backend (e.g. <c>/dev/snd/midiC1D0</c>).</summary>
    public string DevicePath { get; set; } = string.Empty;

    /// <summary>Port name (or part of it) to connect to for the <c>jack</c>/<c>alsa</c> backends; empty = virtual port only.</summary>
    public string Port { get; set; } = string.Empty;

    /// <summary>MIDI channel, 1 to 16 (as musicians count).</summary>
    public int Channel { get; set; } = 10;

    /// <summary>Note number for footfalls of sensor 0 (0 to 127; 36 = General MIDI bass drum).</summary>
    public int Note { get; set; } = 36;

    /// <summary>Note number for footfalls of sensor 1 (0 to 127; 38 = General MIDI snare).</summary>
    public int SecondSensorNote { get; set; } = 38;

    /// <summary>Note length in milliseconds, 1 to 10 000.</summary>
    public int NoteLengthMs { get; set; } = 100;
}
