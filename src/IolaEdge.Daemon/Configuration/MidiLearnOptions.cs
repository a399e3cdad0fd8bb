using IolaEdge.Midi.Rtmidi;

namespace IolaEdge.Daemon.Configuration;

/// <summary>MIDI learn (section <c>Midi:Learn</c>): the input a "learn" listens on for the note to map a sensor to.</summary>
internal sealed class MidiLearnOptions
{
    /// <summary>The virtual input's client name when <see cref="Port"/> is empty (JACK <c>iolaedge-learn:in</c>).</summary>
    public const string ClientName = "iolaedge-learn";

    /// <summary>
    /// <c>jack</c> or <c>alsa</c>; empty (default) = <c>Midi:Backend</c> when that is jack or alsa, else learning is off;
    /// <c>none</c> = off.
    /// </summary>
    public string Backend { get; set; } = string.Empty;

    /// <summary>
    /// The port to listen on: empty (default) = a virtual input <c>iolaedge-learn:in</c> the user connects the synth to;
    /// else a selector as for <c>Midi:Port</c> (<c>auto</c>, <c>name:TEXT</c>, TEXT, <c>regex:…</c>, <c>index:N</c>)
    /// naming the synth's or keyboard's output port, connected to by the daemon (and again after a re-plug).
    /// </summary>
    public string Port { get; set; } = string.Empty;

    /// <summary>Seconds a learn waits for a note when the request names none (default 15; 1..600).</summary>
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>True (default): the learned note's channel becomes the entry's channel too; false: only the note.</summary>
    public bool LearnChannel { get; set; } = true;

    /// <summary>The API learning listens on, or null when learning is off.</summary>
    public RtMidiApi? EffectiveApi(string outputBackend)
    {
        string backend = Backend.Trim().Length > 0 ? Backend.Trim() : outputBackend;
        return backend.ToUpperInvariant() switch
        {
            "JACK" => RtMidiApi.Jack,
            "ALSA" => RtMidiApi.Alsa,
            _ => null,
        };
    }

    /// <summary>The port selector: <see cref="Port"/>, or the virtual input <c>in</c> when empty.</summary>
    public RtMidiPortSelector Selector() =>
        string.IsNullOrWhiteSpace(Port) ? RtMidiPortSelector.Virtual("in") : RtMidiPortSelector.Parse(Port, "Midi:Learn:Port");

    /// <summary>Adds one problem per bad key.</summary>
    public void Validate(ConfigurationProblems problems)
    {
        if (Backend.Trim().Length > 0)
        {
            problems.RequireOneOf("Midi:Learn:Backend", Backend.Trim(), "jack", "alsa", "none");
        }

        problems.RequireRange("Midi:Learn:TimeoutSeconds", TimeoutSeconds, 1, 600);
        if (!string.IsNullOrWhiteSpace(Port))
        {
            try
            {
                RtMidiPortSelector.Parse(Port, "Midi:Learn:Port");
            }
            catch (ArgumentException ex)
            {
                problems.AddRaw(ex.Message);
            }
        }
    }
}
