namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Confirms an accepted impact when a stance follows it: quiet for <see cref="DspDetectorOptions.StanceConfirmMs"/>,
/// starting within <see cref="DspDetectorOptions.ConfirmWindowMs"/> of the impact's onset. A push-off or a swing
/// burst is not followed by a stance, so only real footfalls anchor the <see cref="StrideRhythm"/>.
/// Allocation-free; not thread-safe.
/// </summary>
internal sealed class StanceConfirmation
{
    private DspDetectorOptions _o;
    private bool _inStance;
    private bool _stanceCounted;
    private long _stanceStartNs;
    private bool _hasPending;
    private long _pendingNs;

    /// <summary>Creates the confirmation for <paramref name="options"/>.</summary>
    public StanceConfirmation(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets the stance and the impact waiting for it.</summary>
    public void Reset() => _inStance = _stanceCounted = _hasPending = false;

    /// <summary>An impact with its onset at <paramref name="onsetNs"/> was accepted: the next stance may confirm it (it replaces any earlier one).</summary>
    public void Expect(long onsetNs)
    {
        _hasPending = true;
        _pendingNs = onsetNs;
    }

    /// <summary>
    /// Takes the next sample's time and whether it is quiet; returns true, with the onset of the confirmed impact,
    /// when a stance has just lasted long enough after an accepted impact.
    /// </summary>
    public bool Process(long timeNs, bool quiet, out long confirmedOnsetNs)
    {
        confirmedOnsetNs = 0;
        if (!quiet)
        {
            _inStance = false;
            return false;
        }

        if (!_inStance)
        {
            _inStance = true;
            _stanceCounted = false;
            _stanceStartNs = timeNs;
        }

        if (_stanceCounted || (timeNs - _stanceStartNs) / SignalStep.NsPerMs < _o.StanceConfirmMs)
        {
            return false;
        }

        _stanceCounted = true;
        double sinceImpactMs = (_stanceStartNs - _pendingNs) / SignalStep.NsPerMs;
        if (!_hasPending || sinceImpactMs < 0 || sinceImpactMs > _o.ConfirmWindowMs)
        {
            return false;
        }

        _hasPending = false;
        confirmedOnsetNs = _pendingNs;
        return true;
    }
}
