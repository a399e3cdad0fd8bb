using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Configuration;

/// <summary>
/// Reads the configuration layers the way <c>run</c> does (<see cref="Hosting.DaemonHost.BuildConfiguration"/>) and
/// validates them with <see cref="Hosting.DaemonHost.Validate"/>: for <c>config check</c>, <c>config show</c> and the
/// SIGHUP reload. Each problem is one line naming the key and the layer (file, variable, command line) that set it.
/// </summary>
internal static class ConfigurationLoad
{
    /// <summary>Builds and validates the layers.</summary>
    /// <param name="overrides">The command-line layer.</param>
    /// <param name="configFile">The configuration file (must exist), or null for the system file when present.</param>
    /// <param name="problems">Every problem, empty when the configuration is valid.</param>
    /// <returns>The configuration, or null when a file cannot be read or parsed.</returns>
    public static IConfigurationRoot? TryLoad(IReadOnlyDictionary<string, string?> overrides, string? configFile, out List<string> problems)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = Hosting.DaemonHost.BuildConfiguration(overrides, configFile);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or FileNotFoundException or IOException)
        {
            // The JSON reader's own words (line and position) are in the inner exception.
            string detail = ex.GetBaseException() is { } inner && inner != ex ? " " + inner.Message : string.Empty;
            problems = [$"configuration file cannot be read: {ex.Message}{detail}"];
            return null;
        }

        problems = [.. Hosting.DaemonHost.Validate(configuration).Select(p => ConfigurationLayer.Annotate(p, configuration))];
        return configuration;
    }
}
