using System.Numerics;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The <c>dsp</c> detector: a causal, mounting-invariant footfall detector for a foot-mounted
/// accelerometer. It finds each landing impact in the jerk, places the footfall at the impact's onset
/// (the physical initial contact) and keeps only impacts that end a swing, in phase with the stride rhythm.
/// </summary>
/// <remarks>
/// <para>Built from online stages, each with its own state, <c>Process</c> and <c>Reset</c>, run in this order per
/// sample: <see cref="FootSignals"/> (jerk, activity, quiet with its noise floor, stance direction) into the
/// <see cref="SignalHistory"/> and the <see cref="RecentMaximum"/> of jerk; <see cref="StanceConfirmation"/>
/// (anchors the <see cref="StrideRhythm"/>); the <see cref="GyroPath"/>; the <see cref="StillFootHold"/>; the landing
/// state machine, <see cref="ImpactTracker"/> then <see cref="LandingJudge"/>; last the emission gates here (refractory
/// time, rhythm phase, the gyro path deciding, the hold while the pitch sign settles) and the
/// <see cref="UnreversedLanding"/>.</para>
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
/// <see cref="DspDetectorOptions.InPhaseImpactFraction"/> where the locked rhythm expects one) and ends a swing. Over the
/// <see cref="DspDetectorOptions.SwingWindowMs"/> before the onset the foot points away from its stance
/// direction (mean cosine ≤ <see cref="DspDetectorOptions.SwingCosine"/>, or at some moment ≤
/// <see cref="DspDetectorOptions.SwingMomentCosine"/>) or moves hard (activity ≥
/// <see cref="DspDetectorOptions.StrongSwingG"/>); a push-off starts from a stance, pointing along it, and the
/// other foot's landing reaches this foot in its stance. This is what keeps the detector off the anti-phase.</para>
/// <para>Rhythm (<see cref="StrideRhythm"/>): a stance after an accepted impact confirms it and anchors the
/// stride rhythm; while the rhythm is locked an impact out of phase is not emitted, and a refractory time
/// (a fraction of the stride) follows every emission. Since only confirmed footfalls anchor it, the rhythm
/// relocks to the other phase when that phase holds the confirmed footfalls.</para>
/// <para>Gyroscope: when the samples carry angular velocity, landings come from the foot's pitch rate
/// (<see cref="PitchRate"/>, <see cref="GyroLanding"/>): a swing reversing into the forefoot coming down, placed
/// at the onset of the impact that comes with it. The acceleration path keeps running (its stance and rhythm
/// stay current) and decides alone until the pitch sign vote is ready, and again whenever the
/// angular velocity stops; while the gyroscope decides, an acceleration landing that no reversal comes with (a flat
/// or toe-first landing) is still emitted (<see cref="UnreversedLanding"/>).</para>
/// <para>Emits one score per sample: 0, or 1 at the onset when a footfall is decided (the gate's sample
/// threshold is 1 for this detector). Samples that are not finite or beyond ±1000 g are counted and skipped.
/// Allocation-free after construction; not thread-safe (the pipeline thread owns it).</para>
/// </remarks>
public sealed class DspFootfallDetector : IFootfallDetector
{
    // Physically impossible readings: a corrupt sample must not poison the reference maximum.
    private const float MaxPlausibleG = 1000;

    private readonly FootSignals _signals;
    private readonly SignalHistory _history;
    private readonly RecentMaximum _reference;
    private readonly ImpactFloor _floor;
    private readonly StanceConfirmation _confirmation;
    private readonly StrideRhythm _rhythm;
    private readonly GyroPath _gyro;
    private readonly ImpactTracker _impacts;
    private readonly LandingJudge _judge;
    private readonly StillFootHold _hold;
    private readonly UnreversedLanding _unreversed;
    private readonly SmallStep _smallStep;
    private readonly StillFootHold _smallStepHold;
    private long _lastEmitNs;
    private long _impactsLeftToGyro;

    /// <summary>Creates a detector with validated <paramref name="options"/> (defaults when null).</summary>
    public DspFootfallDetector(DspDetectorOptions? options = null)
    {
        options ??= new DspDetectorOptions();
        options.Validate();
        _signals = new FootSignals(options);
        _history = new SignalHistory(DspDetectorOptions.HistoryMs, options.NominalRateHz);
        _reference = new RecentMaximum(options.ReferenceMs);
        _floor = new ImpactFloor(options);
        _confirmation = new StanceConfirmation(options);
        _rhythm = new StrideRhythm(options);
        _gyro = new GyroPath(options);
        _impacts = new ImpactTracker(options);
        _judge = new LandingJudge(options);
        _hold = new StillFootHold(options);
        _unreversed = new UnreversedLanding(options);
        _smallStep = new SmallStep(options);
        _smallStepHold = new StillFootHold(options);
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
    public long SupersededImpacts => _impacts.Superseded;

    /// <summary>Footfalls emitted.</summary>
    public long Footfalls { get; private set; }

    /// <summary>Samples skipped as not finite or physically impossible.</summary>
    public long ImplausibleSamples { get; private set; }

    /// <summary>Accepted impacts a stance confirmed (they anchor the stride rhythm).</summary>
    public long ConfirmedFootfalls => _rhythm.Confirmations;

    /// <summary>Footfalls the gyroscope path decided (included in <see cref="Footfalls"/>).</summary>
    public long GyroFootfalls { get; private set; }

    /// <summary>Gyroscope footfalls placed at the pitch reversal because no impact came with them.</summary>
    public long GyroFootfallsWithoutImpact => _gyro.FootfallsWithoutImpact;

    /// <summary>Acceleration-path landings let out while the gyroscope path decided, because no pitch reversal came with them (a flat or toe-first landing): emitted, or held for the still-foot check while the pitch sign settles.</summary>
    public long UnreversedFootfalls => _unreversed.Emitted;

    /// <summary>Small steps emitted (included in <see cref="Footfalls"/>): a short pitch lobe, an impact and a still foot after it, with no other footfall near (a closing step, a U-turn step; <see cref="SmallStep"/>).</summary>
    public long SmallSteps { get; private set; }

    /// <summary>Times the gyroscope path was set aside for the acceleration path: its pitch sign unsettled after
    /// <see cref="DspDetectorOptions.GyroMaxUnsettledFootfalls"/> footfalls, or <see cref="DspDetectorOptions.GyroMaxMissedLandings"/>
    /// acceleration landings in a row left to it without a footfall.</summary>
    public long GyroSetAside => _gyro.SetAside.Count;

    /// <summary>Accepted impacts the acceleration path left to the gyroscope path (which was deciding): a reversal or a footfall came with them.</summary>
    public long ImpactsLeftToGyro => _impactsLeftToGyro + _unreversed.Dropped;

    /// <summary>Landings of either path held for the still-foot check (angular velocity arriving, its pitch sign not settled yet).</summary>
    public long HeldForStillFoot => _hold.Held;

    /// <summary>Held landings dropped because the foot was swinging after them (toe-offs).</summary>
    public long DroppedMidSwing => _hold.Dropped;

    /// <summary>Whether the gyroscope path decides now (angular velocity arriving, the pitch sign vote ready).</summary>
    public bool GyroDeciding => _gyro.Deciding;

    /// <summary>Times the learned pitch axis turned and its sign was voted anew.</summary>
    public long PitchAxisChanges => _gyro.AxisChanges;

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
        _signals.Change(options);
        _history.EnsureCapacity(DspDetectorOptions.HistoryMs, options.NominalRateHz);
        _reference.Change(options.ReferenceMs);
        _floor.Change(options);
        _confirmation.Change(options);
        _rhythm.Change(options);
        _gyro.Change(options);
        _impacts.Change(options);
        _judge.Change(options);
        _hold.Change(options);
        _unreversed.Change(options);
        _smallStep.Change(options);
        _smallStepHold.Change(options);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _signals.Reset();
        _history.Clear();
        _reference.Reset();
        _floor.Reset();
        _confirmation.Reset();
        _rhythm.Reset();
        _gyro.Reset();
        _impacts.Reset();
        _hold.Reset();
        _unreversed.Reset();
        _smallStep.Reset();
        _smallStepHold.Reset();
        _lastEmitNs = long.MinValue / 2;
        Impacts = RejectedImpacts = RefractoryImpacts = OutOfPhaseImpacts = Footfalls = ImplausibleSamples = _impactsLeftToGyro = GyroFootfalls = SmallSteps = 0;
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

        _signals.Process(t, a);
        double jerk = _signals.Jerk;
        _history.Add(new SignalPoint(t, (float)jerk, (float)_signals.Deviation, (float)_signals.Swing, (float)_signals.Cosine));
        _reference.Add(t, jerk);
        _floor.Process(t, jerk, _signals.Quiet);
        if (_confirmation.Process(t, _signals.Quiet, out long confirmedNs))
        {
            _rhythm.Confirm(confirmedNs);
        }

        if (_gyro.Process(sample, t, _history, _reference.Value, _lastEmitNs, out long gyroOnsetNs))
        {
            float gyroStrength = _history.MaxDeviationSince(gyroOnsetNs);
            bool near = _hold.Holding && Math.Abs(gyroOnsetNs - _hold.OnsetNs) / SignalStep.NsPerMs < _rhythm.RefractoryMs;
            if (HoldsLandings)
            {
                // The sign may still be wrong this early in a walk: this "landing" could be a toe-off.
                if (!near)
                {
                    _hold.Hold(gyroOnsetNs, gyroStrength, fromGyro: true);
                }
            }
            else
            {
                if (near)
                {
                    _hold.Release();
                }

                Emit(gyroOnsetNs, fromGyro: true);
                scores[0] = new DetectorScore(sample.SensorId, gyroOnsetNs, t, sample.ArrivalTimeNs, 1f, 1f, gyroStrength);
            }
        }

        if (_unreversed.Decide(t, _gyro.LastReversedNs, _lastEmitNs, _rhythm.RefractoryMs, _gyro.Deciding, _gyro.FlatSinceNs))
        {
            // The swing has landed: the next reversal is a heel rising before the toe-off, not this swing's landing.
            _gyro.SwingLanded();
            if (!HoldsLandings)
            {
                Emit(_unreversed.OnsetNs, fromGyro: false);
                scores[0] = new DetectorScore(sample.SensorId, _unreversed.OnsetNs, t, sample.ArrivalTimeNs, 1f, 1f, _unreversed.Strength);
            }
            else if (!_hold.Holding)
            {
                // Early in a walk the sign may still be wrong, and this a toe-off: the still-foot check decides.
                _hold.Hold(_unreversed.OnsetNs, _unreversed.Strength, fromGyro: false);
            }
        }

        if (_hold.Process(t, _gyro.AngularSpeed))
        {
            Emit(_hold.OnsetNs, _hold.FromGyro);
            scores[0] = new DetectorScore(sample.SensorId, _hold.OnsetNs, t, sample.ArrivalTimeNs, 1f, 1f, _hold.Strength);
        }

        FollowSmallSteps(sample, t, scores);
        if (_impacts.Process(t, jerk, _reference.Value, _floor.Value) && JudgeImpact(t, out long onsetNs, out float strength))
        {
            scores[0] = new DetectorScore(sample.SensorId, onsetNs, t, sample.ArrivalTimeNs, 1f, 1f, strength);
        }

        return 1;
    }

    // A small step is looked for only once the gyroscope path decides with a settled sign: before, every landing is held
    // for the still foot anyway. It is emitted after its own still-foot check, on its onset, unless another footfall came
    // within the refractory time of it (that footfall is this landing, or the step was too close to be one). Without
    // the still-foot window (GyroStillToMs=0) nothing would tell a small step from a sway: none is looked for.
    private void FollowSmallSteps(in ImuSample sample, long t, Span<DetectorScore> scores)
    {
        bool looking = _gyro.Deciding && _gyro.Settled && !HoldsLandings && _smallStepHold.Enabled;
        if (_smallStep.Process(t, _gyro.Pitch, looking, _history, _floor.Value, out long onsetNs)
            && !_smallStepHold.Holding && !FootfallNear(onsetNs))
        {
            _smallStepHold.Hold(onsetNs, _history.MaxDeviationSince(onsetNs), fromGyro: true);
        }

        if (_smallStepHold.Process(t, _gyro.AngularSpeed) && !FootfallNear(_smallStepHold.OnsetNs))
        {
            _gyro.SwingLanded();
            SmallSteps++;
            Emit(_smallStepHold.OnsetNs, fromGyro: true);
            scores[0] = new DetectorScore(sample.SensorId, _smallStepHold.OnsetNs, t, sample.ArrivalTimeNs, 1f, 1f, _smallStepHold.Strength);
        }
    }

    // The last footfall was emitted after this onset, or within the refractory time before it.
    private bool FootfallNear(long onsetNs) => (onsetNs - _lastEmitNs) / SignalStep.NsPerMs < _rhythm.RefractoryMs;

    /// <summary>An impact's peak has passed: is it a landing, and may it be emitted now?</summary>
    private bool JudgeImpact(long nowNs, out long onsetNs, out float strength)
    {
        Impacts++;
        if (!_judge.IsLanding(_history, _impacts.PeakJerk, _impacts.PeakNs, _reference.Value, _rhythm, _signals.HasStanceDirection,
            nowNs, out onsetNs, out strength, out bool strong))
        {
            RejectedImpacts++;
            return false;
        }

        _impacts.Accepted(onsetNs);
        _confirmation.Expect(onsetNs);
        _gyro.SetAside.CheckLeftLanding(_lastEmitNs, _gyro.Deciding);
        if (FootfallNear(onsetNs))
        {
            _gyro.SetAside.LandingCameWithFootfall();
            RefractoryImpacts++;
            return false;
        }

        if (!strong && _rhythm.IsLocked(nowNs) && !_rhythm.IsInPhase(onsetNs, nowNs))
        {
            OutOfPhaseImpacts++;
            return false;
        }

        if (_gyro.Deciding)
        {
            if (!_unreversed.Park(onsetNs, _impacts.PeakNs, strength, _gyro.LastReversedNs))
            {
                _impactsLeftToGyro++;
                _gyro.SetAside.LandingLeft(onsetNs);
            }

            return false;
        }

        if (HoldsLandings)
        {
            if (_hold.Holding)
            {
                RefractoryImpacts++;
            }
            else
            {
                _hold.Hold(onsetNs, strength, fromGyro: false);
            }

            return false;
        }

        Emit(onsetNs, fromGyro: false);
        return true;
    }

    // While angular velocity arrives but its pitch sign has not settled against both kinds of lobe, every landing waits
    // for the still-foot check, unless the gyroscope has shown no swing around the last landings.
    private bool HoldsLandings => _gyro.Arriving && !_gyro.Settled && !_gyro.SetAside.TooGentle && _hold.Enabled && !_hold.SeesNoSwing;

    private void Emit(long onsetNs, bool fromGyro)
    {
        _lastEmitNs = onsetNs;
        Footfalls++;
        _gyro.SetAside.FootfallEmitted(_gyro.Arriving, _gyro.Settled);
        if (fromGyro)
        {
            GyroFootfalls++;
        }
    }
}
