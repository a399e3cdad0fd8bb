namespace IolaEdge.Dsp.Detection;

/// <summary>
/// A minimum-statistics noise floor: it follows every new minimum of its input at once and creeps up towards it
/// otherwise, over <see cref="DspDetectorOptions.NoiseFloorRiseMs"/>, so a sensor noisier than the fixed quiet
/// threshold still has stances. Allocation-free; not thread-safe.
/// </summary>
internal sealed class NoiseFloor
{
    private DspDetectorOptions _o;
    private CachedWeight _weight;

    /// <summary>Creates the floor for <paramref name="options"/>' rise time.</summary>
    public NoiseFloor(DspDetectorOptions options) => _o = options;

    /// <summary>The floor (the input's unit; 0 before any input).</summary>
    public double Value { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets the floor.</summary>
    public void Reset() => Value = 0;

    /// <summary>Takes the next value after <paramref name="stepMs"/>; returns the floor.</summary>
    public double Process(double stepMs, double value)
    {
        Value = value < Value || Value == 0
            ? value
            : Value + (_weight.Of(stepMs, _o.NoiseFloorRiseMs) * (value - Value));
        return Value;
    }
}
