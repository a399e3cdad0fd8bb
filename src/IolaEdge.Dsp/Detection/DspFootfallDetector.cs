using System.Numerics;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The <c>dsp</c> detector: a causal, mounting-invariant footfall detector for a foot-mounted
/// accelerometer. It finds each landing impact in the jerk, places the footfall at the impact's onset
/// (the physical initial contact) and keeps only impacts that end a swing, in phase with the stride rhythm.
/// </summary>
/// <remarks>
/// <para>Impact: jerk (<see cref="FootSignals"/>) reaches <see cref="DspDetectorOptions.TriggerFraction"/> of the
/// largest jerk of the last <see cref="DspDetectorOptions.ReferenceMs"/>; the detector follows it to its peak
/// (jerk falls below <see cref="DspDetectorOptions.PeakFallFraction"/> of it, or
/// <see cref="DspDetectorOptions.PeakWaitMs"/> pass) and places the onset at the first sample of the rise whose
/// jerk is at least <see cref="DspDetectorOptions.OnsetFraction"/> of the peak. Labelled heel strikes sit there
/// (docs/detector.md). An impact weaker than <see cref="DspDetectorOptions.WeakImpactFraction"/> waits
/// <see cref="DspDetectorOptions.WeakImpactHoldMs"/> and gives way to a harder one that follows (a late-swing jolt
/// before the landing).</para>
/// <para>Which impacts are footfalls: the landing is the stride's hardest event (peak ≥
/// <see cref="DspDetectorOptions.MinImpactFraction"/> of the recent maximum, or
/// <see cref="DspDetectorOptions.InPhaseImpactFraction"/> where the locked rhythm expects one) and ends a swing. Throughout the
/// <see cref="DspDetectorOptions.SwingWindowMs"/> before the onset the foot points away from its stance
/// direction (cosine ≤ <see cref="DspDetectorOptions.SwingCosine"/>) or moves hard (activity ≥
/// <see cref="DspDetectorOptions.StrongSwingG"/>); a push-off starts from a stance, pointing along it, and the
/// other foot's landing reaches this foot in its stance. This is what keeps the detector off the anti-phase.</para>
/// <para>Rhythm (<see cref="StrideRhythm"/>): a stance after an accepted impact confirms it and anchors the
/// stride rhythm; while the rhythm is locked an impact out of phase is not emitted, and a refractory time
/// (a fraction of the stride) follows every emission. Since only confirmed footfalls anchor it, the rhythm
/// relocks to the other phase when that phase holds the confirmed footfalls.</para>
/// <para>Gyroscope: when the samples carry angular velocity, landings come from the foot's pitch rate
/// (<see cref="PitchRate"/>, <see cref="GyroLanding"/>): a swing reversing into the forefoot coming down, placed
/// at the onset of the impact that comes with it. The acceleration path keeps running (its stance and rhythm
/// stay current) and decides alone until the pitch axis and its sign are known, and again whenever the
/// angular velocity stops.</para>
/// <para>Emits one score per sample: 0, or 1 at the onset when a footfall is decided (the gate's sample
/// threshold is 1 for this detector). Samples that are not finite or beyond ±1000 g are counted and skipped.
/// Allocation-free after construction; not thread-safe (the pipeline thread owns it).</para>
/// </remarks>
public sealed class DspFootfallDetector : IFootfallDetector
{
    private const double NsPerMs = 1e6;

    // Jerk keeps ringing after a landing (heel strike, then the forefoot slap 40-60 ms later): a new impact
    // is not looked for until this long after the last accepted onset.
    private const double ImpactRingMs = 150;

    // A held weak impact gives way to one whose jerk exceeds its peak this many times.
    private const double SupersedeRatio = 1.5;

    // Physically impossible readings: a corrupt sample must not poison the reference maximum.
    private const float MaxPlausibleG = 1000;

    private readonly FootSignals _signals;
    private readonly StrideRhythm _rhythm;
    private readonly RecentMaximum _reference;
    private readonly SignalHistory _history;
    private readonly PitchRate _pitch;
    private readonly GyroLanding _gyroLanding;
    private DspDetectorOptions _o = null!;

    private bool _inImpact;
    private bool _holding;
    private long _holdUntilNs;
    private long _impactStartNs;
    private long _impactPeakNs;
    private double _impactPeak;
    private long _lastAcceptedNs;
    private long _lastEmitNs;
    private bool _hasPending;
    private long _pendingNs;
    private bool _inStance;
    private bool _stanceCounted;
    private long _stanceStartNs;
    private long _lastGyroNs;

    // Angular velocity older than this no longer counts: the acceleration path decides again.
    private const double GyroStaleMs = 100;

    // Angular velocity beyond this (°/s) is a corrupt reading, not a foot.
    private const float MaxPlausibleDps = 20_000;

    /// <summary>Creates a detector with validated <paramref name="options"/> (defaults when null).</summary>
    public DspFootfallDetector(DspDetectorOptions? options = null)
    {
        options ??= new DspDetectorOptions();
        options.Validate();
        _signals = new FootSignals(options);
        _rhythm = new StrideRhythm(options);
        _reference = new RecentMaximum(options.ReferenceMs);
        _history = new SignalHistory(DspDetectorOptions.HistoryMs, options.NominalRateHz);
        _pitch = new PitchRate(options);
        _gyroLanding = new GyroLanding(options);
        Change(options);
        Reset();
    }

    /// <inheritdoc />
    public string Name => "dsp";

    /// <inheritdoc />
    public int MaxScoresPerSample => 1;

    /// <summary>Impacts found (jerk bursts followed to their peak).</summary>
    public long Impacts { get; private set; }

    /// <summary>Impacts rejected as not a landing: too weak for the walk, or no swing before them.</summary>
    public long RejectedImpacts { get; private set; }

    /// <summary>Accepted impacts not emitted because they came within the refractory time of the last footfall.</summary>
    public long RefractoryImpacts { get; private set; }

    /// <summary>Accepted impacts not emitted because they were out of phase with the locked stride rhythm.</summary>
    public long OutOfPhaseImpacts { get; private set; }

    /// <summary>Weak impacts dropped because a harder one followed within the hold time.</summary>
    public long SupersededImpacts { get; private set; }

    /// <summary>Footfalls emitted.</summary>
    public long Footfalls { get; private set; }

    /// <summary>Samples skipped as not finite or physically impossible.</summary>
    public long ImplausibleSamples { get; private set; }

    /// <summary>Accepted impacts a stance confirmed (they anchor the stride rhythm).</summary>
    public long ConfirmedFootfalls => _rhythm.Confirmations;

    /// <summary>Footfalls the gyroscope path decided (included in <see cref="Footfalls"/>).</summary>
    public long GyroFootfalls { get; private set; }

    /// <summary>Gyroscope footfalls placed at the pitch reversal because no impact came with them.</summary>
    public long GyroFootfallsWithoutImpact => _gyroLanding.LandingsWithoutImpact;

    /// <summary>Accepted impacts the acceleration path left to the gyroscope path (which was deciding).</summary>
    public long ImpactsLeftToGyro { get; private set; }

    /// <summary>Whether the gyroscope path decides now (angular velocity arriving, pitch axis and sign known).</summary>
    public bool GyroDeciding { get; private set; }

    /// <summary>Times the learned pitch axis turned and its sign was voted anew.</summary>
    public long PitchAxisChanges => _pitch.AxisChanges;

    /// <summary>The tracked stride period in ms (0 until known).</summary>
    public double StridePeriodMs => _rhythm.PeriodMs;

    /// <summary>
    /// Applies new options in place, keeping the signal state (live tuning). Reallocates the history only
    /// when a faster nominal rate needs more of it: not for the pipeline thread in that case.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option outside its range (the key is named).</exception>
    public void Change(DspDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        _signals.Change(options);
        _rhythm.Change(options);
        _reference.Change(options.ReferenceMs);
        _history.EnsureCapacity(DspDetectorOptions.HistoryMs, options.NominalRateHz);
        _pitch.Change(options);
        _gyroLanding.Change(options);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _signals.Reset();
        _rhythm.Reset();
        _reference.Reset();
        _history.Clear();
        _pitch.Reset();
        _gyroLanding.Reset();
        GyroDeciding = false;
        GyroFootfalls = ImpactsLeftToGyro = 0;
        _lastGyroNs = long.MinValue / 2;
        _inImpact = _holding = _hasPending = _inStance = _stanceCounted = false;
        _lastAcceptedNs = _lastEmitNs = long.MinValue / 2;
        Impacts = RejectedImpacts = RefractoryImpacts = OutOfPhaseImpacts = Footfalls = ImplausibleSamples = SupersededImpacts = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public int Process(in ImuSample sample, Span<DetectorScore> scores)
    {
        long t = sample.SensorTimeNs;
        scores[0] = new DetectorScore(sample.SensorId, t, t, sample.ArrivalTimeNs, 0f, 1f, 0f);
        Vector3 a = new(sample.X, sample.Y, sample.Z);
        if (!float.IsFinite(a.X + a.Y + a.Z) || MathF.Abs(a.X) > MaxPlausibleG || MathF.Abs(a.Y) > MaxPlausibleG || MathF.Abs(a.Z) > MaxPlausibleG)
        {
            ImplausibleSamples++;
            return 1;
        }

        _signals.Update(t, a);
        double jerk = _signals.Jerk;
        _history.Add(new SignalPoint(t, (float)jerk, (float)_signals.Deviation, (float)_signals.Swing, (float)_signals.Cosine));
        _reference.Add(t, jerk);
        TrackStance(t);
        FollowGyro(sample, t, scores);

        if (_holding)
        {
            if (jerk > SupersedeRatio * _impactPeak)
            {
                // A harder impact follows the weak one: that is the landing; the weak one was late swing.
                _holding = false;
                SupersededImpacts++;
                _inImpact = true;
                _impactStartNs = _impactPeakNs = t;
                _impactPeak = jerk;
            }
            else if (t >= _holdUntilNs)
            {
                _holding = false;
                JudgeImpact(sample, t, scores);
            }

            return 1;
        }

        if (!_inImpact)
        {
            double trigger = Math.Max(_o.MinImpactJerk, _o.TriggerFraction * _reference.Value);
            if (jerk >= trigger && (t - _lastAcceptedNs) / NsPerMs > ImpactRingMs)
            {
                _inImpact = true;
                _impactStartNs = _impactPeakNs = t;
                _impactPeak = jerk;
            }

            return 1;
        }

        if (jerk > _impactPeak)
        {
            _impactPeak = jerk;
            _impactPeakNs = t;
        }

        if (jerk < _o.PeakFallFraction * _impactPeak || (t - _impactStartNs) / NsPerMs >= _o.PeakWaitMs)
        {
            _inImpact = false;
            if (_o.WeakImpactHoldMs > 0 && _impactPeak < _o.WeakImpactFraction * _reference.Value)
            {
                _holding = true;
                _holdUntilNs = t + (long)(_o.WeakImpactHoldMs * NsPerMs);
                return 1;
            }

            JudgeImpact(sample, t, scores);
        }

        return 1;
    }

    /// <summary>The gyroscope path: follows the pitch rate and emits the landings it decides.</summary>
    private void FollowGyro(in ImuSample sample, long t, Span<DetectorScore> scores)
    {
        if (_o.UseGyro && sample.HasAngularVelocity)
        {
            float wx = sample.AngularVelocityX, wy = sample.AngularVelocityY, wz = sample.AngularVelocityZ;
            if (float.IsFinite(wx + wy + wz) && MathF.Abs(wx) < MaxPlausibleDps && MathF.Abs(wy) < MaxPlausibleDps && MathF.Abs(wz) < MaxPlausibleDps)
            {
                _pitch.Update(t, new Vector3(wx, wy, wz));
                _lastGyroNs = t;
            }
        }

        GyroDeciding = _o.UseGyro && _pitch.Ready && (t - _lastGyroNs) / NsPerMs <= GyroStaleMs;
        if (_lastGyroNs != t)
        {
            return;
        }

        if (_gyroLanding.Update(t, _pitch.Raw, _pitch.Sign, GyroDeciding, _history, _reference.Value, _lastEmitNs, out long onsetNs))
        {
            _lastEmitNs = onsetNs;
            Footfalls++;
            GyroFootfalls++;
            float strength = 0;
            for (int k = 0; k < _history.Count && _history[k].TimeNs >= onsetNs; k++)
            {
                strength = Math.Max(strength, _history[k].Deviation);
            }

            scores[0] = new DetectorScore(sample.SensorId, onsetNs, t, sample.ArrivalTimeNs, 1f, 1f, strength);
        }
    }

    private void JudgeImpact(in ImuSample sample, long t, Span<DetectorScore> scores)
    {
        Impacts++;
        if (Judge(t, out long onsetNs, out float strength))
        {
            scores[0] = new DetectorScore(sample.SensorId, onsetNs, t, sample.ArrivalTimeNs, 1f, 1f, strength);
        }
    }

    /// <summary>An impact's peak has passed: place its onset, decide whether it is a landing and whether to emit it.</summary>
    private bool Judge(long nowNs, out long onsetNs, out float strength)
    {
        int peak = 0;
        while (peak + 1 < _history.Count && _history[peak].TimeNs > _impactPeakNs)
        {
            peak++;
        }

        int onset = peak;
        double onsetLevel = _o.OnsetFraction * _impactPeak;
        while (onset + 1 < _history.Count && _history[onset + 1].Jerk >= onsetLevel
            && (_impactPeakNs - _history[onset + 1].TimeNs) / NsPerMs <= _o.OnsetLookbackMs)
        {
            onset++;
        }

        onsetNs = _history[onset].TimeNs;
        strength = 0;
        for (int k = 0; k <= onset; k++)
        {
            strength = Math.Max(strength, _history[k].Deviation);
        }

        if (!IsLanding(onset, onsetNs, nowNs, out bool strong))
        {
            RejectedImpacts++;
            return false;
        }

        _lastAcceptedNs = onsetNs;
        _hasPending = true;
        _pendingNs = onsetNs;
        if ((onsetNs - _lastEmitNs) / NsPerMs < _rhythm.RefractoryMs)
        {
            RefractoryImpacts++;
            return false;
        }

        if (!strong && _rhythm.IsLocked(nowNs) && !_rhythm.IsInPhase(onsetNs, nowNs))
        {
            OutOfPhaseImpacts++;
            return false;
        }

        if (GyroDeciding)
        {
            ImpactsLeftToGyro++;
            return false;
        }

        _lastEmitNs = onsetNs;
        Footfalls++;
        return true;
    }

    /// <summary>
    /// Whether the impact at history index <paramref name="onset"/> is hard enough for the walk and ends a swing;
    /// <paramref name="strong"/> when it is so clearly a landing that the rhythm's phase must not hold it back.
    /// </summary>
    private bool IsLanding(int onset, long onsetNs, long nowNs, out bool strong)
    {
        strong = false;
        double relative = _reference.Value > 0 ? _impactPeak / _reference.Value : 1;
        double needed = _rhythm.IsInPhase(onsetNs, nowNs) ? Math.Min(_o.InPhaseImpactFraction, _o.MinImpactFraction) : _o.MinImpactFraction;
        if (relative < needed)
        {
            return false;
        }

        double swingMin = double.MaxValue;
        double cosineMin = double.MaxValue;
        bool any = false;
        for (int k = onset; k < _history.Count; k++)
        {
            ref readonly SignalPoint p = ref _history[k];
            double beforeMs = (onsetNs - p.TimeNs) / NsPerMs;
            if (beforeMs < _o.SwingGapMs)
            {
                continue;
            }

            if (beforeMs > _o.SwingGapMs + _o.SwingWindowMs)
            {
                break;
            }

            any = true;
            swingMin = Math.Min(swingMin, p.Swing);
            cosineMin = Math.Min(cosineMin, p.Cosine);
        }

        if (!any)
        {
            return false;
        }

        if (!_signals.HasStanceDirection)
        {
            return swingMin >= _o.MinSwingG;
        }

        strong = relative >= _o.StrongImpactFraction && cosineMin <= _o.StrongSwingCosine;
        return cosineMin <= _o.SwingCosine || swingMin >= _o.StrongSwingG;
    }

    /// <summary>A stance lasting <see cref="DspDetectorOptions.StanceConfirmMs"/> confirms the accepted impact just before it.</summary>
    private void TrackStance(long t)
    {
        if (!_signals.Quiet)
        {
            _inStance = false;
            return;
        }

        if (!_inStance)
        {
            _inStance = true;
            _stanceCounted = false;
            _stanceStartNs = t;
        }

        if (_stanceCounted || (t - _stanceStartNs) / NsPerMs < _o.StanceConfirmMs)
        {
            return;
        }

        _stanceCounted = true;
        double sinceImpactMs = (_stanceStartNs - _pendingNs) / NsPerMs;
        if (_hasPending && sinceImpactMs >= 0 && sinceImpactMs <= _o.ConfirmWindowMs)
        {
            _rhythm.Confirm(_pendingNs);
            _hasPending = false;
        }
    }
}
