using IolaEdge.Daemon.Evaluation;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// Builds each sensor's <see cref="FootfallPipeline"/> (sample clock → detector → gate) for a detector
/// name, with the detector and gate settings <see cref="DetectorFactory"/> pairs (the same as <c>eval</c>).
/// </summary>
internal sealed class DetectorPipelineFactory : ISensorPipelineFactory
{
    // The MetaMotion streams at 200 Hz; the clock and the detector both reason in sample periods.
    private const double NominalRateHz = 200;

    /// <summary>Creates the factory; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public DetectorPipelineFactory(string detector)
    {
        DetectorName = detector;
        DetectorFactory.Create(detector, NominalRateHz).Detector.Dispose(); // fail at start, not on the pipeline thread
    }

    /// <inheritdoc/>
    public string DetectorName { get; }

    /// <inheritdoc/>
    public ISensorPipeline Create(int sensorId)
    {
        (IFootfallDetector detector, GateOptions gate) = DetectorFactory.Create(DetectorName, NominalRateHz);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = NominalRateHz });
        return new Chain(new FootfallPipeline(clock, detector, new DecisionGate(gate)));
    }

    /// <summary>A <see cref="FootfallPipeline"/> seen as the pipeline thread's per-sensor chain.</summary>
    private sealed class Chain(FootfallPipeline pipeline) : ISensorPipeline
    {
        public int MaxEventsPerSample => pipeline.MaxEventsPerSample;

        public int Process(in ImuSample sample, Span<FootfallEvent> events) => pipeline.Process(sample, events);

        public void Dispose() => pipeline.Dispose();
    }
}
