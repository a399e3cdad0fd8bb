namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The stride rhythm of one foot, anchored on confirmed footfalls (impacts followed by a stance): its period,
/// whether it is locked, and whether a new impact lies in phase with it.
/// </summary>
/// <remarks>
/// Only stance-confirmed impacts anchor the rhythm, never mere emissions: a push-off or a swing burst that was
/// emitted is not followed by a stance, so it cannot pull the rhythm into the wrong phase, and a real footfall
/// that was held back as out of phase still anchors it once its stance confirms it (the rhythm relocks to the
/// phase that holds the evidence). The period is seeded by two consecutive confirmed intervals that agree.
/// </remarks>
internal sealed class StrideRhythm
{
    private const double NsPerMs = 1e6;

    // How closely the first two intervals must agree to seed the period, and how fast it follows after.
    private const double SeedAgreement = 0.2;
    private const double PeriodWeight = 0.2;

    // A rhythm not confirmed for this many strides is lost (a pause, a turn on the spot).
    private const double LockStrides = 2.5;

    private DspDetectorOptions _o;
    private long _last;
    private long _beforeLast;
    private int _anchors;

    /// <summary>Creates a rhythm with <paramref name="options"/>' stride range and gate.</summary>
    public StrideRhythm(DspDetectorOptions options) => _o = options;

    /// <summary>Stride period in ms (0 until seeded).</summary>
    public double PeriodMs { get; private set; }

    /// <summary>Confirmed footfalls that anchored the rhythm.</summary>
    public long Confirmations { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets the rhythm.</summary>
    public void Reset()
    {
        _anchors = 0;
        PeriodMs = 0;
        Confirmations = 0;
    }

    /// <summary>Whether a period is known and the last confirmed footfall is recent enough to predict from.</summary>
    public bool IsLocked(long nowNs) => PeriodMs > 0 && _anchors > 0 && (nowNs - _last) / NsPerMs < LockStrides * PeriodMs;

    /// <summary>Whether <paramref name="onsetNs"/> lies within the gate around a footfall the locked rhythm expects.</summary>
    public bool IsInPhase(long onsetNs, long nowNs)
    {
        if (!IsLocked(nowNs))
        {
            return false;
        }

        double sinceMs = (onsetNs - _last) / NsPerMs;
        double strides = Math.Max(1, Math.Round(sinceMs / PeriodMs));
        return Math.Abs(sinceMs - (strides * PeriodMs)) <= _o.RhythmGateFraction * PeriodMs;
    }

    /// <summary>The refractory time after an emitted footfall (ms).</summary>
    public double RefractoryMs => PeriodMs > 0 ? Math.Max(_o.MinRefractoryMs, _o.RefractoryFraction * PeriodMs) : _o.MinRefractoryMs;

    /// <summary>A footfall at <paramref name="onsetNs"/> was confirmed by its stance.</summary>
    public void Confirm(long onsetNs)
    {
        Confirmations++;
        if (_anchors > 0)
        {
            double interval = (onsetNs - _last) / NsPerMs;
            if (IsStride(interval))
            {
                if (PeriodMs == 0)
                {
                    double previous = (_last - _beforeLast) / NsPerMs;
                    if (_anchors >= 2 && IsStride(previous) && Math.Abs(interval - previous) < SeedAgreement * interval)
                    {
                        PeriodMs = (interval + previous) / 2;
                    }
                }
                else if (Math.Round(interval / PeriodMs) == 1)
                {
                    PeriodMs += PeriodWeight * (interval - PeriodMs);
                }
            }
        }

        _beforeLast = _last;
        _last = onsetNs;
        _anchors++;
    }

    private bool IsStride(double ms) => ms >= _o.MinStrideMs && ms <= _o.MaxStrideMs;
}
