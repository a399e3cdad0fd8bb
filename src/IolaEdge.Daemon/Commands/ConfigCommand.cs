using System.CommandLine;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge config</c>: inspect configuration without running (<c>check</c>, <c>show</c>).</summary>
internal sealed class ConfigCommand : Command
{
    /// <summary>Creates the verb with its subcommands.</summary>
    public ConfigCommand()
        : base("config", "Check a configuration file, or show the effective configuration with where each value comes from (docs/configuration.md).")
    {
        Subcommands.Add(new ConfigCheckCommand());
        Subcommands.Add(new ConfigShowCommand());
    }
}
