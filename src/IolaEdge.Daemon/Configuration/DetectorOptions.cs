using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gait;
using Microsoft.Extensions.Configuration;
using IolaEdge.Dsp.Gate;

namespace IolaEdge.Daemon.Configuration;

/// <summary>
/// Tuning of the detectors (configuration section <c>Detector</c>): the <c>dsp</c> detector's parameters,
/// and overrides of the decision gate each detector comes with.
/// </summary>
internal sealed class DetectorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Detector";

    /// <summary>The <c>dsp</c> detector's parameters (<c>Detector:Dsp:*</c>); its sensor rate is the pipeline's.</summary>
    public DspDetectorOptions Dsp { get; set; } = new();

    /// <summary>Gate settings that replace the detector's own (<c>Detector:Gate:*</c>); unset keys keep them.</summary>
    public GateOverrides Gate { get; set; } = new();

    /// <summary>The gait phase tracker that follows every detector (<c>Detector:Gait:*</c>); its sensor rate is the pipeline's.</summary>
    public GaitOptions Gait { get; set; } = new();

    /// <summary>
    /// Binds <c>Detector:*</c> settings given as key/value pairs (e.g. <c>eval --set</c>) and validates them
    /// like the daemon does at start; <paramref name="problems"/> names each bad key (empty when valid).
    /// </summary>
    public static DetectorOptions FromSettings(IReadOnlyDictionary<string, string?> settings, out List<string> problems)
    {
        problems = [];
        foreach (string key in settings.Keys)
        {
            if (!key.StartsWith(SectionName + ":", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(ConfigurationProblems.Describe(key, settings[key], "only Detector:Dsp:*, Detector:Gate:* and Detector:Gait:* keys apply here"));
            }
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        problems.AddRange(UnknownKeys(configuration));
        DetectorOptions options = new();
        try
        {
            configuration.GetSection(SectionName).Bind(options);
        }
        catch (InvalidOperationException ex) when (ConfigurationKeys.IsBindingFailure(ex))
        {
            problems.Add(ConfigurationKeys.DescribeBindingFailure(ex, configuration));
            return options;
        }

        problems.AddRange(new DetectorOptionsValidator().Validate(null, options).Failures ?? []);
        return options;
    }

    /// <summary>
    /// Keys under <c>Detector</c> that name no setting, each as a problem listing the known ones: the binder
    /// ignores them, and a misspelt tuning key would otherwise change nothing without a word.
    /// </summary>
    public static IEnumerable<string> UnknownKeys(IConfiguration configuration)
    {
        foreach (IConfigurationSection group in configuration.GetSection(SectionName).GetChildren())
        {
            Type? type = group.Key.ToUpperInvariant() switch
            {
                "DSP" => typeof(DspDetectorOptions),
                "GATE" => typeof(GateOverrides),
                "GAIT" => typeof(GaitOptions),
                _ => null,
            };
            if (type is null)
            {
                yield return ConfigurationProblems.Describe(group.Path, group.Value, "Detector:Dsp:*, Detector:Gate:* or Detector:Gait:*");
                continue;
            }

            string[] known = [.. type.GetProperties().Where(p => p.CanWrite).Select(p => p.Name)];
            foreach (IConfigurationSection key in group.GetChildren())
            {
                if (!known.Contains(key.Key, StringComparer.OrdinalIgnoreCase))
                {
                    yield return $"{key.Path} is not a setting; known: {string.Join(", ", known)}";
                }
            }
        }
    }
}

/// <summary>
/// Decision-gate settings to replace: each detector brings its own gate (dsp: fire when the landing ramp
/// completes; a learned model: the thresholds in its metadata), so only the keys given here change.
/// </summary>
internal sealed class GateOverrides
{
    /// <summary>Replaces <see cref="GateOptions.SampleThreshold"/> (for dsp: the fraction of the landing ramp to wait for; lower fires earlier).</summary>
    public double? SampleThreshold { get; set; }

    /// <summary>Replaces <see cref="GateOptions.WindowThreshold"/>.</summary>
    public double? WindowThreshold { get; set; }

    /// <summary>Replaces <see cref="GateOptions.HitsRequired"/>.</summary>
    public int? HitsRequired { get; set; }

    /// <summary>Replaces <see cref="GateOptions.HitWindow"/>.</summary>
    public int? HitWindow { get; set; }

    /// <summary>Replaces <see cref="GateOptions.MinIntervalMs"/>.</summary>
    public double? MinIntervalMs { get; set; }

    /// <summary>A copy of <paramref name="defaults"/> with the given keys replaced (not validated).</summary>
    public GateOptions ApplyTo(GateOptions defaults)
    {
        GateOptions g = defaults.Clone();
        g.SampleThreshold = SampleThreshold ?? g.SampleThreshold;
        g.WindowThreshold = WindowThreshold ?? g.WindowThreshold;
        g.HitsRequired = HitsRequired ?? g.HitsRequired;
        g.HitWindow = HitWindow ?? g.HitWindow;
        g.MinIntervalMs = MinIntervalMs ?? g.MinIntervalMs;
        return g;
    }
}
