using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Evaluation;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Inference;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// Builds each sensor's <see cref="FootfallPipeline"/> (sample clock → detector → gate) for a detector
/// name, with the detector and gate settings <see cref="DetectorFactory"/> pairs (the same as <c>eval</c>).
/// </summary>
internal sealed class DetectorPipelineFactory : ISensorPipelineFactory
{
    /// <summary>The MetaMotion streams at 200 Hz; the clock and the detector both reason in sample periods.</summary>
    public const double NominalRateHz = 200;

    private readonly string? _modelPath;
    private readonly DetectorOptions? _tuning;

    /// <summary>Creates the factory; throws <see cref="ArgumentException"/> for an unknown name, <see cref="ModelLoadException"/> for a bad model.</summary>
    /// <param name="detector">A name from <see cref="DetectorFactory.Names"/>.</param>
    /// <param name="modelPath">Model for a learned detector; null for the shipped one.</param>
    /// <param name="tuning">The <c>Detector</c> configuration section; null for the defaults.</param>
    public DetectorPipelineFactory(string detector, string? modelPath = null, DetectorOptions? tuning = null)
    {
        DetectorName = detector;
        _modelPath = modelPath;
        _tuning = tuning;

        // Build one now so that a bad name, model or tuning fails at start, not on the pipeline thread.
        DetectorFactory.Create(detector, NominalRateHz, modelPath, tuning).Detector.Dispose();
    }

    /// <inheritdoc/>
    public string DetectorName { get; }

    /// <inheritdoc/>
    public ISensorPipeline Create(int sensorId)
    {
        (IFootfallDetector detector, GateOptions gate) = DetectorFactory.Create(DetectorName, NominalRateHz, _modelPath, _tuning);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = NominalRateHz });
        return new Chain(new FootfallPipeline(clock, detector, new DecisionGate(gate)));
    }

    /// <summary>A <see cref="FootfallPipeline"/> seen as the pipeline thread's per-sensor chain.</summary>
    private sealed class Chain(FootfallPipeline pipeline) : ISensorPipeline, IFootfallPipelineHolder
    {
        public FootfallPipeline Pipeline => pipeline;

        public int MaxEventsPerSample => pipeline.MaxEventsPerSample;

        public int Process(in ImuSample sample, Span<FootfallEvent> events) => pipeline.Process(sample, events);

        public void Reset() => pipeline.Reset();

        public void Dispose() => pipeline.Dispose();
    }
}

/// <summary>A sensor chain built on a <see cref="FootfallPipeline"/>, whose gate and detector live tuning reaches.</summary>
internal interface IFootfallPipelineHolder
{
    /// <summary>The pipeline (owned by the pipeline thread, except <see cref="DecisionGate.Change"/>).</summary>
    FootfallPipeline Pipeline { get; }
}
