namespace IolaEdge.Dsp.Detection;

/// <summary>
/// When the gyroscope path steps aside for the acceleration path: a gyroscope too gentle to follow (its pitch sign not
/// settled after <see cref="DspDetectorOptions.GyroMaxUnsettledFootfalls"/> footfalls; it ends when the sign settles or
/// the axis turns), or one whose landings never come (<see cref="DspDetectorOptions.GyroMaxMissedLandings"/>
/// acceleration-path landings in a row left to it without a footfall: its sign or levels are wrong for this walker; it
/// ends when the pitch sign flips or the axis turns).
/// </summary>
/// <remarks>Allocation-free; not thread-safe.</remarks>
internal sealed class GyroSetAside
{
    // A footfall this close before a landing left to the gyroscope path (or any time after it) came with it.
    private const double MissWindowMs = 100;

    private DspDetectorOptions _o;
    private int _sign;
    private int _unsettledFootfalls;
    private bool _distrusted;
    private int _distrustedSign;
    private long _axisChangesSeen;
    private bool _checkPending;
    private long _checkOnsetNs;
    private int _missedStreak;

    /// <summary>Creates the rules for <paramref name="options"/>.</summary>
    public GyroSetAside(DspDetectorOptions options) => _o = options;

    /// <summary>Whether the gyroscope path is set aside now.</summary>
    public bool Active => TooGentle || _distrusted;

    /// <summary>Whether the pitch sign has not settled after so many footfalls that this gyroscope is too gentle to follow.</summary>
    public bool TooGentle { get; private set; }

    /// <summary>Times the gyroscope path was set aside.</summary>
    public long Count { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        TooGentle = _distrusted = _checkPending = false;
        Count = 0;
        _missedStreak = _unsettledFootfalls = _sign = 0;
        _axisChangesSeen = 0;
    }

    /// <summary>Follows the pitch tracker after each sample: a settled sign, a flipped sign or a turned axis ends a set-aside.</summary>
    public void Follow(bool settled, int sign, long axisChanges)
    {
        _sign = sign;
        if (_distrusted && (sign != _distrustedSign || axisChanges != _axisChangesSeen))
        {
            _distrusted = false;
        }

        if (settled || axisChanges != _axisChangesSeen)
        {
            TooGentle = false;
            _unsettledFootfalls = 0;
            _axisChangesSeen = axisChanges;
        }
    }

    /// <summary>A footfall was emitted (by either path): counts toward <see cref="TooGentle"/> while angular velocity arrives and the sign is unsettled.</summary>
    public void FootfallEmitted(bool arriving, bool settled)
    {
        if (arriving && !settled && !TooGentle && _o.GyroMaxUnsettledFootfalls > 0 && ++_unsettledFootfalls >= _o.GyroMaxUnsettledFootfalls)
        {
            Count++;
            TooGentle = true;
        }
    }

    /// <summary>An acceleration-path landing was left to the deciding gyroscope path: <see cref="CheckLeftLanding"/> looks whether a footfall came with it.</summary>
    public void LandingLeft(long onsetNs)
    {
        _checkPending = true;
        _checkOnsetNs = onsetNs;
    }

    /// <summary>An acceleration-path landing came with a footfall already emitted: the paths agree.</summary>
    public void LandingCameWithFootfall() => _missedStreak = 0;

    /// <summary>
    /// The next acceleration-path landing was accepted: did a footfall (the last at <paramref name="lastEmitNs"/>) come
    /// with the one left before it? Sets the gyroscope path aside after too many in a row without, if it was deciding.
    /// </summary>
    public void CheckLeftLanding(long lastEmitNs, bool gyroDeciding)
    {
        if (!_checkPending)
        {
            return;
        }

        _checkPending = false;
        _missedStreak = lastEmitNs < _checkOnsetNs - (long)(MissWindowMs * SignalStep.NsPerMs) ? _missedStreak + 1 : 0;
        if (_o.GyroMaxMissedLandings > 0 && _missedStreak >= _o.GyroMaxMissedLandings && gyroDeciding)
        {
            Count++;
            _distrusted = true;
            _distrustedSign = _sign;
            _missedStreak = 0;
        }
    }
}
