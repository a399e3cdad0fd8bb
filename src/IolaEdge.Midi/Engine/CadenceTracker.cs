namespace IolaEdge.Midi.Engine;

/// <summary>
/// Smoothed walking cadence from footfall session times (all sensors merged): an exponential
/// moving average of step intervals. A gap longer than the stop time restarts it. MIDI thread only.
/// </summary>
internal sealed class CadenceTracker
{
    private long _lastStepNs;
    private bool _hasStep;
    private double _intervalNs;

    /// <summary>Smoothed steps per minute, or 0 before two steps.</summary>
    public double StepsPerMinute => _intervalNs > 0 ? 60e9 / _intervalNs : 0;

    /// <summary>Steps since the cadence (re)started.</summary>
    public long StepsInWalk { get; private set; }

    /// <summary>Adds a step at session time <paramref name="footfallTimeNs"/>.</summary>
    /// <returns>True when this step started a new walk (first step, or after a gap).</returns>
    public bool AddStep(long footfallTimeNs, double smoothing, long gapNs)
    {
        long interval = footfallTimeNs - _lastStepNs;
        bool newWalk = !_hasStep || interval <= 0 || interval > gapNs;
        _lastStepNs = footfallTimeNs;
        _hasStep = true;
        if (newWalk)
        {
            _intervalNs = 0;
            StepsInWalk = 1;
            return true;
        }

        _intervalNs = _intervalNs == 0 ? interval : _intervalNs + (smoothing * (interval - _intervalNs));
        StepsInWalk++;
        return false;
    }

    /// <summary>Forgets the walk (after Stop).</summary>
    public void Reset()
    {
        _hasStep = false;
        _intervalNs = 0;
        StepsInWalk = 0;
    }
}
