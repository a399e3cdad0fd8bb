namespace IolaEdge.Midi.Rtmidi;

/// <summary>The rtmidi back end. Always chosen explicitly: rtmidi's "unspecified" tries ALSA first and does not fall back.</summary>
public enum RtMidiApi
{
    /// <summary>ALSA sequencer (USB synths on the Pi); needs <c>/dev/snd/seq</c>.</summary>
    Alsa = 2,

    /// <summary>JACK (studios, and the tests' dummy server).</summary>
    Jack = 3,
}

/// <summary>Parsing of <see cref="RtMidiApi"/> names from configuration.</summary>
public static class RtMidiApiNames
{
    /// <summary>Parses "alsa" or "jack" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other value, naming the allowed ones.</exception>
    public static RtMidiApi Parse(string value, string key = "Midi:Rtmidi:Api") =>
        value?.Trim().ToUpperInvariant() switch
        {
            "ALSA" => RtMidiApi.Alsa,
            "JACK" => RtMidiApi.Jack,
            _ => throw new ArgumentException($"{key} = '{value}' is not a MIDI API; allowed: alsa, jack."),
        };

    /// <summary>"alsa" or "jack".</summary>
    public static string ToName(this RtMidiApi api) => api == RtMidiApi.Alsa ? "alsa" : "jack";
}
