using System.CommandLine;
using IolaEdge.Daemon.Commands;
using IolaEdge.Daemon.Hosting;

namespace IolaEdge.Daemon;

/// <summary>Entry point: assembles the CLI verbs; each verb lives in its own class under Commands/.</summary>
internal static class Program
{
    /// <summary>The root command with every verb (the documented-examples test parses with it too).</summary>
    internal static RootCommand CreateRoot()
    {
        RootCommand root = new("IolaEdge: foot-mounted IMU footfalls to MIDI, live, with measured latency. Exit codes: 0 ok, 1 failure, 2 usage, 3 configuration, 4 input, 5 MIDI output, 6 soak check failed (docs/daemon.md).");
        root.Subcommands.Add(new RunCommand());
        root.Subcommands.Add(new ReplayCommand());
        root.Subcommands.Add(new MidiCommand());
        root.Subcommands.Add(new SimulateCommand());
        root.Subcommands.Add(new RecordCommand());
        root.Subcommands.Add(new EvalCommand());
        root.Subcommands.Add(new SoakCommand());
        root.Subcommands.Add(new ConfigCommand());
        return root;
    }

    private static int Main(string[] args)
    {
        ParseResult result = CreateRoot().Parse(args);
        if (result.Errors.Count > 0 && result.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (System.CommandLine.Parsing.ParseError error in result.Errors)
            {
                Console.Error.WriteLine("iolaedge: " + error.Message);
            }

            Console.Error.WriteLine("Try 'iolaedge --help'.");
            return ExitCodes.Usage;
        }

        // The Generic Host owns SIGINT/SIGTERM (graceful drain); System.CommandLine must not also handle them.
        return result.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
