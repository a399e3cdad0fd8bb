using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Dsp.Pipeline;

/// <summary>
/// One sensor's hot path after the ring: sample clock → detector → decision gate → footfall events.
/// Used by <c>iolaedge eval</c> and by the daemon's pipeline thread.
/// </summary>
/// <remarks>
/// Owns the clock and gate it is given and the detector (disposed with the pipeline). Allocation-free
/// per sample: scores go to a buffer sized at construction from
/// <see cref="IFootfallDetector.MaxScoresPerSample"/>. Not thread-safe: the pipeline thread owns it,
/// except <see cref="DecisionGate.Change"/>, which is safe from any thread.
/// </remarks>
public sealed class FootfallPipeline : IDisposable
{
    private readonly DetectorScore[] _scores;

    /// <summary>Creates a pipeline for one sensor.</summary>
    public FootfallPipeline(SampleClock clock, IFootfallDetector detector, DecisionGate gate)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(gate);
        Clock = clock;
        Detector = detector;
        Gate = gate;
        _scores = new DetectorScore[Math.Max(1, detector.MaxScoresPerSample)];
    }

    /// <summary>The sample clock (its counters report gaps and lost samples).</summary>
    public SampleClock Clock { get; }

    /// <summary>The detector.</summary>
    public IFootfallDetector Detector { get; }

    /// <summary>The decision gate (tunable live with <see cref="DecisionGate.Change"/>).</summary>
    public DecisionGate Gate { get; }

    /// <summary>Most events one <see cref="Process"/> call can write.</summary>
    public int MaxEventsPerSample => _scores.Length;

    /// <summary>The newest sample as the clock stamped it (its sensor time set), for stages that follow the signal (the gait tracker).</summary>
    public ImuSample LastSample { get; private set; }

    /// <summary>Samples processed since the last <see cref="Reset"/>.</summary>
    public long Samples { get; private set; }

    /// <summary>Stamps <paramref name="raw"/>, runs the detector and the gate, and writes fired footfalls.</summary>
    /// <param name="raw">A sample as delivered by a source (sensor time 0 unless known).</param>
    /// <param name="events">Receives the footfalls; at least <see cref="MaxEventsPerSample"/> long.</param>
    /// <returns>How many events were written.</returns>
    public int Process(in ImuSample raw, Span<FootfallEvent> events)
    {
        Samples++;
        ImuSample stamped = Clock.Stamp(raw);
        LastSample = stamped;
        int n = Detector.Process(stamped, _scores);
        int fired = 0;
        for (int i = 0; i < n; i++)
        {
            if (Gate.Evaluate(_scores[i], out FootfallEvent e))
            {
                events[fired++] = e;
            }
        }

        return fired;
    }

    /// <summary>Resets clock, detector and gate (between recordings, after a reconnect).</summary>
    public void Reset()
    {
        Clock.Reset();
        Detector.Reset();
        Gate.Reset();
        Samples = 0;
    }

    /// <inheritdoc />
    public void Dispose() => Detector.Dispose();
}
