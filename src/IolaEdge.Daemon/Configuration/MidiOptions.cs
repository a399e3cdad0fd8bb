using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;

namespace IolaEdge.Daemon.Configuration;

/// <summary>Where footfall MIDI goes (configuration section <c>Midi</c>); how it sounds is <see cref="Mapping"/>.</summary>
internal sealed class MidiOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Midi";

    /// <summary>Output backend: <c>file</c> (Standard MIDI File), <c>jack</c>, <c>alsa</c>, <c>raw</c> (device node) or <c>none</c>.</summary>
    public string Backend { get; set; } = "file";

    /// <summary>
    /// Standard MIDI File path. For <c>file</c>, empty = <c>iolaedge-YYYYMMDD-HHMMSS.mid</c> in the current directory;
    /// for <c>jack</c>/<c>alsa</c>/<c>raw</c>, a non-empty path also records the run to that file.
    /// </summary>
    public string FilePath { get; set; } = string.Empty;

    /// <summary>Device node for the <c>raw</c> backend (e.g. <c>/dev/snd/midiC1D0</c>).</summary>
    public string DevicePath { get; set; } = string.Empty;

    /// <summary>Port for <c>jack</c>/<c>alsa</c>: <c>virtual:NAME</c> (default <c>virtual:out</c>), <c>auto</c>, <c>index:N</c>, <c>regex:PATTERN</c>, <c>name:TEXT</c> or TEXT.</summary>
    public string Port { get; set; } = "virtual:out";

    /// <summary><see cref="Port"/>, with empty meaning the default virtual port <c>virtual:out</c>.</summary>
    public string EffectivePort => string.IsNullOrWhiteSpace(Port) ? "virtual:out" : Port;

    /// <summary>How footfalls become notes (the MIDI project's mapping; section <c>Midi:Mapping</c>).</summary>
    public MidiMappingOptions Mapping { get; set; } = new();

    /// <summary>MIDI thread queue sizes and flush interval (section <c>Midi:Engine</c>).</summary>
    public MidiEngineOptions Engine { get; set; } = new();

    /// <summary>MIDI learn: the input a learn listens on (section <c>Midi:Learn</c>).</summary>
    public MidiLearnOptions Learn { get; set; } = new();

    /// <summary>
    /// Where user presets (saved mappings, <c>preset save NAME</c>) are kept; empty (default): <c>$STATE_DIRECTORY/presets.json</c>
    /// under systemd, else <c>~/.local/state/iolaedge/presets.json</c>.
    /// </summary>
    public string PresetsFile { get; set; } = string.Empty;

    /// <summary>The effective <see cref="PresetsFile"/>.</summary>
    public string EffectivePresetsFile => PresetsFile.Trim().Length > 0 ? Path.GetFullPath(PresetsFile.Trim()) : StatePaths.Default("presets.json");
}
