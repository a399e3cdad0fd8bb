using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Gate;

/// <summary>
/// The decision gate shared by all detectors: turns per-sample scores into footfall events with a
/// sample threshold, a window threshold, N-of-M hits and a minimum interval between footfalls.
/// </summary>
/// <remarks>
/// <para>A score is a hit when both thresholds pass; when at least N of the last M scores are hits
/// and the earliest of those hits lies at least the minimum interval after the previous footfall, a
/// footfall fires at that earliest hit's sample time, and the hit window is cleared.</para>
/// <para>Threading: <see cref="Evaluate"/> runs on the pipeline thread only. <see cref="Change"/> may be
/// called from any thread (tuning page): it validates a private copy and publishes it with one
/// reference write, so the pipeline sees either the old or the new settings, never a mix, and keeps
/// its hit history and refractory state. <see cref="Evaluate"/> allocates nothing.</para>
/// </remarks>
public sealed class DecisionGate
{
    private readonly long[] _hitTimes = new long[GateOptions.MaxHitWindow];
    private readonly bool[] _hits = new bool[GateOptions.MaxHitWindow];
    private readonly float[] _hitScores = new float[GateOptions.MaxHitWindow];
    private GateOptions _options;

    // Pipeline-thread state.
    private int _next;
    private int _filled;
    private long _lastFootfallNs;
    private bool _hasLast;
    private long _sequence;

    /// <summary>Creates a gate with validated <paramref name="options"/> (defaults when null).</summary>
    public DecisionGate(GateOptions? options = null)
    {
        _options = (options ?? new GateOptions()).Clone().Validate();
    }

    /// <summary>The settings in force (a copy; edit and pass to <see cref="Change"/>).</summary>
    public GateOptions Options => Volatile.Read(ref _options).Clone();

    /// <summary>Footfalls fired since the last <see cref="Reset"/>.</summary>
    public long Fired => _sequence;

    /// <summary>Hit windows that passed but fell inside the minimum interval.</summary>
    public long Suppressed { get; private set; }

    /// <summary>Validates and applies new settings in place, from any thread, keeping the gate's state.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range (the key is named).</exception>
    public void Change(GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref _options, options.Clone().Validate());
    }

    /// <summary>Forgets hits, the last footfall and the counters.</summary>
    public void Reset()
    {
        Array.Clear(_hits);
        _next = _filled = 0;
        _hasLast = false;
        _sequence = 0;
        Suppressed = 0;
    }

    /// <summary>Feeds one detector score; writes a footfall into <paramref name="footfall"/> when one fires.</summary>
    /// <returns>True when a footfall fired.</returns>
    public bool Evaluate(in DetectorScore score, out FootfallEvent footfall)
    {
        GateOptions o = Volatile.Read(ref _options);
        int m = o.HitWindow;
        bool hit = score.SampleScore >= o.SampleThreshold && score.WindowScore >= o.WindowThreshold;
        if (_next >= m)
        {
            _next = 0;
        }

        _hits[_next] = hit;
        _hitTimes[_next] = score.SampleTimeNs;
        _hitScores[_next] = score.SampleScore;
        _next = (_next + 1) % m;
        _filled = Math.Min(_filled + 1, m);

        footfall = default;
        if (!hit)
        {
            return false;
        }

        int count = 0;
        long earliest = long.MaxValue;
        float best = 0;
        for (int i = 0; i < _filled; i++)
        {
            if (_hits[i])
            {
                count++;
                earliest = Math.Min(earliest, _hitTimes[i]);
                best = Math.Max(best, _hitScores[i]);
            }
        }

        if (count < o.HitsRequired)
        {
            return false;
        }

        if (_hasLast && (earliest - _lastFootfallNs) < (long)(o.MinIntervalMs * 1e6))
        {
            Suppressed++;
            return false;
        }

        footfall = new FootfallEvent(score.SensorId, _sequence++, earliest, score.ArrivalTimeNs, score.DecisionTimeNs, best, score.Strength);
        _lastFootfallNs = earliest;
        _hasLast = true;
        Array.Clear(_hits);
        _filled = 0;
        _next = 0;
        return true;
    }
}
