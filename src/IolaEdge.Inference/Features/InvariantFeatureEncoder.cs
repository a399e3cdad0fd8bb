using IolaEdge.Dsp.Samples;

namespace IolaEdge.Inference.Features;

/// <summary>
/// The mounting-invariant feature row of one sample (C# twin of training/features.py):
/// [|a|, a·ĝ, sqrt(|a|² − (a·ĝ)²), |Δa| per 10 ms, dt]. ĝ is the direction of a causal gravity estimate,
/// an exponential moving average of a (weight dt / (τ + dt), seeded with the first sample); the jerk
/// divides the difference to the previous sample by max(dt, minimum dt) and is 0 for the first sample.
/// No acceleration feature changes when the sensor is mounted at another angle.
/// </summary>
/// <remarks>Unscaled values; allocation-free; owned by the pipeline thread.</remarks>
internal sealed class InvariantFeatureEncoder
{
    private const double GravityMinG = 1e-3;
    private const double JerkPerSeconds = 0.01;

    private readonly float _nominalPeriodSeconds;
    private readonly double _tau;
    private readonly double _jerkMinDt;
    private readonly float _dtClip;
    private bool _hasPrevious;
    private long _previousTimeNs;
    private double _px;
    private double _py;
    private double _pz;
    private double _gx;
    private double _gy;
    private double _gz;

    /// <summary>Creates the encoder with the metadata's constants.</summary>
    public InvariantFeatureEncoder(double nominalRateHz, double gravityTauSeconds, double jerkMinDtSeconds, float dtClipSeconds)
    {
        _nominalPeriodSeconds = (float)(1.0 / nominalRateHz);
        _tau = gravityTauSeconds;
        _jerkMinDt = jerkMinDtSeconds;
        _dtClip = dtClipSeconds;
    }

    /// <summary>Writes the unscaled row of <paramref name="s"/> (5 floats); returns |a| in g.</summary>
    public float Extract(in ImuSample s, Span<float> row)
    {
        double x = s.X;
        double y = s.Y;
        double z = s.Z;
        float dtf = _hasPrevious ? Math.Clamp((float)((s.SensorTimeNs - _previousTimeNs) * 1e-9), 0f, _dtClip) : _nominalPeriodSeconds;
        double dt = dtf;
        double jerk = 0;
        if (_hasPrevious)
        {
            double a = dt / (_tau + dt);
            _gx += a * (x - _gx);
            _gy += a * (y - _gy);
            _gz += a * (z - _gz);
            double dx = x - _px;
            double dy = y - _py;
            double dz = z - _pz;
            jerk = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz)) * JerkPerSeconds / Math.Max(dt, _jerkMinDt);
        }
        else
        {
            _gx = x;
            _gy = y;
            _gz = z;
        }

        double m = Math.Sqrt((x * x) + (y * y) + (z * z));
        double gn = Math.Max(Math.Sqrt((_gx * _gx) + (_gy * _gy) + (_gz * _gz)), GravityMinG);
        double v = ((x * _gx) + (y * _gy) + (z * _gz)) / gn;
        double h = Math.Sqrt(Math.Max((m * m) - (v * v), 0));
        row[0] = (float)m;
        row[1] = (float)v;
        row[2] = (float)h;
        row[3] = (float)jerk;
        row[4] = dtf;
        _px = x;
        _py = y;
        _pz = z;
        _previousTimeNs = s.SensorTimeNs;
        _hasPrevious = true;
        return (float)m;
    }

    /// <summary>Forgets the previous sample and the gravity estimate (after a gap or a reconnect).</summary>
    public void Reset() => _hasPrevious = false;
}
