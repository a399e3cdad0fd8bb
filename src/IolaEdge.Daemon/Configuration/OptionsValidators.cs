using IolaEdge.Daemon.Detectors;
using IolaEdge.Bluetooth;
using IolaEdge.Dsp.Gate;
using IolaEdge.Simulation;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Rtmidi;
using Microsoft.Extensions.Options;

namespace IolaEdge.Daemon.Configuration;

/// <summary>Validates <see cref="RunOptions"/> at start.</summary>
internal sealed class RunOptionsValidator : IValidateOptions<RunOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RunOptions options)
    {
        ConfigurationProblems problems = new();
        if (!SourceSpec.TryParse(options.Source, out SourceSpec spec))
        {
            problems.Add("Run:Source", options.Source, SourceSpec.Allowed);
        }
        else if (spec.Kind == SourceKind.Simulator && !SimulationSpec.TryParse(spec.Text, out _, out string? error))
        {
            problems.Add("Run:Source", options.Source, error);
        }
        else if (spec.Kind == SourceKind.Ble)
        {
            try
            {
                BleSourceSpec.Parse(spec.Text);
            }
            catch (BleOptionsException ex)
            {
                problems.Add("Run:Source", options.Source, ex.Message);
            }
        }

        if (!ReplaySpeed.TryParse(options.Speed, out _))
        {
            problems.Add("Run:Speed", options.Speed, ReplaySpeed.Allowed);
        }

        problems.RequireOneOf("Run:Detector", options.Detector, [.. DetectorCatalog.Names]);
        problems.RequireRange("Run:DurationSeconds", options.DurationSeconds, 0, 7 * 24 * 3600);
        return problems.ToResult();
    }
}

/// <summary>Validates <see cref="DetectorOptions"/> at start: every dsp key and every gate override in its own range.</summary>
internal sealed class DetectorOptionsValidator : IValidateOptions<DetectorOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DetectorOptions options)
    {
        ConfigurationProblems problems = new();
        try
        {
            options.Dsp.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            problems.AddRaw(ConfigurationProblems.Describe("Detector:Dsp", ex));
        }

        try
        {
            options.Gait.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            problems.AddRaw(ConfigurationProblems.Describe("Detector:Gait", ex));
        }

        GateOverrides g = options.Gate;
        Optional(problems, "Detector:Gate:SampleThreshold", g.SampleThreshold, 0, 1);
        Optional(problems, "Detector:Gate:WindowThreshold", g.WindowThreshold, 0, 1);
        Optional(problems, "Detector:Gate:HitWindow", g.HitWindow, 1, GateOptions.MaxHitWindow);
        Optional(problems, "Detector:Gate:HitsRequired", g.HitsRequired, 1, g.HitWindow ?? GateOptions.MaxHitWindow);
        Optional(problems, "Detector:Gate:MinIntervalMs", g.MinIntervalMs, 0, 5000);
        return problems.ToResult();
    }

    private static void Optional(ConfigurationProblems problems, string key, double? value, double min, double max)
    {
        if (value is double v)
        {
            problems.RequireRange(key, v, min, max);
        }
    }

    private static void Optional(ConfigurationProblems problems, string key, int? value, int min, int max)
    {
        if (value is int v)
        {
            problems.RequireRange(key, v, min, max);
        }
    }
}

/// <summary>Validates <see cref="PipelineOptions"/> at start.</summary>
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ConfigurationProblems problems = new();
        problems.RequireRange("Pipeline:RingCapacity", options.RingCapacity, 16, 1 << 20);
        problems.RequireRange("Pipeline:FanOutCapacity", options.FanOutCapacity, 16, 1 << 20);
        problems.RequireRange("Pipeline:ProgressIntervalSeconds", options.ProgressIntervalSeconds, 0, 86_400);
        problems.RequireRange("Pipeline:MaxSensorId", options.MaxSensorId, 0, 7);
        return problems.ToResult();
    }
}

/// <summary>Validates <see cref="MidiOptions"/> at start, including the MIDI project's mapping and engine options.</summary>
internal sealed class MidiOptionsValidator : IValidateOptions<MidiOptions>
{
    /// <summary>Backend names accepted by <c>Midi:Backend</c>.</summary>
    public static readonly string[] Backends = ["file", "jack", "alsa", "raw", "none"];

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, MidiOptions options)
    {
        ConfigurationProblems problems = new();
        problems.RequireOneOf("Midi:Backend", options.Backend, Backends);
        if (string.Equals(options.Backend, "raw", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(options.DevicePath))
        {
            problems.Add("Midi:DevicePath", options.DevicePath, "a device path (required when Midi:Backend is 'raw')");
        }

        if (options.Backend.Equals("jack", StringComparison.OrdinalIgnoreCase) || options.Backend.Equals("alsa", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                RtMidiPortSelector.Parse(options.EffectivePort, "Midi:Port");
            }
            catch (ArgumentException ex)
            {
                problems.AddRaw(ex.Message);
            }
        }

        options.Learn.Validate(problems);
        if (options.PresetsFile.Trim().Length > 0
            && (options.PresetsFile.Trim().EndsWith('/') || Directory.Exists(options.PresetsFile.Trim()) || options.PresetsFile.Contains('\0', StringComparison.Ordinal)))
        {
            problems.Add("Midi:PresetsFile", options.PresetsFile, "empty (the state directory's presets.json) or a file path, not a directory");
        }

        foreach (string error in options.Mapping.Validate("Midi:Mapping"))
        {
            problems.AddRaw(error);
        }

        try
        {
            options.Engine.ValidateOrThrow("Midi:Engine");
        }
        catch (MidiConfigurationException ex)
        {
            foreach (string error in ex.Errors)
            {
                problems.AddRaw(error);
            }
        }

        return problems.ToResult();
    }
}

/// <summary>Validates <see cref="EventsOptions"/> at start.</summary>
internal sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        ConfigurationProblems problems = new();
        if (string.IsNullOrWhiteSpace(options.Output))
        {
            problems.Add("Events:Output", options.Output, "'none', 'stdout' or a file path");
        }

        return problems.ToResult();
    }
}

/// <summary>Validates <see cref="LoggingOptions"/> at start.</summary>
internal sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, LoggingOptions options)
    {
        ConfigurationProblems problems = new();
        problems.RequireOneOf("Log:Level", options.Level, "Verbose", "Debug", "Information", "Warning", "Error", "Fatal");
        problems.RequireOneOf("Log:Format", options.Format, "text", "json");
        problems.RequireRange("Log:RetainedFiles", options.RetainedFiles, 1, 1000);
        return problems.ToResult();
    }
}

/// <summary>Validates <see cref="SoakOptions"/> at start (every verb: a bad limit is caught before any soak relies on it).</summary>
internal sealed class SoakOptionsValidator : IValidateOptions<SoakOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SoakOptions options)
    {
        ConfigurationProblems problems = new();
        problems.RequireRange("Soak:MaxDrops", options.MaxDrops, 0, int.MaxValue);
        problems.RequireRange("Soak:MaxPipelineBytesPerFootfall", options.MaxPipelineBytesPerFootfall, 0, 1e6);
        problems.RequireRange("Soak:MaxWorkingSetGrowthMbPerHour", options.MaxWorkingSetGrowthMbPerHour, 0, 1e6);
        problems.RequireRange("Soak:MinGrowthWindowMinutes", options.MinGrowthWindowMinutes, 0, 10_080);
        problems.RequireRange("Soak:MaxLatencyGrowthFactor", options.MaxLatencyGrowthFactor, 0, 1000);
        problems.RequireRange("Soak:LatencyFloorMs", options.LatencyFloorMs, 0, 60_000);
        problems.RequireRange("Soak:AlgorithmicLatencyFloorMs", options.AlgorithmicLatencyFloorMs, 0, 60_000);
        problems.RequireRange("Soak:MaxFootfallCountError", options.MaxFootfallCountError, 0, 1);
        problems.RequireRange("Soak:WarmupFraction", options.WarmupFraction, 0, 0.9);
        problems.RequireRange("Soak:DurationTolerance", options.DurationTolerance, 0, 1);
        return problems.ToResult();
    }

    /// <summary>
    /// Keys under <c>Soak</c> that name no limit: the binder ignores them, and a misspelt limit would leave
    /// the default in force while the engineer believes it changed.
    /// </summary>
    public static IEnumerable<string> UnknownKeys(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        string[] known = [.. typeof(SoakOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name)];
        foreach (Microsoft.Extensions.Configuration.IConfigurationSection key in configuration.GetSection(SoakOptions.SectionName).GetChildren())
        {
            if (!known.Contains(key.Key, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{key.Path} is not a setting; known: {string.Join(", ", known)}";
            }
        }
    }
}

/// <summary>Turns collected problems into an options validation result.</summary>
internal static class ConfigurationProblemsExtensions
{
    /// <summary>Success when there are no problems, else a failure listing each.</summary>
    public static ValidateOptionsResult ToResult(this ConfigurationProblems problems) =>
        problems.Items.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Items);
}

/// <summary>
/// Validates the <c>Recording</c> section at start with <see cref="Recording.RecorderOptions.Validate"/>.
/// An empty <c>Directory</c> means "not recording" (<c>run</c> without <c>--record</c>) and is valid.
/// </summary>
internal sealed class RecorderOptionsValidator : IValidateOptions<Recording.RecorderOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, Recording.RecorderOptions options)
    {
        if (options.Directory.Length == 0)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}

/// <summary>Validates the <c>Button</c> section at start with <see cref="Gpio.GpioButtonOptions.Validate"/>.</summary>
internal sealed class GpioButtonOptionsValidator : IValidateOptions<Gpio.GpioButtonOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, Gpio.GpioButtonOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
