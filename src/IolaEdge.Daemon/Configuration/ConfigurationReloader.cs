using IolaEdge.Daemon.Tuning;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace IolaEdge.Daemon.Configuration;

/// <summary>What one reload did.</summary>
/// <param name="Accepted">False when the files were not valid (nothing changed).</param>
/// <param name="Applied">Keys applied to the running session.</param>
/// <param name="NeedRestart">Changed keys that take effect only when the daemon restarts.</param>
/// <param name="Problems">Why the files were rejected (each names the file and the key).</param>
internal sealed record ReloadOutcome(bool Accepted, IReadOnlyList<string> Applied, IReadOnlyList<string> NeedRestart, IReadOnlyList<string> Problems);

/// <summary>
/// SIGHUP: re-reads the configuration layers the daemon started with (same files, same IOLAEDGE_ variables,
/// same command line on top), validates them like the start does, and applies the changed keys that can change
/// live (gate, detector, MIDI mapping: the keys of <see cref="LiveTuning"/>, the control socket's <c>set</c>).
/// Logs one line per changed key; an invalid file changes nothing and is named with its key.
/// </summary>
/// <remarks>
/// "Changed" means changed in the files since they were last applied (start or an earlier reload), so a value
/// set live through the page or the control socket stays unless the files change that key. Keys that need a
/// restart stay "changed" and are reported again at every reload until the daemon restarts.
/// </remarks>
internal sealed class ConfigurationReloader
{
    private readonly IReadOnlyDictionary<string, string?> _overrides;
    private readonly string? _configFile;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string?> _applied; // the layers' values in force, flattened

    /// <summary>Creates the reloader of one run.</summary>
    /// <param name="overrides">The command-line layer the run started with.</param>
    /// <param name="configFile">The <c>--config</c> file, or null for the system file.</param>
    /// <param name="startup">The configuration the run started with.</param>
    /// <param name="log">Logger.</param>
    public ConfigurationReloader(IReadOnlyDictionary<string, string?> overrides, string? configFile, IConfiguration startup, ILogger log)
    {
        _overrides = overrides;
        _configFile = configFile;
        _log = log.ForContext("SourceContext", "Reload");
        _applied = Flatten(startup);
    }

    /// <summary>Re-reads, validates and applies; <paramref name="tuning"/> is the running session's (null before it started).</summary>
    public ReloadOutcome Reload(LiveTuning? tuning)
    {
        lock (_lock)
        {
            IConfigurationRoot? configuration = ConfigurationLoad.TryLoad(_overrides, _configFile, out List<string> problems);
            if (problems.Count > 0)
            {
                foreach (string problem in problems)
                {
                    _log.Error("SIGHUP: configuration not reloaded, previous settings kept: {Problem:l}", problem);
                }

                return new ReloadOutcome(false, [], [], problems);
            }

            Dictionary<string, string?> next = Flatten(configuration!);
            List<string> changed = [.. next.Keys.Union(_applied.Keys, StringComparer.OrdinalIgnoreCase)
                .Where(k => !string.Equals(Value(_applied, k), Value(next, k), StringComparison.Ordinal))
                .Order(StringComparer.OrdinalIgnoreCase)];
            if (changed.Count == 0)
            {
                _log.Information("SIGHUP: configuration re-read from {Files:l}: no setting changed", Files(configuration!));
                return new ReloadOutcome(true, [], [], []);
            }

            List<string> live = tuning is null ? [] : [.. changed.Where(tuning.IsLive)];
            List<string> restart = [.. changed.Except(live, StringComparer.OrdinalIgnoreCase)];
            if (live.Count > 0)
            {
                TuningResult result = tuning!.Reload([.. live.Select(k => (k, Value(next, k)))]);
                if (!result.Ok)
                {
                    // Valid keys one by one, but not together with the running detector's gate.
                    string problem = ConfigurationLayer.Annotate(result.Message, configuration!);
                    _log.Error("SIGHUP: configuration not reloaded, previous settings kept: {Problem:l}", problem);
                    return new ReloadOutcome(false, [], [], [problem]);
                }

                foreach (string key in live)
                {
                    _log.Information("SIGHUP: {Key:l} = {Value:l} (was {Previous:l}): applied", key, Shown(next, key), Shown(_applied, key));
                    _applied[key] = Value(next, key);
                }
            }

            foreach (string key in restart)
            {
                _log.Warning("SIGHUP: {Key:l} = {Value:l} (was {Previous:l}): needs a restart to take effect", key, Shown(next, key), Shown(_applied, key));
            }

            _log.Information("SIGHUP: configuration reloaded from {Files:l}: {Applied} setting(s) applied, {Restart} need a restart{Restarts:l}",
                Files(configuration!), live.Count, restart.Count, restart.Count > 0 ? " (" + string.Join(", ", restart) + ")" : "");
            return new ReloadOutcome(true, live, restart, []);
        }
    }

    private static Dictionary<string, string?> Flatten(IConfiguration configuration)
    {
        Dictionary<string, string?> flat = new(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in configuration.AsEnumerable())
        {
            if (pair.Value is not null)
            {
                flat[pair.Key] = pair.Value;
            }
        }

        return flat;
    }

    private static string? Value(Dictionary<string, string?> values, string key) => values.TryGetValue(key, out string? v) ? v : null;

    private static string Shown(Dictionary<string, string?> values, string key) => Value(values, key) is { } v ? $"'{v}'" : "(not set)";

    private static string Files(IConfigurationRoot configuration) => string.Join(", ", ConfigurationLayer.Files(configuration));
}
