using System.Numerics;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Gait;

/// <summary>
/// One foot's gait, causally: stride period and phase with their uncertainty, what the walker is doing
/// (<see cref="GaitState"/>) and, during each swing, when the foot will land.
/// </summary>
/// <remarks>
/// <para>Inputs: every stamped sample of the foot (<see cref="Update"/>) and every footfall the detector emits
/// (<see cref="OnFootfall"/>). The period is the median of the recent regular strides between detected
/// footfalls; a stride off it by more than <see cref="GaitOptions.IrregularFraction"/> breaks the rhythm.</para>
/// <para>Prediction: extrapolating the period misses the next footfall by 20–30 ms (median) and 75–100 ms (p90)
/// on real walks: strides vary. The swing's own course is far more regular near its end, so each swing is
/// followed: the push-off (|a| off gravity by <see cref="GaitOptions.PushOffG"/>), mid swing
/// (<see cref="GaitOptions.SwingArmMs"/> later), then the landing cue, when the acceleration turns away from
/// the stance direction (cosine below <see cref="GaitOptions.LandingCosine"/>, about 70 ms before the
/// landing). The footfall is predicted at the cue plus the median of this foot's recent cue-to-landing
/// times. A prediction is offered only while the rhythm is regular, those times agree
/// (<see cref="GaitOptions.MaxLeadSpreadMs"/>) and the predicted stride fits the period: first steps,
/// stops and turns get none.</para>
/// <para>Allocation-free and O(1) per sample; not thread-safe (the pipeline thread owns it).</para>
/// </remarks>
public sealed class GaitPhaseTracker
{
    private const double NsPerMs = 1e6;

    // Cue-to-landing times outside this range do not belong to the cue (a late cue, a missed landing).
    private const double MinLeadMs = -60;

    private readonly GaitOptions _o;
    private readonly FootSignals _signals;
    private readonly RecentValues _periods;
    private readonly RecentValues _leads;

    private SwingStage _stage;
    private long _stageSinceNs;
    private long _searchFromNs;
    private long _cueNs;
    private bool _hasFootfall;
    private long _lastFootfallNs;
    private int _regularStrides;
    private double _priorPeriodMs;
    private GaitState _walkState;
    private bool _hasPrediction;
    private GaitPrediction _prediction;

    /// <summary>Creates a tracker with validated <paramref name="options"/> (defaults when null; copied).</summary>
    public GaitPhaseTracker(GaitOptions? options = null)
    {
        _o = (options ?? new GaitOptions()).Clone();
        _o.Validate();
        _signals = new FootSignals(new DspDetectorOptions { NominalRateHz = _o.NominalRateHz });
        _periods = new RecentValues(_o.HistoryStrides);
        _leads = new RecentValues(_o.HistoryStrides);
        Reset();
    }

    /// <summary>The options in use (a copy).</summary>
    public GaitOptions Options => _o;

    /// <summary>Stride period in ms (median of the newest three regular strides), 0 while unknown.</summary>
    public double StridePeriodMs { get; private set; }

    /// <summary>Spread of the remembered strides (1.48 × MAD), ms; NaN while unknown.</summary>
    public double PeriodUncertaintyMs => _periods.Count >= 2 ? _periods.Spread() : double.NaN;

    /// <summary>Median time from the landing cue to the detected footfall, ms; NaN while unknown.</summary>
    public double LeadMs => _leads.Count > 0 ? _leads.Median() : double.NaN;

    /// <summary>Spread of the cue-to-landing times (the prediction's uncertainty), ms; NaN with fewer than 2.</summary>
    public double PredictionUncertaintyMs => _leads.Count >= 2 ? _leads.Spread() : double.NaN;

    /// <summary>Session time of the newest detected footfall (0 before one).</summary>
    public long LastFootfallNs => _hasFootfall ? _lastFootfallNs : 0;

    /// <summary>Landing cues seen (one per swing at most).</summary>
    public long Cues { get; private set; }

    /// <summary>Predictions offered (cues while the tracker was confident).</summary>
    public long Predictions { get; private set; }

    /// <summary>Cues not turned into a prediction because the tracker was not confident.</summary>
    public long WithheldCues { get; private set; }

    /// <summary>Withheld cues: the walker was not walking regularly (first steps, a broken rhythm, stopped).</summary>
    public long WithheldNotRegular { get; private set; }

    /// <summary>Withheld cues: fewer than three cue-to-landing times known, or they disagree.</summary>
    public long WithheldLeads { get; private set; }

    /// <summary>Withheld cues: the predicted stride did not fit the period.</summary>
    public long WithheldOffRhythm { get; private set; }

    /// <summary>Footfalls given to <see cref="OnFootfall"/>.</summary>
    public long Footfalls { get; private set; }

    /// <summary>What the walker is doing at session time <paramref name="nowNs"/> (stopped once two strides pass without a footfall).</summary>
    public GaitState StateAt(long nowNs)
    {
        if (!_hasFootfall)
        {
            return GaitState.Stopped;
        }

        double stopMs = StridePeriodMs > 0 ? Math.Max(2 * StridePeriodMs, _o.MaxStrideMs) : _o.MaxStrideMs;
        return (nowNs - _lastFootfallNs) / NsPerMs > stopMs ? GaitState.Stopped : _walkState;
    }

    /// <summary>Phase of the stride at <paramref name="nowNs"/>: 0 at the last footfall, 1 when the next is due by the period; NaN while unknown.</summary>
    public double PhaseAt(long nowNs) =>
        _hasFootfall && StridePeriodMs > 0 ? (nowNs - _lastFootfallNs) / NsPerMs / StridePeriodMs : double.NaN;

    /// <summary>The estimate to stamp on events at <paramref name="nowNs"/>.</summary>
    public GaitStamp StampAt(long nowNs) => new(
        (long)(StridePeriodMs * NsPerMs),
        StateAt(nowNs),
        (float)PeriodUncertaintyMs,
        (float)PredictionUncertaintyMs);

    /// <summary>Forgets the walk.</summary>
    public void Reset()
    {
        _signals.Reset();
        _periods.Clear();
        _leads.Clear();
        _stage = SwingStage.SearchPushOff;
        _stageSinceNs = 0;
        _searchFromNs = long.MinValue;
        _hasFootfall = false;
        _regularStrides = 0;
        _priorPeriodMs = 0;
        _walkState = GaitState.Stopped;
        _hasPrediction = false;
        StridePeriodMs = 0;
    }

    /// <summary>Takes the next stamped sample of this foot; a prediction may become ready (<see cref="TryTakePrediction"/>).</summary>
    public void Update(in ImuSample sample)
    {
        if (!float.IsFinite(sample.X) || !float.IsFinite(sample.Y) || !float.IsFinite(sample.Z))
        {
            return;
        }

        long now = sample.SensorTimeNs;
        _signals.Process(now, new Vector3(sample.X, sample.Y, sample.Z));
        switch (_stage)
        {
            case SwingStage.SearchPushOff:
                if (now >= _searchFromNs && _signals.Deviation >= _o.PushOffG)
                {
                    Enter(SwingStage.Swing, now);
                }

                break;
            case SwingStage.Swing:
                double swingMs = (now - _stageSinceNs) / NsPerMs;
                if (swingMs > _o.MaxStrideMs)
                {
                    Enter(SwingStage.SearchPushOff, now); // no landing followed: standing, or not a push-off
                }
                else if (swingMs >= _o.SwingArmMs && _signals.HasStanceDirection && _signals.Cosine < _o.LandingCosine)
                {
                    Cue(in sample);
                }

                break;
            case SwingStage.Cued:
                if ((now - _cueNs) / NsPerMs > _o.CueTimeoutMs)
                {
                    // The landing was not detected: look for the next swing from here.
                    _searchFromNs = now;
                    Enter(SwingStage.SearchPushOff, now);
                }

                break;
        }
    }

    /// <summary>A footfall the detector emitted for this foot, at session time <paramref name="footfallTimeNs"/>.</summary>
    public void OnFootfall(long footfallTimeNs)
    {
        Footfalls++;
        if (_stage == SwingStage.Cued)
        {
            double leadMs = (footfallTimeNs - _cueNs) / NsPerMs;
            if (leadMs >= MinLeadMs && leadMs <= _o.CueTimeoutMs)
            {
                _leads.Add(leadMs);
            }
        }

        if (_hasFootfall && footfallTimeNs > _lastFootfallNs)
        {
            AddStride((footfallTimeNs - _lastFootfallNs) / NsPerMs);
        }

        _hasFootfall = true;
        _lastFootfallNs = footfallTimeNs;
        double period = StridePeriodMs > 0 ? StridePeriodMs : _o.MinStrideMs;
        _searchFromNs = footfallTimeNs + (long)(_o.PushOffEarliestFraction * period * NsPerMs);
        Enter(SwingStage.SearchPushOff, footfallTimeNs);
    }

    /// <summary>Takes the prediction made by the last <see cref="Update"/>, if any.</summary>
    public bool TryTakePrediction(out GaitPrediction prediction)
    {
        prediction = _prediction;
        bool had = _hasPrediction;
        _hasPrediction = false;
        return had;
    }

    private void AddStride(double strideMs)
    {
        if (strideMs < _o.MinStrideMs)
        {
            return; // a second footfall within one stride (a false detection, a shuffle): not a stride
        }

        if (strideMs > _o.MaxStrideMs)
        {
            // A pause (or footfalls missed): the next steps start a new walk. The cue-to-landing times stay:
            // they belong to the walker's swing, not to the tempo.
            if (StridePeriodMs > 0)
            {
                _priorPeriodMs = StridePeriodMs;
            }

            _periods.Clear();
            _regularStrides = 0;
            StridePeriodMs = 0;
            _walkState = GaitState.Starting;
            return;
        }

        // After a pause the walk before it is the prior: a first stride at that tempo resumes the rhythm at once.
        double reference = StridePeriodMs > 0 ? StridePeriodMs : _periods.Count > 0 ? _periods.Newest : _priorPeriodMs;
        bool regular = !(reference > 0) || Math.Abs(strideMs - reference) <= _o.IrregularFraction * reference;
        bool resumes = regular && StridePeriodMs == 0 && _periods.Count == 0 && _priorPeriodMs > 0;
        _periods.Add(strideMs);
        _regularStrides = regular ? Math.Max(_regularStrides + 1, resumes ? _o.MinStrides : 0) : 0;
        if (_regularStrides >= _o.MinStrides || StridePeriodMs > 0)
        {
            StridePeriodMs = _periods.Median(3);
        }

        if (!regular)
        {
            _walkState = StridePeriodMs > 0 ? GaitState.Turning : GaitState.Starting;
        }
        else if (StridePeriodMs == 0)
        {
            _walkState = GaitState.Starting;
        }
        else
        {
            double history = _periods.Median();
            double recent = _periods.Median(2);
            _walkState = recent < (1 - _o.TempoChangeFraction) * history ? GaitState.SpeedingUp
                : recent > (1 + _o.TempoChangeFraction) * history ? GaitState.Slowing
                : GaitState.Steady;
        }
    }

    private void Cue(in ImuSample sample)
    {
        long now = sample.SensorTimeNs;
        _cueNs = now;
        Enter(SwingStage.Cued, now);
        Cues++;
        GaitState state = StateAt(now);
        bool walking = state is GaitState.Steady or GaitState.SpeedingUp or GaitState.Slowing;
        double spread = PredictionUncertaintyMs;
        bool leadsAgree = _leads.Count >= _o.MinLeads && spread <= _o.MaxLeadSpreadMs;
        if (!walking || !leadsAgree)
        {
            WithheldCues++;
            if (!walking)
            {
                WithheldNotRegular++;
            }
            else
            {
                WithheldLeads++;
            }

            return;
        }

        double leadMs = _leads.Median();
        long predicted = now + (long)(leadMs * NsPerMs);
        double strideMs = (predicted - _lastFootfallNs) / NsPerMs;
        if (Math.Abs(strideMs - StridePeriodMs) > _o.PredictionFitFraction * StridePeriodMs)
        {
            WithheldCues++; // this swing does not fit the rhythm (a turn starting, a missed footfall)
            WithheldOffRhythm++;
            return;
        }

        _prediction = new GaitPrediction(predicted, now, sample.ArrivalTimeNs, StampAt(now));
        _hasPrediction = true;
        Predictions++;
    }

    private void Enter(SwingStage stage, long nowNs)
    {
        _stage = stage;
        _stageSinceNs = nowNs;
    }

    private enum SwingStage
    {
        SearchPushOff,
        Swing,
        Cued,
    }
}
