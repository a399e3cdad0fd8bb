namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The least jerk that may start an impact. A sensor's own filter sets how hard its landings look: behind a
/// heavy low-pass a heel strike reaches a tenth of the jerk it has on a raw sensor, and a fixed floor would never
/// let one through. So the floor is <see cref="DspDetectorOptions.ImpactFloorFraction"/> of a peak hold of jerk
/// that decays with <see cref="DspDetectorOptions.ImpactFloorHalfLifeMs"/>, at most
/// <see cref="DspDetectorOptions.MinImpactJerk"/>. The hold starts where the fixed floor is, so a walk that starts
/// soft is believed only after a while, and a pause while standing keeps the level the walk had.
/// Allocation-free; not thread-safe.
/// </summary>
internal sealed class ImpactFloor
{
    private DspDetectorOptions _o;
    private double _hold;
    private long _lastNs;
    private bool _started;
    private CachedWeight _decay;

    /// <summary>Creates the floor for <paramref name="options"/>.</summary>
    public ImpactFloor(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>The floor now (g/s).</summary>
    public double Value => _o.ImpactFloorFraction > 0 ? Math.Min(_o.MinImpactJerk, _o.ImpactFloorFraction * _hold) : _o.MinImpactJerk;

    /// <summary>Applies new options, keeping the hold.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets the walk: the floor is the fixed one again.</summary>
    public void Reset()
    {
        _started = false;
        _hold = _o.ImpactFloorFraction > 0 ? _o.MinImpactJerk / _o.ImpactFloorFraction : 0;
    }

    /// <summary>Takes the next sample's time, jerk (g/s) and whether the foot is quiet (the hold does not decay then).</summary>
    public void Process(long timeNs, double jerk, bool quiet)
    {
        if (_started && !quiet)
        {
            double dtMs = (timeNs - _lastNs) / SignalStep.NsPerMs;
            if (dtMs > 0)
            {
                // Halving every half-life is an exponential decay with time constant half-life / ln 2.
                _hold *= 1 - _decay.Of(dtMs, _o.ImpactFloorHalfLifeMs / Math.Log(2));
            }
        }

        _started = true;
        _lastNs = timeNs;
        if (jerk > _hold)
        {
            _hold = jerk;
        }
    }
}
