using System.CommandLine;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge midi list</c>: the MIDI ports the selected backend sees.</summary>
internal sealed class MidiListCommand : Command
{
    private readonly Option<string> _backend = new("--midi")
    {
        Description = "Backend to ask: jack or alsa.",
        HelpName = "BACKEND",
        DefaultValueFactory = _ => "alsa",
    };

    /// <summary>Creates the verb.</summary>
    public MidiListCommand()
        : base("list", "List the MIDI output ports the selected backend sees, or say that none is available.")
    {
        Options.Add(_backend);
        SetAction(result =>
        {
            Console.WriteLine($"MIDI backend '{result.GetValue(_backend)}': not available in this build (no MIDI port backend wired in); use --midi file or none.");
            return 0;
        });
    }
}
