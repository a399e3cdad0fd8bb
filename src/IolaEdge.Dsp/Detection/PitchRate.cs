using System.Numerics;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The foot's pitch rate (°/s), from a gyroscope mounted any way on the foot: the angular velocity about
/// the axis the foot rotates about most (its medio-lateral axis), signed so that the swing before a
/// landing is positive.
/// </summary>
/// <remarks>
/// <para>Axis: the principal eigenvector of the angular velocity's second moment over the last
/// <see cref="DspDetectorOptions.GyroAxisTauMs"/>, followed by one power iteration per sample. Walking
/// rotates the foot mostly in the sagittal plane, so no mounting needs to be known.</para>
/// <para>Sign: a stride has one long lobe of pitch rate (the swing: the foot rotates toe-up from push-off to
/// landing, 300–450 ms) and two short ones of the other sign (push-off before it, the forefoot coming down
/// after it, 50–250 ms). Each finished lobe votes with its sign weighted by its duration cubed; the sign of
/// the sum makes the swing positive. The vote restarts when the axis turns by more than
/// <see cref="AxisTurnCosine"/> between lobes (the sensor was remounted). Missing data longer than
/// <see cref="LobeGapMs"/> ends the lobe in progress without a vote. Ready once
/// <see cref="DspDetectorOptions.GyroMinLobes"/> lobes have voted and the vote is clear by
/// <see cref="DspDetectorOptions.GyroSignMargin"/>.</para>
/// <para>Allocation-free; not thread-safe. Public because the six-channel <c>onnx-stream</c> model's feature
/// encoder (IolaEdge.Inference) runs the same tracker; training/features.py holds its Python twin.</para>
/// </remarks>
public sealed class PitchRate
{
    private const double NsPerMs = 1e6;
    private const double MaxStepMs = 60;

    // Missing data longer than this ends a lobe without a vote: how long the lobe lasted is unknown, and a lobe
    // measured across a link's dropout (1.5 s, say) would outvote a whole walk's swings. Longer than the dev corpus's
    // lost packets (70 ms at most), shorter than a swing.
    private const double LobeGapMs = 150;

    // A lobe is pitch rate beyond this fraction of the typical peak |ω| of recent lobes, within these bounds (°/s).
    private const double LobeLevelFraction = 0.3;
    private const double MinLobeLevel = 60;
    private const double MaxLobeLevel = 150;
    private const double PeakLevelWeight = 0.1;

    // Lobe durations are measured in tenths of a second before cubing, to keep the vote in a sane range.
    private const double VoteUnitMs = 100;

    private const float AxisTurnCosine = 0.8f;

    private const double SettledVoteWeight = 30;

    private DspDetectorOptions _o;
    private CachedWeight _axisWeight;
    private Matrix4x4 _moment;
    private Vector3 _axis;
    private Vector3 _lobeAxis;
    private bool _hasLobeAxis;
    private long _prevTimeNs;
    private bool _started;
    private int _lobeSign;
    private long _lobeStartNs;
    private double _lobePeak;
    private double _peakLevel;
    private double _vote;
    private double _voteWeight;
    private double _positiveWeight;
    private double _negativeWeight;
    private int _lobes;

    /// <summary>Creates the tracker for <paramref name="options"/>.</summary>
    public PitchRate(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>Angular velocity about the learned axis, before the sign is applied (°/s).</summary>
    public double Raw { get; private set; }

    /// <summary>Pitch rate with the swing positive (°/s); meaningful when <see cref="Ready"/>.</summary>
    public double Value => Raw * Sign;

    /// <summary>+1 or −1: which way of the learned axis makes the swing positive.</summary>
    public int Sign => _vote >= 0 ? 1 : -1;

    /// <summary>Whether axis and sign are known well enough to find landings.</summary>
    public bool Ready => _lobes >= _o.GyroMinLobes && _voteWeight > 0 && Math.Abs(_vote) / _voteWeight >= _o.GyroSignMargin;

    /// <summary>
    /// Whether lobes of both signs, each side worth at least one 100 ms lobe, have voted since the axis was last
    /// found anew. The sign is a comparison of the swing with the lobes around it, so a vote that has seen only one
    /// kind (the heel rising before the walk's first swing, say) has not compared anything yet.
    /// </summary>
    public bool BothSidesSeen => _positiveWeight >= 1 && _negativeWeight >= 1;

    /// <summary>
    /// Whether the sign vote has the weight of about one swing behind it (30: one 310 ms lobe; a 350 ms lobe weighs 43).
    /// Until then a walk's first lobes can still outvote each other: the heel rising before the first swing can last
    /// as long as the swing.
    /// </summary>
    public bool Settled => _voteWeight >= SettledVoteWeight;

    /// <summary>Lobes that have voted on the sign since the axis was last found anew.</summary>
    public int Lobes => _lobes;

    /// <summary>Times the sign vote restarted because the axis turned.</summary>
    public long AxisChanges { get; private set; }

    /// <summary>Gaps in the data longer than a lobe may span: the lobe in progress, if any, ended without a vote.</summary>
    public long DroppedLobes { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _moment = default;
        _axis = Vector3.UnitY;
        _hasLobeAxis = false;
        _started = false;
        _lobeSign = 0;
        _lobePeak = 0;
        _peakLevel = 300;
        _vote = _voteWeight = _positiveWeight = _negativeWeight = 0;
        _lobes = 0;
        Raw = 0;
        AxisChanges = DroppedLobes = 0;
    }

    /// <summary>Takes the next angular velocity (sensor time in ns, °/s in the sensor frame).</summary>
    public void Update(long timeNs, Vector3 omega)
    {
        double gapMs = _started ? (timeNs - _prevTimeNs) / NsPerMs : 0;
        double stepMs = _started ? Math.Clamp(gapMs, 1, MaxStepMs) : 5;
        _started = true;
        _prevTimeNs = timeNs;
        FollowAxis(stepMs, omega);
        Raw = Vector3.Dot(omega, _axis);
        if (gapMs > LobeGapMs && _lobeSign != 0)
        {
            _lobeSign = 0;
            DroppedLobes++;
        }

        VoteOnSign(timeNs, omega.Length());
    }

    private void FollowAxis(double stepMs, Vector3 omega)
    {
        float w = (float)_axisWeight.Of(stepMs, _o.GyroAxisTauMs);
        Matrix4x4 outer = new(
            omega.X * omega.X, omega.X * omega.Y, omega.X * omega.Z, 0,
            omega.Y * omega.X, omega.Y * omega.Y, omega.Y * omega.Z, 0,
            omega.Z * omega.X, omega.Z * omega.Y, omega.Z * omega.Z, 0,
            0, 0, 0, 0);
        _moment += (outer - _moment) * w;
        Vector3 next = Vector3.Transform(_axis, _moment);
        float length = next.Length();
        if (length > 1e-6f)
        {
            next /= length;

            // Power iteration has no sign of its own: keep the axis continuous so the vote stays meaningful.
            _axis = Vector3.Dot(next, _axis) < 0 ? -next : next;
        }
    }

    private void VoteOnSign(long timeNs, double magnitude)
    {
        double level = Math.Clamp(LobeLevelFraction * _peakLevel, MinLobeLevel, MaxLobeLevel);
        int sign = Raw > level ? 1 : Raw < -level ? -1 : 0;
        if (sign != _lobeSign)
        {
            if (_lobeSign != 0)
            {
                FinishLobe(timeNs);
            }

            _lobeSign = sign;
            _lobeStartNs = timeNs;
            _lobePeak = 0;
        }

        if (sign != 0)
        {
            _lobePeak = Math.Max(_lobePeak, magnitude);
        }
    }

    private void FinishLobe(long timeNs)
    {
        if (_hasLobeAxis && Vector3.Dot(_axis, _lobeAxis) < AxisTurnCosine)
        {
            _vote = _voteWeight = _positiveWeight = _negativeWeight = 0;
            _lobes = 0;
            AxisChanges++;
        }

        _lobeAxis = _axis;
        _hasLobeAxis = true;
        double duration = (timeNs - _lobeStartNs) / NsPerMs / VoteUnitMs;
        double weight = duration * duration * duration;
        _vote += _lobeSign * weight;
        _voteWeight += weight;
        if (_lobeSign > 0)
        {
            _positiveWeight += weight;
        }
        else
        {
            _negativeWeight += weight;
        }

        _lobes++;
        _peakLevel += PeakLevelWeight * (_lobePeak - _peakLevel);
    }
}
