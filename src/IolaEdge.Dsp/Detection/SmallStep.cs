namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The steps the gyroscope path's swing level never arms: the closing step that brings the feet together, a step in a
/// U-turn. The foot turns by a few degrees in the swing direction, lands with an impact too soft for the acceleration
/// path, and lies still after it. A pitch lobe in the swing direction that peaks above
/// <see cref="DspDetectorOptions.GyroSwingDps"/> and turns the foot by at least
/// <see cref="DspDetectorOptions.GyroSmallStepDegrees"/> is a candidate when it ends; its landing is the largest jerk from
/// <see cref="DspDetectorOptions.GyroImpactLookbackMs"/> before the lobe's end to
/// <see cref="DspDetectorOptions.GyroLateImpactWaitMs"/> after it, at least the impact floor, placed at its onset. The
/// detector then holds it for the still foot (<see cref="StillFootHold"/>), as a landing in a walk's first strides, and
/// emits it only if no other footfall came with it.
/// </summary>
/// <remarks>
/// On ipol1-dev-gyro 28 trials end with a labelled closing heel strike; before this stage the gyroscope path found 9
/// of them (docs/detector.md, stop 31). Allocation-free; not thread-safe.
/// </remarks>
internal sealed class SmallStep
{
    private DspDetectorOptions _o;
    private bool _inLobe;
    private double _lobePeak;
    private double _swept;
    private long _previousNs;
    private bool _hasPrevious;
    private bool _watching;
    private long _lobeEndNs;

    /// <summary>Creates the stage for <paramref name="options"/>.</summary>
    public SmallStep(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _inLobe = _watching = _hasPrevious = false;
        _lobePeak = _swept = 0;
    }

    /// <summary>
    /// Takes the newest sample: its time, the pitch rate signed so that the swing is positive (NaN when this sample
    /// carried no angular velocity), whether small steps are looked for now (the gyroscope
    /// path decides with a settled sign), the history (newest first, this sample included) and the impact floor.
    /// Returns true with the landing's onset when a candidate's impact window has closed with an impact in it.
    /// </summary>
    public bool Process(long timeNs, double pitch, bool active, SignalHistory history, double impactFloor, out long onsetNs)
    {
        onsetNs = 0;
        if (!active || _o.GyroSmallStepDegrees <= 0)
        {
            _inLobe = _watching = _hasPrevious = false;
            return false;
        }

        if (double.IsFinite(pitch))
        {
            FollowLobe(timeNs, pitch);
        }

        if (!_watching || (timeNs - _lobeEndNs) / SignalStep.NsPerMs < _o.GyroLateImpactWaitMs)
        {
            return false;
        }

        _watching = false;
        int peak = history.LargestJerkSince(_lobeEndNs - (long)(_o.GyroImpactLookbackMs * SignalStep.NsPerMs));
        if (peak < 0 || history[peak].Jerk < impactFloor)
        {
            return false;
        }

        int onset = history.OnsetBefore(peak, history[peak].TimeNs, _o.OnsetFraction * history[peak].Jerk, _o.OnsetLookbackMs);
        onsetNs = history[onset].TimeNs;
        return true;
    }

    private void FollowLobe(long timeNs, double pitch)
    {
        double stepS = _hasPrevious ? Math.Clamp((timeNs - _previousNs) / 1e9, 0, GyroLanding.MaxSweepStepS) : 0;
        _hasPrevious = true;
        _previousNs = timeNs;
        if (pitch > 0)
        {
            if (!_inLobe)
            {
                _inLobe = true;
                _lobePeak = _swept = 0;
            }

            _lobePeak = Math.Max(_lobePeak, pitch);
            _swept += pitch * stepS;
            return;
        }

        if (_inLobe && _lobePeak >= _o.GyroSwingDps && _swept >= _o.GyroSmallStepDegrees)
        {
            // A window still open for an earlier lobe gives way: its lobe's landing would be this one's swing.
            _watching = true;
            _lobeEndNs = timeNs;
        }

        _inLobe = false;
    }
}
