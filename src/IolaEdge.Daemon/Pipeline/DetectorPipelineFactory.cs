using IolaEdge.Daemon.Evaluation;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Inference;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// Builds each sensor's <see cref="FootfallPipeline"/> (sample clock → detector → gate) for a detector
/// name: <c>dsp</c> with the settings <see cref="DetectorFactory"/> pairs (the same as <c>eval</c>);
/// <c>onnx-stream</c>/<c>onnx-window</c> from the shipped model (<c>models/</c> beside the binary) with the
/// gate thresholds recorded in its metadata.
/// </summary>
internal sealed class DetectorPipelineFactory : ISensorPipelineFactory
{
    // The MetaMotion streams at 200 Hz; the clock and the detector both reason in sample periods.
    private const double NominalRateHz = 200;

    private readonly string? _modelPath;
    private readonly GateOptions? _modelGate;

    /// <summary>Creates the factory; throws <see cref="ArgumentException"/> for an unknown name, <see cref="ModelLoadException"/> for a bad model.</summary>
    public DetectorPipelineFactory(string detector)
    {
        DetectorName = detector;
        if (OnnxDetectorFactory.Kinds.Contains(detector))
        {
            _modelPath = ModelPath(detector);
            ModelMetadata metadata = OnnxDetectorFactory.LoadMetadata(_modelPath);
            _modelGate = new GateOptions
            {
                SampleThreshold = metadata.SampleThreshold,
                WindowThreshold = metadata.WindowThreshold,
                HitsRequired = 1,
                HitWindow = 1,
                MinIntervalMs = metadata.RefractoryMs,
            };
            OnnxDetectorFactory.Create(detector, _modelPath).Dispose(); // fail at start, not on the pipeline thread
            return;
        }

        DetectorFactory.Create(detector, NominalRateHz).Detector.Dispose();
    }

    /// <inheritdoc/>
    public string DetectorName { get; }

    /// <inheritdoc/>
    public ISensorPipeline Create(int sensorId)
    {
        (IFootfallDetector detector, GateOptions gate) = _modelPath is not null
            ? (OnnxDetectorFactory.Create(DetectorName, _modelPath), _modelGate!.Clone())
            : DetectorFactory.Create(DetectorName, NominalRateHz);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = NominalRateHz });
        return new Chain(new FootfallPipeline(clock, detector, new DecisionGate(gate)));
    }

    /// <summary>The shipped model: beside the binary (installed layout), else relative to the current directory (a clone).</summary>
    private static string ModelPath(string kind)
    {
        string relative = OnnxDetectorFactory.DefaultModelPath(kind);
        string besideBinary = Path.Combine(AppContext.BaseDirectory, relative);
        return File.Exists(besideBinary) ? besideBinary : Path.GetFullPath(relative);
    }

    /// <summary>A <see cref="FootfallPipeline"/> seen as the pipeline thread's per-sensor chain.</summary>
    private sealed class Chain(FootfallPipeline pipeline) : ISensorPipeline
    {
        public int MaxEventsPerSample => pipeline.MaxEventsPerSample;

        public int Process(in ImuSample sample, Span<FootfallEvent> events) => pipeline.Process(sample, events);

        public void Dispose() => pipeline.Dispose();
    }
}
