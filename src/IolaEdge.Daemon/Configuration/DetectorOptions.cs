using IolaEdge.Dsp.Detection;
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
