using System.Numerics;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Per-sample signals of a foot-mounted accelerometer that do not depend on how the sensor is mounted:
/// jerk over a fixed time span, deviation of |a| from gravity, swing activity, quiet (stance or standing)
/// and the cosine between the acceleration and the direction gravity has in stance, learned in the sensor's
/// own frame.
/// </summary>
/// <remarks>
/// Jerk is |a⃗(t) − a⃗(t − span)| / Δt with Δt ≥ <see cref="DspDetectorOptions.JerkSpanMs"/>: a one-sample
/// difference would double at 200 Hz what it is at 100 Hz. Quiet needs a smoothed jerk under an adaptive
/// threshold (a minimum-statistics noise floor) and |a| near gravity. Allocation-free; not thread-safe.
/// </remarks>
internal sealed class FootSignals
{
    private const double NsPerMs = 1e6;

    // The stance |a| drifts slowly with calibration and temperature; 2 s follows it, not the walk.
    private const double GravityLevelTauMs = 2000;

    private const double StanceDirectionTauMs = 500;

    // Δt above this is a gap (lost packets): smoothers step as if this much time had passed, and no jerk
    // is computed across it.
    private const double MaxStepMs = 60;

    private const int RawCapacity = 64;

    private readonly long[] _rawTime = new long[RawCapacity];
    private readonly Vector3[] _raw = new Vector3[RawCapacity];
    private int _rawCount;
    private int _rawNext;

    private DspDetectorOptions _o;
    private long _prevTimeNs;
    private bool _started;
    private double _gravity;
    private double _smoothedJerk;
    private double _smoothedDeviation;
    private double _noiseFloor;
    private Vector3 _smoothed;
    private Vector3 _stanceDirection;
    private long _quietSinceNs;
    private bool _wasQuiet;

    /// <summary>Creates the signals for <paramref name="options"/>.</summary>
    public FootSignals(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>Jerk of the newest sample (g/s); 0 across a gap.</summary>
    public double Jerk { get; private set; }

    /// <summary>|a| − gravity level of the newest sample, absolute (g).</summary>
    public double Deviation { get; private set; }

    /// <summary>Smoothed activity: the larger of the deviation and 0.01 s × jerk (g).</summary>
    public double Swing { get; private set; }

    /// <summary>Cosine between the smoothed acceleration and the stance direction (1 before one is learned).</summary>
    public double Cosine { get; private set; }

    /// <summary>Whether the foot is quiet now (stance or standing).</summary>
    public bool Quiet { get; private set; }

    /// <summary>Whether a stance direction has been learned.</summary>
    public bool HasStanceDirection { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _rawCount = _rawNext = 0;
        _started = false;
        _gravity = 1;
        _smoothedJerk = _smoothedDeviation = _noiseFloor = 0;
        HasStanceDirection = false;
        _wasQuiet = false;
        Jerk = Deviation = Swing = 0;
        Cosine = 1;
        Quiet = false;
    }

    /// <summary>Takes the next sample (sensor time in ns, acceleration in g).</summary>
    public void Update(long timeNs, Vector3 a)
    {
        double stepMs = _started ? Math.Clamp((timeNs - _prevTimeNs) / NsPerMs, 1, MaxStepMs) : 5;
        if (!_started)
        {
            _started = true;
            _smoothed = a;
        }

        _prevTimeNs = timeNs;
        Jerk = JerkOver(timeNs, a);
        Remember(timeNs, a);
        double magnitude = a.Length();
        Deviation = Math.Abs(magnitude - _gravity);

        Swing += Weight(stepMs, _o.SwingTauMs) * (Math.Max(Deviation, 0.01 * Jerk) - Swing);
        double wq = Weight(stepMs, _o.QuietTauMs);
        _smoothedJerk += wq * (Jerk - _smoothedJerk);
        _smoothedDeviation += wq * (Deviation - _smoothedDeviation);
        _smoothed += (float)wq * (a - _smoothed);

        // Minimum statistics: the floor follows every new minimum at once and creeps up slowly otherwise.
        _noiseFloor = _smoothedJerk < _noiseFloor || _noiseFloor == 0
            ? _smoothedJerk
            : _noiseFloor + (Weight(stepMs, _o.NoiseFloorRiseMs) * (_smoothedJerk - _noiseFloor));
        Quiet = _smoothedJerk < Math.Max(_o.QuietJerk, _o.NoiseFloorFactor * _noiseFloor) && _smoothedDeviation < _o.QuietDeviationG;

        float length = _smoothed.Length();
        Vector3 direction = length > 1e-6f ? _smoothed / length : Vector3.UnitZ;
        LearnStanceDirection(timeNs, stepMs, direction);
        if (Quiet)
        {
            _gravity += Weight(stepMs, GravityLevelTauMs) * (magnitude - _gravity);
        }

        Cosine = HasStanceDirection ? Vector3.Dot(direction, _stanceDirection) : 1;
    }

    private void LearnStanceDirection(long timeNs, double stepMs, Vector3 direction)
    {
        if (!Quiet)
        {
            _wasQuiet = false;
            return;
        }

        if (!_wasQuiet)
        {
            _wasQuiet = true;
            _quietSinceNs = timeNs;
        }

        if ((timeNs - _quietSinceNs) / NsPerMs < _o.StanceLearnMs)
        {
            return;
        }

        if (!HasStanceDirection)
        {
            _stanceDirection = direction;
            HasStanceDirection = true;
            return;
        }

        Vector3 d = _stanceDirection + ((float)Weight(stepMs, StanceDirectionTauMs) * (direction - _stanceDirection));
        float n = d.Length();
        if (n > 1e-6f)
        {
            _stanceDirection = d / n;
        }
    }

    /// <summary>|Δa⃗|/Δt against the newest earlier sample at least the jerk span old (0 if that lies across a gap).</summary>
    private double JerkOver(long timeNs, Vector3 a)
    {
        double spanMs = _o.JerkSpanMs - 0.5;
        for (int k = 1; k <= _rawCount; k++)
        {
            int i = (_rawNext - k + RawCapacity) % RawCapacity;
            double dtMs = (timeNs - _rawTime[i]) / NsPerMs;
            if (dtMs >= spanMs)
            {
                return dtMs <= MaxStepMs ? (a - _raw[i]).Length() / (dtMs / 1000) : 0;
            }
        }

        return 0;
    }

    private void Remember(long timeNs, Vector3 a)
    {
        _rawTime[_rawNext] = timeNs;
        _raw[_rawNext] = a;
        _rawNext = (_rawNext + 1) % RawCapacity;
        _rawCount = Math.Min(_rawCount + 1, RawCapacity);
    }

    private static double Weight(double stepMs, double tauMs) => 1 - Math.Exp(-stepMs / tauMs);
}
