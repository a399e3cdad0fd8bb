namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Finds landings from the foot's pitch rate: a swing (pitch rate above a level for a while) that reverses
/// into the forefoot coming down is a landing of this foot, which the other foot's impact or a push-off can
/// never produce. The footfall is placed at the onset of the impact that comes with the reversal, read from
/// the accelerometer's jerk history.
/// </summary>
/// <remarks>
/// <para>Swing: pitch rate above max(<see cref="DspDetectorOptions.GyroSwingDps"/>,
/// <see cref="DspDetectorOptions.GyroSwingFraction"/> × the recent swing peak) for
/// <see cref="DspDetectorOptions.GyroSwingMs"/>. Both orientations of the axis are followed, so the first
/// stride after the sign becomes known is not lost.</para>
/// <para>A swing after which the pitch rate stays within ±<see cref="DspDetectorOptions.GyroStanceDps"/> for
/// <see cref="DspDetectorOptions.GyroStanceMs"/> has landed without a reversal (flat or toe first) and is disarmed,
/// as is one whose landing another path placed (<see cref="SwingLanded"/>): the next reversal is the heel rising
/// before the toe-off.</para>
/// <para>Reversal: pitch rate falls through −<see cref="DspDetectorOptions.GyroReversalDps"/>. The impact is the
/// largest jerk from <see cref="DspDetectorOptions.GyroImpactLookbackMs"/> before the reversal on. A hard impact
/// (≥ <see cref="DspDetectorOptions.GyroHardImpactFraction"/> of the recent landings' impacts) is decided on the
/// first sample that shows it hard, or, when it peaked before the reversal, once its jerk falls; any other
/// impact <see cref="DspDetectorOptions.GyroImpactWaitMs"/> after the reversal. Without an impact of at least
/// <see cref="DspDetectorOptions.GyroMinImpactFraction"/> × the recent jerk maximum the footfall is placed at
/// the reversal.</para>
/// <para>Deciding on the rise puts the note out one to two samples sooner (40 ms at 50 Hz); the onset is then
/// read against the larger of the jerk so far and the recent impacts (the size the rise is heading for), and
/// the impact is followed to its peak before that peak feeds the recent impacts, which would otherwise learn
/// the lower rising values and drift down.</para>
/// <para>Allocation-free; not thread-safe.</para>
/// </remarks>
internal sealed class GyroLanding
{
    private const double NsPerMs = SignalStep.NsPerMs;

    // A swing's peak feeds the swing reference with this weight; a landing's impact feeds its reference so.
    private const double SwingPeakWeight = 0.3;
    private const double ImpactWeight = 0.2;
    private const double InitialSwingPeakDps = 200;

    // A gap in the samples sweeps no angle beyond this (s).
    internal const double MaxSweepStepS = 0.06;

    // The decision waits for the impact's jerk to fall below this fraction of its peak.
    private const double ImpactFallFraction = 0.6;

    private DspDetectorOptions _o;
    private readonly SwingLobe _positive = new();
    private readonly SwingLobe _negative = new();
    private double _swingPeak;
    private double _impactReference;
    private double _previousRaw;
    private bool _flat;
    private long _flatSinceNs;
    private long _previousNs;
    private bool _hasPreviousTime;
    private bool _pending;
    private long _reversalNs;
    private bool _followingImpact;
    private bool _learnFollowed;
    private double _followedPeak;

    /// <summary>Creates the finder for <paramref name="options"/>.</summary>
    public GyroLanding(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>Landings decided.</summary>
    public long Landings { get; private set; }

    /// <summary>Landings placed at the reversal because no impact came with it.</summary>
    public long LandingsWithoutImpact { get; private set; }

    /// <summary>Since when the pitch rate has stayed within ±<see cref="DspDetectorOptions.GyroStanceDps"/> (the foot lies flat); <see cref="long.MaxValue"/> while it does not.</summary>
    public long FlatSinceNs => _flat ? _flatSinceNs : long.MaxValue;

    /// <summary>The last time the pitch rate, its sign known, was at or below the reversal level.</summary>
    public long LastReversedNs { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _positive.Reset();
        _negative.Reset();
        _swingPeak = InitialSwingPeakDps;
        _impactReference = 0;
        _previousRaw = 0;
        _flat = false;
        _hasPreviousTime = false;
        _pending = false;
        _followingImpact = false;
        LastReversedNs = long.MinValue / 2;
        Landings = LandingsWithoutImpact = 0;
    }

    /// <summary>
    /// Takes the newest sample: its time, the pitch rate about the learned axis before the sign
    /// (<paramref name="raw"/>) and the sign, whether the sign is known, whether the sign has been compared with
    /// both kinds of lobe (until then a landing may be a toe-off, so its impact does not join the recent ones), the
    /// history (newest first, this sample included), the recent jerk maximum and the time of the last emitted footfall.
    /// Returns true with the onset when a landing is decided.
    /// </summary>
    public bool Process(long timeNs, double raw, int sign, bool ready, bool compared, SignalHistory history, double jerkReference,
        long lastEmitNs, out long onsetNs)
    {
        onsetNs = 0;
        double level = Math.Max(_o.GyroSwingDps, _o.GyroSwingFraction * _swingPeak);
        double stepS = _hasPreviousTime ? Math.Clamp((timeNs - _previousNs) / 1e9, 0, MaxSweepStepS) : 0;
        _hasPreviousTime = true;
        _previousNs = timeNs;
        _positive.Follow(timeNs, stepS, raw, level, _o.GyroSwingMs, _o.GyroSwingDps, _o.GyroSwingDegrees);
        _negative.Follow(timeNs, stepS, -raw, level, _o.GyroSwingMs, _o.GyroSwingDps, _o.GyroSwingDegrees);
        SwingLobe swing = sign > 0 ? _positive : _negative;
        double pitch = raw * sign;
        double reversal = -_o.GyroReversalDps;

        // The previous sample is signed with today's sign: a sign that flips between two samples is no reversal.
        if (!_pending && ready && swing.Armed && (_previousRaw * sign) > reversal && pitch <= reversal
            && (timeNs - lastEmitNs) / NsPerMs >= _o.MinRefractoryMs)
        {
            _pending = true;
            _reversalNs = timeNs;
            _swingPeak += SwingPeakWeight * (swing.Peak - _swingPeak);
        }

        // A foot that lies still after its swing has landed without a reversal (flat or toe first); the next reversal
        // is the heel rising before a toe-off, not this swing's landing.
        if (Math.Abs(raw) < _o.GyroStanceDps)
        {
            if (!_flat)
            {
                _flat = true;
                _flatSinceNs = timeNs;
            }
            else if (_o.GyroStanceMs > 0 && (timeNs - _flatSinceNs) / NsPerMs >= _o.GyroStanceMs)
            {
                SwingLanded();
            }
        }
        else
        {
            _flat = false;
        }

        if (ready && pitch <= reversal)
        {
            LastReversedNs = timeNs;
        }

        if (raw <= reversal)
        {
            _positive.Disarm();
        }

        if (-raw <= reversal)
        {
            _negative.Disarm();
        }

        _previousRaw = raw;
        FollowImpact(history);
        return _pending && Decide(timeNs, history, jerkReference, compared, out onsetNs);
    }

    /// <summary>The swing has landed without a reversal (another path placed its footfall): no later reversal ends it.</summary>
    public void SwingLanded()
    {
        _positive.Disarm();
        _negative.Disarm();
    }

    private bool Decide(long timeNs, SignalHistory history, double jerkReference, bool compared, out long onsetNs)
    {
        onsetNs = 0;
        int peak = history.LargestJerkSince(_reversalNs - (long)(_o.GyroImpactLookbackMs * NsPerMs));
        if (peak < 0)
        {
            return false;
        }

        double peakJerk = history[peak].Jerk;
        bool rising = peak == 0;
        bool hard = _impactReference > 0 && peakJerk >= _o.GyroHardImpactFraction * _impactReference
            && (rising || history[0].Jerk < ImpactFallFraction * peakJerk);
        double sinceReversalMs = (timeNs - _reversalNs) / NsPerMs;
        bool late = sinceReversalMs >= _o.GyroImpactWaitMs;
        if (!hard && !late)
        {
            return false;
        }

        bool noImpact = peakJerk < _o.GyroMinImpactFraction * jerkReference;
        if (!hard && noImpact && sinceReversalMs < _o.GyroLateImpactWaitMs)
        {
            // A soft or slow landing can reverse the pitch rate well before the heel's impact: wait longer for it.
            return false;
        }

        _pending = false;
        Landings++;
        if (noImpact)
        {
            LandingsWithoutImpact++;
            onsetNs = _reversalNs;
            return true;
        }

        // Decided on its rise, the impact is still heading for its peak: its size is rather that of the recent ones.
        bool onRise = hard && rising;
        double size = onRise ? Math.Max(peakJerk, _impactReference) : peakJerk;
        int onset = history.OnsetBefore(peak, history[peak].TimeNs, _o.OnsetFraction * size, _o.OnsetLookbackMs);
        onsetNs = history[onset].TimeNs;
        if (onRise)
        {
            _followingImpact = true;
            _learnFollowed = compared;
            _followedPeak = peakJerk;
        }
        else if (compared)
        {
            LearnImpact(peakJerk);
        }

        return true;
    }

    // An impact decided on its rise is followed to its peak (until its jerk falls, or the next reversal) before it
    // is learned.
    private void FollowImpact(SignalHistory history)
    {
        if (!_followingImpact || history.Count == 0)
        {
            return;
        }

        double jerk = history[0].Jerk;
        if (jerk > _followedPeak)
        {
            _followedPeak = jerk;
        }
        else if (jerk < ImpactFallFraction * _followedPeak || _pending)
        {
            _followingImpact = false;
            if (_learnFollowed)
            {
                LearnImpact(_followedPeak);
            }
        }
    }

    private void LearnImpact(double peakJerk) =>
        _impactReference = _impactReference > 0 ? _impactReference + (ImpactWeight * (peakJerk - _impactReference)) : peakJerk;

    /// <summary>One orientation's swing: armed once the pitch rate has stayed above the level long enough.</summary>
    private sealed class SwingLobe
    {
        private bool _above;
        private long _sinceNs;
        private double _swept;

        public bool Armed { get; private set; }

        public double Peak { get; private set; }

        public void Follow(long timeNs, double stepS, double pitch, double level, double minMs, double sweepLevel, double minDegrees)
        {
            // A slow swing (a closing step, a turn) may never stay above the level long enough, but it turns the
            // foot as far: the angle swept while above the plain swing level arms it too.
            _swept = pitch > sweepLevel ? _swept + (pitch * stepS) : 0;
            if (minDegrees > 0 && _swept >= minDegrees)
            {
                Armed = true;
                Peak = Math.Max(Peak, pitch);
            }

            if (pitch <= level)
            {
                _above = false;
                return;
            }

            if (!_above)
            {
                _above = true;
                _sinceNs = timeNs;
                Peak = pitch;
            }

            Peak = Math.Max(Peak, pitch);
            if ((timeNs - _sinceNs) / NsPerMs >= minMs)
            {
                Armed = true;
            }
        }

        public void Disarm() => Armed = false;

        public void Reset()
        {
            _above = Armed = false;
            _swept = 0;
            Peak = 0;
        }
    }
}
