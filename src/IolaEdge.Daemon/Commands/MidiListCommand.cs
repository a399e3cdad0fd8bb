using System.CommandLine;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Midi.Rtmidi;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge midi list</c>: the MIDI ports the selected backend sees.</summary>
internal sealed class MidiListCommand : Command
{
    private readonly Option<string> _backend = new("--midi")
    {
        Description = "Backend to ask: alsa (default; USB synths on the Pi) or jack.",
        HelpName = "alsa|jack",
        DefaultValueFactory = _ => "alsa",
    };

    /// <summary>Creates the verb.</summary>
    public MidiListCommand()
        : base("list", "List the MIDI ports the selected backend can send to, or say that none is available. Exit 0 when the backend answered, 5 when it is not available.")
    {
        Options.Add(_backend);
        SetAction(result => List(result.GetValue(_backend) ?? "alsa"));
    }

    private static int List(string backend)
    {
        RtMidiApi api;
        try
        {
            api = RtMidiApiNames.Parse(backend, "--midi");
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("iolaedge: " + ex.Message);
            return ExitCodes.Usage;
        }

        IReadOnlyList<string> ports;
        try
        {
            ports = RtMidiSystem.ListOutputPorts(api);
        }
        catch (Exception ex) when (ex is RtMidiException or DllNotFoundException)
        {
            Console.WriteLine($"No {api.ToName()} MIDI backend is available: {ex.Message}");
            return ExitCodes.Output;
        }

        if (ports.Count == 0)
        {
            Console.WriteLine($"{api.ToName()}: no MIDI ports (a JACK server that is not running also shows none). 'iolaedge run --midi {api.ToName()}' opens a virtual port instead.");
            return ExitCodes.Success;
        }

        Console.WriteLine($"{api.ToName()} MIDI ports (use --midi-port with a name, 'index:N' or 'regex:...'):");
        for (int i = 0; i < ports.Count; i++)
        {
            Console.WriteLine($"  {i}: {ports[i]}");
        }

        return ExitCodes.Success;
    }
}
