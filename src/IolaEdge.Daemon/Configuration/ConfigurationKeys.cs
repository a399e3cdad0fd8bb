using System.Text.RegularExpressions;

namespace IolaEdge.Daemon.Configuration;

/// <summary>What each typed key accepts, for errors raised while binding (before validators run).</summary>
internal static partial class ConfigurationKeys
{
    private static readonly Dictionary<string, string> s_allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Run:DurationSeconds"] = "a number from 0 to 604800",
        ["Pipeline:RingCapacity"] = "an integer from 16 to 1048576",
        ["Pipeline:FanOutCapacity"] = "an integer from 16 to 1048576",
        ["Pipeline:ProgressIntervalSeconds"] = "a number from 0 to 86400",
        ["Pipeline:MaxSensorId"] = "an integer from 0 to 7",
        ["Midi:Mapping:Default:Channel"] = "an integer from 1 to 16",
        ["Midi:Mapping:Default:Note"] = "an integer from 0 to 127",
        ["Midi:Mapping:Default:NoteLengthMs"] = "an integer from 1 to 10000",
        ["Midi:Engine:QueueCapacity"] = "an integer from 16 to 65536",
        ["Events:LogEachFootfall"] = "true or false",
        ["Realtime:Policy"] = Realtime.RealtimeOptionsValidator.AllowedPolicies,
        ["Realtime:PipelinePriority"] = "an integer from 1 to 98",
        ["Realtime:MidiPriority"] = "an integer from 1 to 98",
        ["Realtime:LockMemory"] = "true or false",
        ["Log:RetainedFiles"] = "an integer from 1 to 1000",
        ["Soak:MaxDrops"] = "an integer from 0 to 2147483647",
        ["Soak:MaxPipelineBytesPerFootfall"] = "a number from 0 to 1000000",
        ["Soak:MaxWorkingSetGrowthMbPerHour"] = "a number from 0 to 1000000",
        ["Soak:MinGrowthWindowMinutes"] = "a number from 0 to 10080",
        ["Soak:MaxLatencyGrowthFactor"] = "a number from 0 to 1000",
        ["Soak:LatencyFloorMs"] = "a number from 0 to 60000",
        ["Soak:AlgorithmicLatencyFloorMs"] = "a number from 0 to 60000",
        ["Soak:MaxFootfallCountError"] = "a number from 0 to 1",
        ["Soak:WarmupFraction"] = "a number from 0 to 0.9",
        ["Soak:DurationTolerance"] = "a number from 0 to 1",
    };

    /// <summary>True when <paramref name="ex"/> is the binder's "cannot convert" failure.</summary>
    public static bool IsBindingFailure(InvalidOperationException ex) => BindingFailure().IsMatch(ex.Message);

    /// <summary>Rewrites the binder's failure as "KEY = 'VALUE' is not valid; allowed: ...".</summary>
    public static string DescribeBindingFailure(InvalidOperationException ex, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        Match match = BindingFailure().Match(ex.Message);
        if (!match.Success)
        {
            return ex.Message;
        }

        string key = match.Groups["key"].Value;
        string type = match.Groups["type"].Value;
        string allowed = s_allowed.TryGetValue(key, out string? text) ? text
            : type == "System.Boolean" ? "true or false"
            : "a value of type " + type;
        string value = match.Groups["value"].Success ? match.Groups["value"].Value : configuration[key] ?? string.Empty;
        return ConfigurationProblems.Describe(key, value, allowed);
    }

    // Microsoft.Extensions.Configuration.Binder: "Failed to convert configuration value 'x' at 'A:B' to type 'System.Int32'."
    [GeneratedRegex("Failed to convert configuration value (?:'(?<value>.*)' )?at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex BindingFailure();
}
