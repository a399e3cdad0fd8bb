using System.CommandLine;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Commands;

/// <summary>
/// <c>iolaedge config check FILE</c>: validates a configuration file exactly as <c>run --config FILE</c> would
/// (the shipped defaults and IOLAEDGE_ variables under and over it, as at start), without running anything.
/// </summary>
internal sealed class ConfigCheckCommand : Command
{
    private readonly Argument<string> _file = new("FILE")
    {
        Description = "The configuration file to check (JSON, like /etc/iolaedge/iolaedge.json).",
    };

    /// <summary>Creates the verb.</summary>
    public ConfigCheckCommand()
        : base("check", "Validate a configuration file like 'run --config FILE' does at start: unknown keys (with the nearest known name), "
            + "values out of range, unreadable JSON. One line per problem naming the file and the key. Exit 0 when valid, 3 when not.")
    {
        Arguments.Add(_file);
        SetAction(result => Check(result.GetValue(_file)!));
    }

    private static int Check(string file)
    {
        IConfigurationRoot? configuration = ConfigurationLoad.TryLoad(new Dictionary<string, string?>(), file, out List<string> problems);
        if (problems.Count > 0)
        {
            return DaemonHost.ReportConfigurationError(problems);
        }

        string path = Path.GetFullPath(file);
        int keys = EffectiveConfiguration.Of(configuration!).Count(s => s.Layer == LayerKind.File);
        Console.WriteLine($"{path}: valid ({keys} setting(s) from this file)");
        return ExitCodes.Success;
    }
}
