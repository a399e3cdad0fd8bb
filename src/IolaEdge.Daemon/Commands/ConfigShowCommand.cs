using System.CommandLine;
using System.Text;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Commands;

/// <summary>
/// <c>iolaedge config show</c>: every configuration key with the value a run would use and the layer it came
/// from (default in code, shipped appsettings.json, the configuration file, an IOLAEDGE_ variable, --set).
/// </summary>
internal sealed class ConfigShowCommand : Command
{
    private readonly RunOptionSet _options = new(withSource: false);

    /// <summary>Creates the verb.</summary>
    public ConfigShowCommand()
        : base("show", "Print the effective configuration: every key as 'Section:Key = value', with where the value comes from "
            + "(default in code, shipped appsettings.json, the configuration file, environment IOLAEDGE_..., command line). "
            + "Layers as for 'run'. Exit 3 (and the problems) when the configuration is not valid.")
    {
        Options.Add(ConfigFile);
        Options.Add(Set);
        SetAction(Show);
    }

    /// <summary>The configuration file, as for <c>run</c>.</summary>
    internal Option<string> ConfigFile => _options.ConfigFile;

    /// <summary>Command-line settings, as for <c>run</c>.</summary>
    internal Option<string[]> Set => _options.Set;

    private int Show(ParseResult result)
    {
        Dictionary<string, string?> overrides;
        try
        {
            overrides = RunOptionSet.ParseSetPairs(result.GetValue(Set) ?? []);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine("iolaedge: " + ex.Message);
            return ExitCodes.Usage;
        }

        IConfigurationRoot? configuration = ConfigurationLoad.TryLoad(overrides, result.GetValue(ConfigFile), out List<string> problems);
        if (problems.Count > 0)
        {
            return DaemonHost.ReportConfigurationError(problems);
        }

        Console.Write(Format(EffectiveConfiguration.Of(configuration!)));
        return ExitCodes.Success;
    }

    /// <summary>One line per key, origins aligned: <c>Midi:Mapping:Default:Channel = 2   (in /etc/iolaedge/iolaedge.json)</c>.</summary>
    internal static string Format(IReadOnlyList<EffectiveSetting> settings)
    {
        string[] left = [.. settings.Select(s => $"{s.Key} = {s.Value ?? "(not set)"}")];
        int width = Math.Min(left.Max(l => l.Length), 72);
        StringBuilder text = new();
        for (int i = 0; i < settings.Count; i++)
        {
            text.Append(left[i].PadRight(width)).Append("   (").Append(settings[i].Origin).Append(')').Append('\n');
        }

        return text.ToString();
    }
}
