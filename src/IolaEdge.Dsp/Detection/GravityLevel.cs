namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The |a| the sensor reads at rest, learned only while the foot is quiet: it drifts slowly with calibration and
/// temperature, and a 2 s time constant follows that drift, not the walk. Allocation-free; not thread-safe.
/// </summary>
internal sealed class GravityLevel
{
    private const double TauMs = 2000;

    private CachedWeight _weight;

    /// <summary>Creates a level of 1 g.</summary>
    public GravityLevel() => Reset();

    /// <summary>The level (g).</summary>
    public double Value { get; private set; }

    /// <summary>Back to 1 g.</summary>
    public void Reset() => Value = 1;

    /// <summary>Takes the next |a| (g) after <paramref name="stepMs"/>; learns from it only when <paramref name="quiet"/>.</summary>
    public void Process(double stepMs, double magnitude, bool quiet)
    {
        if (quiet)
        {
            Value += _weight.Of(stepMs, TauMs) * (magnitude - Value);
        }
    }
}
