using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;

namespace IolaEdge.Daemon.Evaluation;

/// <summary>The one place that turns a detector name into a detector and the gate settings it is tuned for.</summary>
internal static class DetectorFactory
{
    /// <summary>Detector names <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["dsp"];

    /// <summary>Creates detector <paramref name="name"/> and its default gate settings.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static (IFootfallDetector Detector, GateOptions Gate) Create(string name, double nominalRateHz = 200) => name switch
    {
        // The dsp detector's score is a confirmation ramp; the gate fires when it completes, and its
        // own refractory logic is cadence-aware, so the gate's interval only guards against duplicates.
        "dsp" => (new DspFootfallDetector(new DspDetectorOptions { NominalRateHz = nominalRateHz }),
                  new GateOptions { SampleThreshold = 1.0, WindowThreshold = 0, HitsRequired = 1, HitWindow = 1, MinIntervalMs = 250 }),
        _ => throw new ArgumentException($"unknown detector '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };
}
