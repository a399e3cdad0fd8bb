using System.Numerics;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The direction gravity has in the sensor's frame while the foot stands, learned from quiet stretches of at
/// least <see cref="DspDetectorOptions.StanceLearnMs"/>, and the cosine between it and the acceleration smoothed
/// over <see cref="DspDetectorOptions.QuietTauMs"/>. Learned online, so any mounting works; before a landing the
/// foot points far from it (docs/detector.md). A quiet stance far from the learned direction (a sensor remounted,
/// or one that slipped on the shoe) is followed within that stance. Allocation-free; not thread-safe.
/// </summary>
internal sealed class StanceDirection
{
    // Once learned, the direction follows slow changes (the shoe settling) over half a second of stance.
    private const double FollowTauMs = 500;

    // A quiet stance further than this from the learned direction (about 26°) is a new mounting, not the shoe
    // settling: it is followed this fast, within a stance, instead of over ten strides.
    private const float RemountCosine = 0.9f;
    private const double RemountTauMs = 50;

    private DspDetectorOptions _o;
    private CachedWeight _smoothing;
    private CachedWeight _following;
    private CachedWeight _remounting;
    private bool _started;
    private Vector3 _smoothed;
    private Vector3 _direction;
    private long _quietSinceNs;
    private bool _wasQuiet;

    /// <summary>Creates the tracker for <paramref name="options"/>.</summary>
    public StanceDirection(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>Whether a stance direction has been learned.</summary>
    public bool Known { get; private set; }

    /// <summary>Cosine between the smoothed acceleration and the stance direction (1 before one is learned).</summary>
    public double Cosine { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _started = false;
        Known = false;
        _wasQuiet = false;
        Cosine = 1;
    }

    /// <summary>Takes the next sample (sensor time, step, acceleration in g, whether it is quiet); returns the cosine.</summary>
    public double Process(long timeNs, double stepMs, Vector3 a, bool quiet)
    {
        if (!_started)
        {
            _started = true;
            _smoothed = a;
        }

        _smoothed += (float)_smoothing.Of(stepMs, _o.QuietTauMs) * (a - _smoothed);
        float length = _smoothed.Length();
        Vector3 direction = length > 1e-6f ? _smoothed / length : Vector3.UnitZ;
        Learn(timeNs, stepMs, direction, quiet);
        Cosine = Known ? Vector3.Dot(direction, _direction) : 1;
        return Cosine;
    }

    private void Learn(long timeNs, double stepMs, Vector3 direction, bool quiet)
    {
        if (!quiet)
        {
            _wasQuiet = false;
            return;
        }

        if (!_wasQuiet)
        {
            _wasQuiet = true;
            _quietSinceNs = timeNs;
        }

        if ((timeNs - _quietSinceNs) / SignalStep.NsPerMs < _o.StanceLearnMs)
        {
            return;
        }

        if (!Known)
        {
            _direction = direction;
            Known = true;
            return;
        }

        double weight = Vector3.Dot(direction, _direction) < RemountCosine ? _remounting.Of(stepMs, RemountTauMs) : _following.Of(stepMs, FollowTauMs);
        Vector3 d = _direction + ((float)weight * (direction - _direction));
        float n = d.Length();
        if (n > 1e-6f)
        {
            _direction = d / n;
        }
    }
}
