using System.Diagnostics.CodeAnalysis;

namespace IolaEdge.Daemon.Tuning;

/// <summary>
/// The built-in presets: named sets of MIDI mapping keys, applied together by <see cref="LiveTuning.ApplyPreset"/> (page,
/// control socket <c>preset NAME</c>) and saved like any other change. User presets (<see cref="UserPresets"/>) cannot take
/// these names.
/// </summary>
internal static class TuningPresets
{
    private static readonly Dictionary<string, Func<int, IReadOnlyList<(string Key, string Value)>>> s_presets = new(StringComparer.OrdinalIgnoreCase)
    {
        // General MIDI drums on channel 10: kick (36) for the default sensor, snare (38) for every configured sensor entry.
        ["drum"] = sensors => [
            ("Midi:Mapping:Default:Note", "36"), ("Midi:Mapping:Default:Channel", "10"), ("Midi:Mapping:Default:NoteLengthMs", "100"),
            ("Midi:Mapping:Default:Velocity", "Linear"),
            .. Entries(sensors, i => [($"Midi:Mapping:Sensors:{i}:Note", "38"), ($"Midi:Mapping:Sensors:{i}:Channel", "10"),
                ($"Midi:Mapping:Sensors:{i}:NoteLengthMs", "100"), ($"Midi:Mapping:Sensors:{i}:Velocity", "Linear")]),
            ("Midi:Mapping:SendNotes", "true"), // after clock-only, notes again
        ],

        // A melodic voice on channel 1: middle C and the G above, longer notes, soft steps stay soft.
        ["melodic"] = sensors => [
            ("Midi:Mapping:Default:Note", "60"), ("Midi:Mapping:Default:Channel", "1"), ("Midi:Mapping:Default:NoteLengthMs", "250"),
            ("Midi:Mapping:Default:Velocity", "Exponential"),
            .. Entries(sensors, i => [($"Midi:Mapping:Sensors:{i}:Note", "67"), ($"Midi:Mapping:Sensors:{i}:Channel", "1"),
                ($"Midi:Mapping:Sensors:{i}:NoteLengthMs", "250"), ($"Midi:Mapping:Sensors:{i}:Velocity", "Exponential")]),
            ("Midi:Mapping:SendNotes", "true"),
        ],

        // MIDI clock locked to the walking cadence and no footfall notes: the walker drives a sequencer's tempo. The clock's
        // other keys (steps per beat, stop time, song position, latency) stay as they are.
        ["clock-only"] = _ => [("Midi:Mapping:SendNotes", "false"), ("Midi:Mapping:Clock:Enabled", "true")],
    };

    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_presets.Keys];

    /// <summary>True when <paramref name="name"/> is a built-in preset (case-insensitive).</summary>
    public static bool IsBuiltIn(string name) => s_presets.ContainsKey(name.Trim());

    /// <summary>The preset <paramref name="name"/>: its keys for a mapping with <c>sensors</c> per-sensor entries.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out Func<int, IReadOnlyList<(string Key, string Value)>>? preset) =>
        s_presets.TryGetValue(name, out preset);

    private static IEnumerable<(string Key, string Value)> Entries(int sensors, Func<int, (string, string)[]> entry) =>
        Enumerable.Range(0, sensors).SelectMany(entry);
}
