using System.CommandLine;
using IolaEdge.Daemon.Commands;

namespace IolaEdge.Daemon;

/// <summary>Entry point: assembles the CLI verbs; each verb lives in its own class under Commands/.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        RootCommand root = new("IolaEdge: foot-mounted IMU footfalls to MIDI, live, with measured latency.");
        root.Subcommands.Add(new EvalCommand());
        return root.Parse(args).Invoke();
    }
}
