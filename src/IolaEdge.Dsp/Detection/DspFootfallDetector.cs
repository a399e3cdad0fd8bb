using System.Numerics;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The <c>dsp</c> detector: a causal, orientation-invariant footfall detector for a shoe-mounted
/// accelerometer. It finds the landing as the fall of activity after a swing, confirms it by the stance
/// that follows, and tracks cadence to stay locked to the right phase of the stride.
/// </summary>
/// <remarks>
/// <para>Signals (all invariant to how the sensor is mounted): the deviation of |a| from the gravity level
/// g₀ (tracked during quiet), the jerk |Δa⃗|/Δt (the norm of a vector difference does not change under
/// rotation), and the cosine between the smoothed acceleration and the <em>stance direction</em> — the
/// direction gravity had during earlier quiet periods, learned online in the sensor's own frame, so any
/// mounting works. Activity = max(smoothed deviation, scaled smoothed jerk).</para>
/// <para>Stage 1, landing (low latency): after the activity reached a swing peak (at least
/// <see cref="DspDetectorOptions.MinSwingG"/> and a fraction of the typical swing peak), the landing is
/// where the smoothed deviation falls below <see cref="DspDetectorOptions.EdgeFraction"/> of that peak;
/// the score ramps from 0 to 1 while it stays below for <see cref="DspDetectorOptions.ConfirmMs"/>.
/// Stage 2, stance (robust): quiet activity (below an adaptive threshold over a minimum-statistics noise
/// floor) in the stance direction for <see cref="DspDetectorOptions.StanceConfirmMs"/>. A stance confirms
/// the landing before it; a stance without one yields a late score placed at the landing found in a
/// short history (so a missed landing is still counted, with more latency). Confirmed footfalls feed the
/// <see cref="RhythmTracker"/>: its period sets the refractory time after each trusted footfall (confirmed,
/// or emitted where the rhythm expected one), so the push-off and mid-swing dips, which also look like
/// falls of activity, fall inside it; its phase filter places each landing between where it was found and
/// where the rhythm predicts it. Until a rhythm is locked (first steps, after a pause) landings wait for
/// their stance.</para>
/// <para>Emits one score per sample (two when a late stance score coincides with a landing ramp):
/// <see cref="DetectorScore.SampleScore"/> is the landing ramp, at the landing's sample time; the
/// gate's sample threshold (1 by default for this detector) sets how much of the ramp to wait for.
/// Allocation-free after construction; not thread-safe (the pipeline thread owns it).</para>
/// </remarks>
public sealed class DspFootfallDetector : IFootfallDetector
{
    private const double NsPerMs = 1e6;

    // The |a| level in stance drifts slowly with calibration and temperature; 2 s follows it without
    // following the walk.
    private const double GravityLevelTauMs = 2000;

    private const double SwingPeakWeight = 0.2;

    // Deferred landings whose two stride intervals agree this closely, within a walking stride (0.7-1.6 s),
    // are a walk, not shuffling. The range is the walking one, not the tracker's wider one: unlocked, a
    // mid-swing fall is deferred too, and landing, fall, landing half a stride apart must not lock.
    private const double RhythmAgreement = 0.2;
    private const double WalkingStrideMinMs = 700;
    private const double WalkingStrideMaxMs = 1600;

    // Deferred landings searched for that rhythm: enough to skip a spurious fall or two between footfalls.
    private const int DeferredKept = 6;

    // Δt above this is a gap (lost packets): smoothers then step as if this much time had passed.
    private const double MaxStepMs = 50;

    private readonly RhythmTracker _rhythm;
    private DspDetectorOptions _o = null!;
    private double _minStepMs;
    private long[] _histTime = [];
    private float[] _histDev = [];
    private int _histMask;
    private long _histCount;

    // Signal state (sensor-time ms where noted).
    private bool _started;
    private long _prevTimeNs;
    private Vector3 _prevA;
    private Vector3 _v;
    private double _g0;
    private double _dev;
    private double _jerk;
    private double _floor;
    private Vector3 _stanceDir;
    private bool _hasStanceDir;
    private long _quietSinceNs;
    private bool _quiet;

    // Stage 1: landing.
    private double _swingPeak;
    private long _candidateNs;
    private bool _hasCandidate;
    private long _lastEmitNs;
    private bool _hasPending;
    private long _pendingNs;
    private long _pendingLandingNs;
    private bool _pendingObserved;

    // The last landings deferred while no rhythm was locked and not since confirmed, oldest first.
    private readonly long[] _deferred = new long[DeferredKept];
    private readonly double[] _deferredPeak = new double[DeferredKept];
    private int _deferredCount;
    private double _pendingPeak;
    private double _typicalPeak;

    // Stage 2: stance and cadence.
    private long _stanceStartNs;
    private bool _inStance;
    private bool _stanceFired;
    private long _lastConfirmedNs;

    // The last footfall that starts the full refractory time: a confirmed one, or an emitted landing where
    // the rhythm expected one (its stance may yet be missed, but a dip half a stride later is not a footfall).
    private long _lastTrustedNs;

    /// <summary>Creates a detector with validated <paramref name="options"/> (defaults when null).</summary>
    public DspFootfallDetector(DspDetectorOptions? options = null)
    {
        options ??= new DspDetectorOptions();
        _rhythm = new RhythmTracker(options.Validate());
        Change(options);
        Reset();
    }

    /// <inheritdoc />
    public string Name => "dsp";

    /// <inheritdoc />
    public int MaxScoresPerSample => 2;

    /// <summary>Landings whose ramp reached 1.</summary>
    public long Landings { get; private set; }

    /// <summary>Landings found while no rhythm was locked, left to the stance to confirm (reported late if it does).</summary>
    public long DeferredLandings { get; private set; }

    /// <summary>Times three deferred landings in a steady rhythm locked the rhythm without a stance.</summary>
    public long RhythmLocks { get; private set; }

    /// <summary>Stances that confirmed a landing.</summary>
    public long ConfirmedLandings { get; private set; }

    /// <summary>Stances without a landing before them, reported late from the history.</summary>
    public long LateDetections { get; private set; }

    /// <summary>The tracked stride period in ms (0 until known).</summary>
    public double StridePeriodMs => _rhythm.PeriodMs;

    /// <summary>The stride rhythm the placement and refractory time follow.</summary>
    public RhythmTracker Rhythm => _rhythm;

    /// <summary>
    /// Applies new options in place, keeping the signal state (live tuning). Reallocates the short
    /// history only when a longer lookback needs it: not for the pipeline thread in that case.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option outside its range (the key is named).</exception>
    public void Change(DspDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        _rhythm.Change(options);
        _minStepMs = 1000.0 / options.NominalRateHz;

        // History of (time, smoothed deviation) covering the lookback at up to twice the nominal rate.
        int needed = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, Math.Ceiling(options.LookbackMs * options.NominalRateHz / 1000 * 2) + 2));
        if (needed > _histTime.Length)
        {
            _histTime = new long[needed];
            _histDev = new float[needed];
            _histMask = needed - 1;
            _histCount = 0;
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        _started = false;
        _g0 = 1;
        _dev = _jerk = 0;
        _floor = _o.QuietLevelG / _o.NoiseFloorFactor;
        _hasStanceDir = false;
        _quiet = false;
        _swingPeak = 0;
        _hasCandidate = _hasPending = _pendingObserved = false;
        _deferredCount = 0;
        _typicalPeak = 0;
        _lastEmitNs = long.MinValue / 2;
        _inStance = _stanceFired = false;
        _lastConfirmedNs = _lastTrustedNs = long.MinValue / 2;
        _rhythm.Reset();
        _histCount = 0;
        Landings = DeferredLandings = ConfirmedLandings = LateDetections = RhythmLocks = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public int Process(in ImuSample sample, Span<DetectorScore> scores)
    {
        long t = sample.SensorTimeNs;
        Vector3 a = new(sample.X, sample.Y, sample.Z);
        if (!_started)
        {
            _started = true;
            _prevTimeNs = t;
            _prevA = a;
            _v = a;
        }

        double dtMs = Math.Clamp((t - _prevTimeNs) / NsPerMs, _minStepMs, MaxStepMs);
        _prevTimeNs = t;
        double magnitude = a.Length();
        double jerk = (a - _prevA).Length() / (dtMs / 1000) * _o.JerkScaleSeconds;
        _prevA = a;
        double alpha = 1 - Math.Exp(-dtMs / _o.SmoothingMs);
        _dev += alpha * (Math.Abs(magnitude - _g0) - _dev);
        _jerk += alpha * (jerk - _jerk);
        _v += (float)alpha * (a - _v);
        double activity = Math.Max(_dev, _jerk);

        // Minimum statistics: the floor follows every new minimum at once and creeps up slowly otherwise.
        _floor = activity < _floor ? activity : _floor + ((1 - Math.Exp(-dtMs / _o.NoiseFloorRiseMs)) * (activity - _floor));
        double quietThreshold = Math.Max(_o.QuietLevelG, _o.NoiseFloorFactor * _floor);
        Remember(t, _dev);

        float vLength = _v.Length();
        Vector3 direction = vLength > 1e-6f ? _v / vLength : Vector3.UnitZ;
        bool quiet = activity < quietThreshold;
        LearnStanceDirection(quiet, t, dtMs, direction);
        bool aligned = _hasStanceDir && Vector3.Dot(direction, _stanceDir) > _o.StanceAlignmentCos;
        double periodMs = _rhythm.PeriodMs;
        double refractoryMs = periodMs > 0 ? Math.Max(_o.MinRefractoryMs, _o.RefractoryFraction * periodMs) : _o.MinRefractoryMs;
        bool open = (t - _lastTrustedNs) / NsPerMs > refractoryMs && (t - _lastEmitNs) / NsPerMs > _o.MinRefractoryMs;

        int count = 0;
        DetectorScore landing = new(sample.SensorId, t, t, sample.ArrivalTimeNs, 0f, 1f, 0f);
        if (open)
        {
            landing = Landing(sample, t);
        }

        scores[count++] = landing;
        if (Stance(quiet && aligned, t, refractoryMs, sample, out DetectorScore late))
        {
            scores[count++] = late;
        }

        if (quiet)
        {
            _g0 += (1 - Math.Exp(-dtMs / GravityLevelTauMs)) * (magnitude - _g0);
        }

        return count;
    }

    private DetectorScore Landing(in ImuSample sample, long t)
    {
        if (_dev > _swingPeak)
        {
            _swingPeak = _dev;
            _hasCandidate = false;
        }

        if (_swingPeak < SwingNeeded() || _dev >= _o.EdgeFraction * _swingPeak)
        {
            _hasCandidate = false;
            return new DetectorScore(sample.SensorId, t, t, sample.ArrivalTimeNs, 0f, 1f, 0f);
        }

        if (!_hasCandidate)
        {
            _hasCandidate = true;
            _candidateNs = t;
        }

        double elapsedMs = (t - _candidateNs) / NsPerMs;
        float ramp = _o.ConfirmMs <= 0 ? 1f : (float)Math.Min(1, elapsedMs / _o.ConfirmMs);
        bool rhythmic = false;
        if (!_rhythm.IsLocked(t))
        {
            // No rhythm yet (the first steps, or after a pause): a fall of activity alone is too weak, the
            // foot may be shuffling or the sensor being put on. The stance that follows decides instead, or
            // failing that (a slope, a short stance), three landings in a steady stride rhythm.
            if (ramp < 1f)
            {
                return new DetectorScore(sample.SensorId, t, t, sample.ArrivalTimeNs, 0f, 1f, 0f);
            }

            rhythmic = LockOnRhythmicLandings(_candidateNs, _swingPeak, t);
            if (!rhythmic)
            {
                DeferredLandings++;
                RememberDeferred(_candidateNs, _swingPeak);
                _swingPeak = 0;
                _hasCandidate = false;
                return new DetectorScore(sample.SensorId, t, t, sample.ArrivalTimeNs, 0f, 1f, 0f);
            }
        }

        long placed = Math.Min(t, _rhythm.Estimate(_candidateNs, _o.RhythmPrior));
        DetectorScore score = new(sample.SensorId, placed, t, sample.ArrivalTimeNs, ramp, 1f, (float)_swingPeak);
        if (ramp >= 1f)
        {
            Emit(placed, rhythmic);
        }

        return score;
    }

    /// <summary>The landing's ramp completed: it is a footfall, pending its stance.</summary>
    /// <param name="placed">Its time as placed by the rhythm filter.</param>
    /// <param name="lockedTheRhythm">It was the third of a steady run of deferred landings and already fed the rhythm.</param>
    private void Emit(long placed, bool lockedTheRhythm)
    {
        Landings++;
        _lastEmitNs = placed;
        _hasPending = true;
        _pendingNs = placed;
        _pendingLandingNs = _candidateNs;
        _pendingPeak = _swingPeak;
        _pendingObserved = lockedTheRhythm;
        if (lockedTheRhythm)
        {
            _lastTrustedNs = Math.Max(_lastTrustedNs, placed);
            LearnSwingPeak(_swingPeak);
        }
        else if (_rhythm.IsInPhase(_candidateNs))
        {
            // Where the rhythm expected a footfall: it feeds the rhythm and the typical swing now (its
            // stance may be missed) and starts the refractory time.
            _lastTrustedNs = Math.Max(_lastTrustedNs, placed);
            ObserveFootfall(_candidateNs);
            LearnSwingPeak(_swingPeak);
            _pendingObserved = true;
        }

        _swingPeak = 0;
        _hasCandidate = false;
    }

    private bool Stance(bool stance, long t, double refractoryMs, in ImuSample sample, out DetectorScore late)
    {
        late = default;
        if (!stance)
        {
            _inStance = false;
            _stanceFired = false;
            return false;
        }

        if (!_inStance)
        {
            _inStance = true;
            _stanceStartNs = t;
        }

        if (_stanceFired || (t - _stanceStartNs) / NsPerMs < _o.StanceConfirmMs)
        {
            return false;
        }

        _stanceFired = true;
        bool emitted = false;
        long footfall;
        long landing;
        if (_hasPending && (_stanceStartNs - _pendingNs) / NsPerMs <= _o.ConfirmWindowMs)
        {
            footfall = _pendingNs;
            landing = _pendingLandingNs;
            ConfirmedLandings++;
            if (!_pendingObserved)
            {
                LearnSwingPeak(_pendingPeak);
            }
        }
        else if ((t - _lastTrustedNs) / NsPerMs > refractoryMs && (t - _lastEmitNs) / NsPerMs > _o.MinRefractoryMs
            && FindLanding(_stanceStartNs) is (long landingNs, double peak) && peak >= _o.MinSwingG)
        {
            // A stance after a real swing that the landing stage missed: report it late, at its landing.
            landing = landingNs;
            footfall = Math.Min(t, _rhythm.Estimate(landingNs, _o.RhythmPrior));
            late = new DetectorScore(sample.SensorId, footfall, t, sample.ArrivalTimeNs, 1f, 1f, (float)peak);
            LateDetections++;
            _lastEmitNs = footfall;
            _swingPeak = 0;
            _hasCandidate = false;
            emitted = true;
        }
        else
        {
            _hasPending = false;
            return false;
        }

        if (!_pendingObserved || landing != _pendingLandingNs)
        {
            ObserveFootfall(landing);
        }

        _lastConfirmedNs = footfall;
        _lastTrustedNs = Math.Max(_lastTrustedNs, footfall);
        _hasPending = false;
        return emitted;
    }

    private void LearnSwingPeak(double peak) =>
        _typicalPeak = _typicalPeak > 0 ? _typicalPeak + (SwingPeakWeight * (peak - _typicalPeak)) : peak;

    /// <summary>Feeds a footfall (as found) to the rhythm; the landings deferred before it are then history.</summary>
    private void ObserveFootfall(long landingNs)
    {
        _rhythm.Observe(landingNs);
        _deferredCount = 0;
    }

    private void RememberDeferred(long landingNs, double peak)
    {
        if (_deferredCount == DeferredKept)
        {
            Array.Copy(_deferred, 1, _deferred, 0, DeferredKept - 1);
            Array.Copy(_deferredPeak, 1, _deferredPeak, 0, DeferredKept - 1);
            _deferredCount--;
        }

        _deferred[_deferredCount] = landingNs;
        _deferredPeak[_deferredCount++] = peak;
    }

    /// <summary>
    /// Whether <paramref name="landingNs"/> ends three deferred landings a steady stride apart (two intervals of
    /// a walking stride agreeing within 20 %, other falls between them ignored), each after one of the big
    /// swings of the recent ones: they are then fed to the rhythm, which locks. The swing before a landing is
    /// the largest of a stride; the push-off's fall repeats at the stride rhythm too, after a smaller one.
    /// </summary>
    private bool LockOnRhythmicLandings(long landingNs, double peak, long nowNs)
    {
        double largest = peak;
        for (int k = 0; k < _deferredCount; k++)
        {
            largest = Math.Max(largest, _deferredPeak[k]);
        }

        double needed = _o.SwingFraction * largest;
        if (peak < needed)
        {
            return false;
        }

        for (int j = _deferredCount - 1; j >= 1; j--)
        {
            if (_deferredPeak[j] < needed)
            {
                continue;
            }

            double second = (landingNs - _deferred[j]) / NsPerMs;
            if (second > WalkingStrideMaxMs)
            {
                break;
            }

            if (second < WalkingStrideMinMs)
            {
                continue;
            }

            for (int i = j - 1; i >= 0; i--)
            {
                double first = (_deferred[j] - _deferred[i]) / NsPerMs;
                if (first > WalkingStrideMaxMs)
                {
                    break;
                }

                if (first >= WalkingStrideMinMs && Math.Abs(second - first) < RhythmAgreement * first && _deferredPeak[i] >= needed)
                {
                    long a = _deferred[i], b = _deferred[j];
                    ObserveFootfall(a);
                    ObserveFootfall(b);
                    ObserveFootfall(landingNs);
                    RhythmLocks++;
                    return _rhythm.IsLocked(nowNs);
                }
            }
        }

        return false;
    }

    /// <summary>Smallest swing peak (g) that counts: the absolute minimum, or a fraction of the typical confirmed swing.</summary>
    private double SwingNeeded() =>
        _typicalPeak > 0 ? Math.Max(_o.MinSwingG, _o.SwingFraction * _typicalPeak) : _o.MinSwingG;

    /// <summary>The last sample before the stance start whose deviation was at least the edge fraction of the lookback's peak.</summary>
    private (long TimeNs, double Peak) FindLanding(long stanceStartNs)
    {
        long lookbackNs = (long)(_o.LookbackMs * NsPerMs);
        long available = Math.Min(_histCount, _histTime.Length);
        double peak = 0;
        for (long k = 0; k < available; k++)
        {
            int i = (int)((_histCount - 1 - k) & _histMask);
            if (_histTime[i] <= stanceStartNs - lookbackNs)
            {
                break;
            }

            peak = Math.Max(peak, _histDev[i]);
        }

        for (long k = 0; k < available; k++)
        {
            int i = (int)((_histCount - 1 - k) & _histMask);
            if (_histTime[i] <= stanceStartNs - lookbackNs)
            {
                break;
            }

            if (_histTime[i] < stanceStartNs && _histDev[i] >= _o.EdgeFraction * peak)
            {
                return (_histTime[i], peak);
            }
        }

        return (stanceStartNs, peak);
    }

    private void LearnStanceDirection(bool quiet, long t, double dtMs, Vector3 direction)
    {
        if (!quiet)
        {
            _quiet = false;
            return;
        }

        if (!_quiet)
        {
            _quiet = true;
            _quietSinceNs = t;
        }

        if ((t - _quietSinceNs) / NsPerMs < _o.StanceLearnMs)
        {
            return;
        }

        if (!_hasStanceDir)
        {
            _stanceDir = direction;
            _hasStanceDir = true;
            return;
        }

        float w = (float)(1 - Math.Exp(-dtMs / _o.StanceDirectionTauMs));
        Vector3 d = _stanceDir + (w * (direction - _stanceDir));
        float n = d.Length();
        if (n > 1e-6f)
        {
            _stanceDir = d / n;
        }
    }

    private void Remember(long t, double dev)
    {
        int i = (int)(_histCount & _histMask);
        _histTime[i] = t;
        _histDev[i] = (float)dev;
        _histCount++;
    }
}
