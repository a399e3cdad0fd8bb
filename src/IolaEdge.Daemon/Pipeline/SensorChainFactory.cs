using IolaEdge.Daemon.Detectors;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Inference;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// Builds each sensor's <see cref="FootfallPipeline"/> (sample clock → detector → gate) for a detector
/// name, with the detector and gate settings <see cref="DetectorCatalog"/> pairs (the same as <c>eval</c>), followed by
/// the sensor's gait phase tracker: every footfall carries its estimate, and predictions are emitted as events
/// (<see cref="FootfallEventKind.Predicted"/>) for the MIDI engine's predict trigger and step-locked clock.
/// </summary>
internal sealed class SensorChainFactory : ISensorPipelineFactory
{
    /// <summary>The MetaMotion streams at 200 Hz; the clock and the detector both reason in sample periods.</summary>
    public const double NominalRateHz = 200;

    private readonly string? _modelPath;
    private readonly DetectorOptions? _tuning;
    private readonly GaitOptions _gait;

    // Shared by the chains of sensors 0 and 1; the pipeline thread runs them all.
    private readonly GaitPair _pair = new();

    /// <summary>Creates the factory; throws <see cref="ArgumentException"/> for an unknown name, <see cref="ModelLoadException"/> for a bad model.</summary>
    /// <param name="detector">A name from <see cref="DetectorCatalog.Names"/>.</param>
    /// <param name="modelPath">Model for a learned detector; null for the shipped one.</param>
    /// <param name="tuning">The <c>Detector</c> configuration section; null for the defaults.</param>
    /// <param name="gait">The gait tracker's options; null for the defaults.</param>
    public SensorChainFactory(string detector, string? modelPath = null, DetectorOptions? tuning = null, GaitOptions? gait = null)
    {
        DetectorName = detector;
        _modelPath = modelPath;
        _tuning = tuning;
        _gait = (gait ?? new GaitOptions()).Clone();
        _gait.NominalRateHz = NominalRateHz;
        _gait.Validate();

        // Build one now so that a bad name, model or tuning fails at start, not on the pipeline thread.
        DetectorCatalog.Create(detector, NominalRateHz, modelPath, tuning).Detector.Dispose();
    }

    /// <inheritdoc/>
    public string DetectorName { get; }

    /// <inheritdoc/>
    public ISensorPipeline Create(int sensorId)
    {
        (IFootfallDetector detector, GateOptions gate) = DetectorCatalog.Create(DetectorName, NominalRateHz, _modelPath, _tuning);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = NominalRateHz });
        return new Chain(new FootfallPipeline(clock, detector, new DecisionGate(gate)), new GaitPhaseTracker(_gait), _pair);
    }

    /// <summary>A <see cref="FootfallPipeline"/> and its gait tracker, seen as the pipeline thread's per-sensor chain.</summary>
    private sealed class Chain(FootfallPipeline pipeline, GaitPhaseTracker tracker, GaitPair pair) : ISensorPipeline, IFootfallPipelineHolder
    {
        public FootfallPipeline Pipeline => pipeline;

        public int MaxEventsPerSample => pipeline.MaxEventsPerSample + 1;

        public int Process(in ImuSample sample, Span<FootfallEvent> events)
        {
            int n = pipeline.Process(sample, events);
            ImuSample stamped = pipeline.LastSample;
            tracker.Update(stamped);
            for (int i = 0; i < n; i++)
            {
                FootfallEvent e = events[i];
                tracker.OnFootfall(e.FootfallTimeNs);
                GaitStamp gait = tracker.StampAt(e.DecisionTimeNs);
                float pairPhase = pair.OnFootfall(e.SensorId, e.FootfallTimeNs, gait.StridePeriodNs);
                events[i] = e.WithGait(gait with { PairPhase = pairPhase });
            }

            if (tracker.TryTakePrediction(out GaitPrediction p))
            {
                events[n++] = new FootfallEvent(stamped.SensorId, tracker.Predictions - 1, p.PredictedTimeNs, p.ArrivalTimeNs, p.CueTimeNs,
                    1, 0, 0, FootfallEventKind.Predicted, p.PredictedTimeNs, NoteTrigger.None, p.Gait);
            }

            return n;
        }

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
