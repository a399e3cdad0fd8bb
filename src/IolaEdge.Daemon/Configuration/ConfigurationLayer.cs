using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.FileProviders;

namespace IolaEdge.Daemon.Configuration;

/// <summary>Which layer of the configuration (see <see cref="Hosting.DaemonHost.BuildConfiguration"/>) gave a key its value.</summary>
internal enum LayerKind
{
    /// <summary>No layer sets the key: the options type's default.</summary>
    Default,

    /// <summary>The appsettings.json shipped beside the binary.</summary>
    Shipped,

    /// <summary>The configuration file (<c>--config FILE</c>, else /etc/iolaedge/iolaedge.json).</summary>
    File,

    /// <summary>An <c>IOLAEDGE_…</c> environment variable.</summary>
    Environment,

    /// <summary>The command line (<c>--set</c> or an option mapped to a key).</summary>
    CommandLine,
}

/// <summary>Names the layer a key's value came from, in the words every configuration message uses.</summary>
internal static partial class ConfigurationLayer
{
    /// <summary>The layer that set <paramref name="key"/> last (the one in force), and its description.</summary>
    public static (LayerKind Kind, string Description) Of(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return (LayerKind.Default, "default in code");
        }

        return root.Providers.LastOrDefault(p => p.TryGet(key, out _)) switch
        {
            EnvironmentVariablesConfigurationProvider => (LayerKind.Environment, "environment " + EnvironmentVariable(key)),
            JsonConfigurationProvider json when IsShipped(json) => (LayerKind.Shipped, "shipped appsettings.json"),
            JsonConfigurationProvider json => (LayerKind.File, "in " + PathOf(json)),
            MemoryConfigurationProvider => (LayerKind.CommandLine, "command line"),
            null => (LayerKind.Default, "default in code"),
            _ => (LayerKind.Default, "default in code"),
        };
    }

    /// <summary>
    /// " (in FILE)", " (environment IOLAEDGE_…)" or " (command line)" for a key some layer set, else empty:
    /// the suffix configuration errors put after the key.
    /// </summary>
    public static string Suffix(IConfiguration configuration, string key)
    {
        (LayerKind kind, string description) = Of(configuration, key);
        return kind switch
        {
            LayerKind.Default => string.Empty,
            LayerKind.Shipped => $" (in {Path.Combine(AppContext.BaseDirectory, "appsettings.json")})",
            _ => $" ({description})",
        };
    }

    /// <summary>
    /// Puts the layer after the key a problem starts with, when the problem does not name it already:
    /// <c>Midi:Mapping:Default:Channel (in /etc/iolaedge/iolaedge.json) = '20' is not valid; …</c>.
    /// </summary>
    public static string Annotate(string problem, IConfiguration configuration)
    {
        Match key = LeadingKey().Match(problem);
        if (!key.Success || problem.AsSpan(key.Length).TrimStart().StartsWith("("))
        {
            return problem;
        }

        string suffix = Suffix(configuration, key.Value);
        return suffix.Length == 0 ? problem : key.Value + suffix + problem[key.Length..];
    }

    /// <summary>The variable that sets <paramref name="key"/>: <c>IOLAEDGE_MIDI__MAPPING__DEFAULT__CHANNEL</c>.</summary>
    public static string EnvironmentVariable(string key) =>
        Hosting.DaemonHost.EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The configuration files read (shipped first), for messages.</summary>
    public static IReadOnlyList<string> Files(IConfigurationRoot root) =>
        [.. root.Providers.OfType<JsonConfigurationProvider>().Select(PathOf)];

    private static bool IsShipped(JsonConfigurationProvider json) =>
        string.Equals(PathOf(json), Path.Combine(AppContext.BaseDirectory, "appsettings.json"), StringComparison.Ordinal);

    private static string PathOf(JsonConfigurationProvider json) =>
        json.Source.FileProvider is PhysicalFileProvider physical ? Path.Combine(physical.Root, json.Source.Path ?? string.Empty) : json.Source.Path ?? string.Empty;

    [GeneratedRegex(@"^[A-Za-z][\w]*(?::[\w]+)+")]
    private static partial Regex LeadingKey();
}
