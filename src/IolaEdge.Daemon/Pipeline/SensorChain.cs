using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gait;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// One sensor's chain from raw sample to footfall events: the <see cref="FootfallPipeline"/> (sample clock,
/// detector, decision gate) followed by the sensor's gait phase tracker. Every footfall carries the tracker's
/// estimate, and its predictions are emitted as events (<see cref="FootfallEventKind.Predicted"/>) for the MIDI
/// engine's predict trigger and step-locked clock.
/// </summary>
/// <remarks>
/// Owned by the pipeline thread: <see cref="Process"/> and <see cref="Reset"/> are not thread-safe and neither
/// allocates nor blocks. Live tuning reaches the chain from other threads in two ways only: the gate's own
/// <see cref="DecisionGate.Change"/> (safe from any thread), and <see cref="PostDetectorChange"/>, a single
/// reference write that the pipeline thread applies before its next sample, because the dsp detector is not
/// thread-safe (<see cref="DspFootfallDetector.Change"/> allocates only for a faster nominal rate, which live
/// tuning never changes).
/// </remarks>
internal sealed class SensorChain : IDisposable
{
    private readonly FootfallPipeline _pipeline;
    private readonly GaitPhaseTracker _tracker;
    private readonly GaitPair _pair;

    // Written by control threads (web, control socket), taken by the pipeline thread.
    private DspDetectorOptions? _pendingDsp;
    private long _dspChanges;

    // Pipeline thread only; read elsewhere as snapshots.
    private long _samples;
    private long _resets;

    /// <summary>Takes over <paramref name="pipeline"/> (disposed with the chain).</summary>
    /// <param name="pipeline">The sensor's clock, detector and gate.</param>
    /// <param name="tracker">The sensor's gait phase tracker.</param>
    /// <param name="pair">Shared with the other foot's chain: the phase between the two feet.</param>
    public SensorChain(FootfallPipeline pipeline, GaitPhaseTracker tracker, GaitPair pair)
    {
        _pipeline = pipeline;
        _tracker = tracker;
        _pair = pair;
        Dsp = pipeline.Detector as DspFootfallDetector;
    }

    /// <summary>The chain's decision gate (<see cref="DecisionGate.Change"/> is safe from any thread).</summary>
    public DecisionGate Gate => _pipeline.Gate;

    /// <summary>The chain's dsp detector, or null when it runs another detector (which takes no live changes).</summary>
    public DspFootfallDetector? Dsp { get; }

    /// <summary>Most events one <see cref="Process"/> call can write: the gate's, plus one prediction.</summary>
    public int MaxEventsPerSample => _pipeline.MaxEventsPerSample + 1;

    /// <summary>Samples that reached the detector.</summary>
    public long Samples => Volatile.Read(ref _samples);

    /// <summary>Times the chain started afresh (<see cref="Reset"/>).</summary>
    public long Resets => Volatile.Read(ref _resets);

    /// <summary>Detector changes the pipeline thread has applied.</summary>
    public long DspChangesApplied => Interlocked.Read(ref _dspChanges);

    /// <summary>Any thread: hands validated options (owned by this chain from now on) to the pipeline thread.</summary>
    public void PostDetectorChange(DspDetectorOptions options) => Volatile.Write(ref _pendingDsp, options);

    /// <summary>Feeds one raw sample (arrival time set, sensor time possibly 0); writes the footfalls it completes.</summary>
    /// <returns>How many events were written into <paramref name="events"/>.</returns>
    public int Process(in ImuSample sample, Span<FootfallEvent> events)
    {
        if (Volatile.Read(ref _pendingDsp) is not null)
        {
            ApplyPending();
        }

        Volatile.Write(ref _samples, _samples + 1);
        int n = _pipeline.Process(sample, events);
        ImuSample stamped = _pipeline.LastSample;
        _tracker.Update(stamped);
        for (int i = 0; i < n; i++)
        {
            FootfallEvent e = events[i];
            _tracker.OnFootfall(e.FootfallTimeNs);
            GaitStamp gait = _tracker.StampAt(e.DecisionTimeNs);
            float pairPhase = _pair.OnFootfall(e.SensorId, e.FootfallTimeNs, gait.StridePeriodNs);
            events[i] = e.WithGait(gait with { PairPhase = pairPhase });
        }

        if (_tracker.TryTakePrediction(out GaitPrediction p))
        {
            events[n++] = new FootfallEvent(stamped.SensorId, _tracker.Predictions - 1, p.PredictedTimeNs, p.ArrivalTimeNs, p.CueTimeNs,
                1, 0, 0, FootfallEventKind.Predicted, p.PredictedTimeNs, NoteTrigger.None, p.Gait);
        }

        return n;
    }

    /// <summary>Starts afresh, as for a new walk (time went backwards, or a long gap); allocation-free.</summary>
    public void Reset()
    {
        _pipeline.Reset();
        Volatile.Write(ref _resets, _resets + 1);
    }

    /// <inheritdoc/>
    public void Dispose() => _pipeline.Dispose();

    private void ApplyPending()
    {
        DspDetectorOptions? options = Interlocked.Exchange(ref _pendingDsp, null);
        if (options is not null && Dsp is not null)
        {
            Dsp.Change(options); // validated by the poster; keeps the detector's signal state
            Interlocked.Increment(ref _dspChanges);
        }
    }
}
