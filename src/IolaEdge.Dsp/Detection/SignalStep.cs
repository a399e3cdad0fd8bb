namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The time step the detector's smoothers advance by, shared so that every stage treats a gap alike.
/// </summary>
internal static class SignalStep
{
    /// <summary>Nanoseconds per millisecond.</summary>
    public const double NsPerMs = 1e6;

    /// <summary>
    /// Δt above this is a gap (lost packets): smoothers step as if this much time had passed, and no jerk is
    /// computed across it.
    /// </summary>
    public const double MaxStepMs = 60;

    /// <summary>The step assumed for the first sample, which has no predecessor.</summary>
    public const double FirstStepMs = 5;

    /// <summary>The step from <paramref name="previousNs"/> to <paramref name="timeNs"/>, clamped to 1..<see cref="MaxStepMs"/> ms.</summary>
    public static double Between(long previousNs, long timeNs) => Math.Clamp((timeNs - previousNs) / NsPerMs, 1, MaxStepMs);

    /// <summary>Weight of a new value in a one-pole smoother with time constant <paramref name="tauMs"/> after <paramref name="stepMs"/>.</summary>
    public static double Weight(double stepMs, double tauMs) => 1 - Math.Exp(-stepMs / tauMs);
}

/// <summary>
/// <see cref="SignalStep.Weight"/> remembered for the last step and time constant: a stamped stream steps one
/// period almost every sample, so <see cref="Math.Exp"/> runs only when the step or the time constant changes.
/// Same value as computing it each time (a pure function of the two).
/// </summary>
internal struct CachedWeight
{
    private double _stepMs;
    private double _tauMs;
    private double _weight;

    /// <summary>1 − exp(−<paramref name="stepMs"/>/<paramref name="tauMs"/>).</summary>
    public double Of(double stepMs, double tauMs)
    {
        if (stepMs != _stepMs || tauMs != _tauMs)
        {
            _stepMs = stepMs;
            _tauMs = tauMs;
            _weight = SignalStep.Weight(stepMs, tauMs);
        }

        return _weight;
    }
}
