using System.CommandLine;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge midi</c>: MIDI utilities (<c>midi list</c>).</summary>
internal sealed class MidiCommand : Command
{
    /// <summary>Creates the verb group.</summary>
    public MidiCommand()
        : base("midi", "MIDI utilities.")
    {
        Subcommands.Add(new MidiListCommand());
    }
}
