using System.CommandLine;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Detectors;

namespace IolaEdge.Daemon.Commands;

/// <summary>
/// The options shared by <c>run</c>, <c>replay</c> and <c>soak</c>. Each maps to one configuration key, so the command
/// line is simply the last configuration layer and is validated like every other layer.
/// </summary>
internal sealed class RunOptionSet
{
    private readonly List<(Option<string> Option, string Key)> _mapped = [];

    /// <summary>Creates the options.</summary>
    /// <param name="withSource">Offer <c>--source</c> (not for <c>replay</c>, whose argument is the source).</param>
    /// <param name="withDuration">Offer <c>--duration</c> (not for <c>soak</c>, whose length is <c>--minutes</c>).</param>
    /// <param name="sourceDefault">What <c>--help</c> names as the default source.</param>
    public RunOptionSet(bool withSource, bool withDuration = true, string sourceDefault = "the bundled walk")
    {
        if (withSource)
        {
            Map(new Option<string>("--source", "-s") { Description = $"Sample source: {SourceSpec.Allowed}. Default: {sourceDefault}.", HelpName = "SPEC" }, "Run:Source");
        }

        Map(new Option<string>("--speed") { Description = $"Replay pace: {ReplaySpeed.Allowed}. Default 1.", HelpName = "N|max" }, "Run:Speed");
        Map(new Option<string>("--detector", "-d") { Description = DetectorCatalog.OptionHelp, HelpName = "NAME" }, "Run:Detector");
        if (withDuration)
        {
            Map(new Option<string>("--duration") { Description = "Stop after this many seconds (0 = until the source ends or SIGINT/SIGTERM).", HelpName = "SECONDS" }, "Run:DurationSeconds");
        }

        Map(new Option<string>("--midi") { Description = "MIDI output backend: file (default, a Standard MIDI File), jack, alsa, raw, none.", HelpName = "BACKEND" }, "Midi:Backend");
        Map(new Option<string>("--midi-file", "-o") { Description = "Standard MIDI File to write (default: iolaedge-YYYYMMDD-HHMMSS.mid in the current directory).", HelpName = "PATH" }, "Midi:FilePath");
        Map(new Option<string>("--midi-device") { Description = "Raw MIDI device for --midi raw (e.g. /dev/snd/midiC1D0).", HelpName = "PATH" }, "Midi:DevicePath");
        Map(new Option<string>("--midi-port") { Description = "Port for --midi jack|alsa: the synth's port name (or part of it), 'auto' (the first other port), or virtual:NAME; connected again whenever it appears.", HelpName = "NAME" }, "Midi:Port");
        Map(new Option<string>("--events") { Description = "JSON-lines footfall events: none (default), stdout, or a file path.", HelpName = "none|stdout|PATH" }, "Events:Output");
        Map(new Option<string>("--record") { Description = "Record the run (samples, detections, GPIO button marks) as CSV files in this directory.", HelpName = "DIR" }, "Recording:Directory");
        Map(new Option<string>("--control-socket") { Description = "Unix socket taking 'set KEY=VALUE', 'get KEY', 'keys', 'preset NAME|list', 'preset save|delete NAME', 'save', 'learn SENSOR [SECONDS]', 'learn cancel', 'status' lines (docs/web.md), and 'mark [sensor]' while recording a live source.", HelpName = "PATH" }, "Recording:ControlSocket");
        Map(new Option<string>("--progress") { Description = "Seconds between progress lines, fractions allowed (0 = off; default 10).", HelpName = "SECONDS" }, "Pipeline:ProgressIntervalSeconds");
        Map(new Option<string>("--log-format") { Description = "Console log format: text (default) or json (compact JSON).", HelpName = "text|json" }, "Log:Format");
        Map(new Option<string>("--log-level") { Description = "Minimum log level: Verbose, Debug, Information (default), Warning, Error.", HelpName = "LEVEL" }, "Log:Level");
        Map(new Option<string>("--log-file") { Description = "Also log to this rolling file (compact JSON).", HelpName = "PATH" }, "Log:File");
    }

    /// <summary>An explicit configuration file, read instead of /etc/iolaedge/iolaedge.json.</summary>
    public Option<string> ConfigFile { get; } = new("--config", "-c")
    {
        Description = "Configuration file read instead of /etc/iolaedge/iolaedge.json (must exist).",
        HelpName = "FILE",
    };

    /// <summary>Generic overrides, for keys without a dedicated option.</summary>
    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Set any configuration key, e.g. --set Midi:Mapping:Default:Channel=2 (repeatable; unknown keys are errors; see docs/configuration.md).",
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach ((Option<string> option, _) in _mapped)
        {
            command.Options.Add(option);
        }

        command.Options.Add(ConfigFile);
        command.Options.Add(Set);
    }

    /// <summary><c>--set</c> values as configuration keys and values (keys case-insensitive, later wins).</summary>
    /// <exception cref="FormatException">A value without '='.</exception>
    public static Dictionary<string, string?> ParseSetPairs(IEnumerable<string> pairs)
    {
        Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase);
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"--set '{pair}' is not KEY=VALUE");
            }

            settings[pair[..eq].Trim()] = pair[(eq + 1)..];
        }

        return settings;
    }

    /// <summary>The command-line configuration layer.</summary>
    /// <exception cref="FormatException">A <c>--set</c> value without '='.</exception>
    public Dictionary<string, string?> ToOverrides(ParseResult result)
    {
        Dictionary<string, string?> overrides = ParseSetPairs(result.GetValue(Set) ?? []);

        foreach ((Option<string> option, string key) in _mapped)
        {
            string? value = result.GetValue(option);
            if (value is not null)
            {
                overrides[key] = value;
            }
        }

        return overrides;
    }

    private void Map(Option<string> option, string key)
    {
        option.Description += $" [config: {key}]";
        _mapped.Add((option, key));
    }
}
