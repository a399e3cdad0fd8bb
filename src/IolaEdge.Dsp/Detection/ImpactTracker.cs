namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The landing state machine's first half: finds jerk bursts and follows each to its peak. Idle until jerk reaches
/// <see cref="DspDetectorOptions.TriggerFraction"/> of the recent maximum (at least
/// <see cref="DspDetectorOptions.MinImpactJerk"/>); rising until jerk falls below
/// <see cref="DspDetectorOptions.PeakFallFraction"/> of the peak or <see cref="DspDetectorOptions.PeakWaitMs"/>
/// pass; then the impact is ready to judge, unless it is weaker than
/// <see cref="DspDetectorOptions.WeakImpactFraction"/> of the recent maximum: such an impact is held
/// <see cref="DspDetectorOptions.WeakImpactHoldMs"/> and gives way to a harder one that follows (a jolt late in the
/// swing, the ringing before a hard heel strike).
/// </summary>
/// <remarks>Allocation-free; not thread-safe.</remarks>
internal sealed class ImpactTracker
{
    // Jerk keeps ringing after a landing (heel strike, then the forefoot slap 40-60 ms later): a new impact
    // is not looked for until this long after the last accepted onset.
    private const double RingMs = 150;

    // A held weak impact gives way to one whose jerk exceeds its peak this many times.
    private const double SupersedeRatio = 1.5;

    private DspDetectorOptions _o;
    private State _state;
    private long _startNs;
    private long _holdUntilNs;
    private long _lastAcceptedNs;

    /// <summary>Creates the tracker for <paramref name="options"/>.</summary>
    public ImpactTracker(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    private enum State
    {
        Idle,
        Rising,
        Holding,
    }

    /// <summary>Jerk at the peak of the current (or just finished) impact (g/s).</summary>
    public double PeakJerk { get; private set; }

    /// <summary>Sensor time of that peak.</summary>
    public long PeakNs { get; private set; }

    /// <summary>Weak impacts dropped because a harder one followed within the hold time.</summary>
    public long Superseded { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _state = State.Idle;
        _lastAcceptedNs = long.MinValue / 2;
        Superseded = 0;
    }

    /// <summary>An impact with its onset at <paramref name="onsetNs"/> was judged a landing: its ringing is not a new impact.</summary>
    public void Accepted(long onsetNs) => _lastAcceptedNs = onsetNs;

    /// <summary>
    /// Takes the next sample's time and jerk (g/s) and the recent jerk maximum; returns true when an impact is
    /// complete and must be judged now (<see cref="PeakJerk"/>, <see cref="PeakNs"/>).
    /// </summary>
    public bool Process(long timeNs, double jerk, double reference, double floor)
    {
        switch (_state)
        {
            case State.Holding:
                if (jerk > SupersedeRatio * PeakJerk)
                {
                    // A harder impact follows the weak one: that is the landing; the weak one was late swing.
                    Superseded++;
                    Start(timeNs, jerk);
                    return false;
                }

                if (timeNs >= _holdUntilNs)
                {
                    _state = State.Idle;
                    return true;
                }

                return false;

            case State.Idle:
                double trigger = Math.Max(floor, _o.TriggerFraction * reference);
                if (jerk >= trigger && (timeNs - _lastAcceptedNs) / SignalStep.NsPerMs > RingMs)
                {
                    Start(timeNs, jerk);
                }

                return false;

            default:
                return FollowRise(timeNs, jerk, reference);
        }
    }

    private bool FollowRise(long timeNs, double jerk, double reference)
    {
        if (jerk > PeakJerk)
        {
            PeakJerk = jerk;
            PeakNs = timeNs;
        }

        if (jerk >= _o.PeakFallFraction * PeakJerk && (timeNs - _startNs) / SignalStep.NsPerMs < _o.PeakWaitMs)
        {
            return false;
        }

        if (_o.WeakImpactHoldMs > 0 && PeakJerk < _o.WeakImpactFraction * reference)
        {
            _state = State.Holding;
            _holdUntilNs = timeNs + (long)(_o.WeakImpactHoldMs * SignalStep.NsPerMs);
            return false;
        }

        _state = State.Idle;
        return true;
    }

    private void Start(long timeNs, double jerk)
    {
        _state = State.Rising;
        _startNs = PeakNs = timeNs;
        PeakJerk = jerk;
    }
}
