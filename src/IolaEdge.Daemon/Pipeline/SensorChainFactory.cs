using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Detectors;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Timing;
using IolaEdge.Inference;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// Builds each sensor's <see cref="SensorChain"/> for a detector name, with the detector and gate settings
/// <see cref="DetectorCatalog"/> pairs (the same as <c>eval</c>), and keeps the chains it built for live tuning.
/// </summary>
internal sealed class SensorChainFactory
{
    /// <summary>The MetaMotion streams at 200 Hz; the clock and the detector both reason in sample periods.</summary>
    public const double NominalRateHz = 200;

    private readonly string? _modelPath;
    private readonly DetectorOptions? _tuning;
    private readonly GaitOptions _gait;
    private readonly List<SensorChain> _chains = [];
    private readonly Lock _lock = new();

    // Shared by the chains of sensors 0 and 1; the pipeline thread runs them all.
    private readonly GaitPair _pair = new();

    /// <summary>Creates the factory; throws <see cref="ArgumentException"/> for an unknown name, <see cref="ModelLoadException"/> for a bad model.</summary>
    /// <param name="detector">A name from <see cref="DetectorCatalog.Names"/>.</param>
    /// <param name="modelPath">Model for a learned detector; null for the shipped one.</param>
    /// <param name="tuning">The <c>Detector</c> configuration section; null for the defaults.</param>
    /// <param name="gait">The gait tracker's options; null for the defaults.</param>
    public SensorChainFactory(string detector, string? modelPath = null, DetectorOptions? tuning = null, GaitOptions? gait = null)
    {
        DetectorName = DetectorCatalog.Canonical(detector);
        _modelPath = modelPath;
        _tuning = tuning;
        _gait = (gait ?? new GaitOptions()).Clone();
        _gait.NominalRateHz = NominalRateHz;
        _gait.Validate();

        // Build one now so that a bad name, model or tuning fails at start, not on the pipeline thread.
        DetectorCatalog.Create(detector, NominalRateHz, modelPath, tuning).Detector.Dispose();
    }

    /// <summary>Detector name, for logs and summaries.</summary>
    public string DetectorName { get; }

    /// <summary>The chains built so far (a copy), for live tuning.</summary>
    public IReadOnlyList<SensorChain> Chains
    {
        get
        {
            lock (_lock)
            {
                return [.. _chains];
            }
        }
    }

    /// <summary>Creates the chain for <paramref name="sensorId"/> (called before the pipeline thread starts).</summary>
    public SensorChain Create(int sensorId)
    {
        (IFootfallDetector detector, GateOptions gate) = DetectorCatalog.Create(DetectorName, NominalRateHz, _modelPath, _tuning);
        // The daemon's sources run at the rate it configured (the sensor, the simulator): few samples are a bad link.
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = NominalRateHz, InferSlowerRate = false });
        SensorChain chain = new(new FootfallPipeline(clock, detector, new DecisionGate(gate)), new GaitPhaseTracker(_gait), _pair);
        lock (_lock)
        {
            _chains.Add(chain);
        }

        return chain;
    }
}
