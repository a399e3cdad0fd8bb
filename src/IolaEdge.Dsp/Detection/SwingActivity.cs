namespace IolaEdge.Dsp.Detection;

/// <summary>
/// How hard the foot moves: the larger of |a|'s deviation from gravity and 0.01 s × jerk, smoothed over
/// <see cref="DspDetectorOptions.SwingTauMs"/> (g). The jerk term keeps a swing that pitches the foot at about 1 g
/// visible. Allocation-free; not thread-safe.
/// </summary>
internal sealed class SwingActivity
{
    private DspDetectorOptions _o;
    private CachedWeight _weight;

    /// <summary>Creates the activity for <paramref name="options"/>' time constant.</summary>
    public SwingActivity(DspDetectorOptions options) => _o = options;

    /// <summary>The activity (g).</summary>
    public double Value { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Back to rest.</summary>
    public void Reset() => Value = 0;

    /// <summary>Takes the next sample's deviation (g) and jerk (g/s) after <paramref name="stepMs"/>; returns the activity.</summary>
    public double Process(double stepMs, double deviation, double jerk)
    {
        Value += _weight.Of(stepMs, _o.SwingTauMs) * (Math.Max(deviation, 0.01 * jerk) - Value);
        return Value;
    }
}
