namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Whether the foot is quiet (stance or standing): jerk smoothed over <see cref="DspDetectorOptions.QuietTauMs"/>
/// below max(<see cref="DspDetectorOptions.QuietJerk"/>, <see cref="DspDetectorOptions.NoiseFloorFactor"/> × its
/// <see cref="NoiseFloor"/>) and |a| within <see cref="DspDetectorOptions.QuietDeviationG"/> of gravity, smoothed
/// alike. Allocation-free; not thread-safe.
/// </summary>
internal sealed class QuietDetector
{
    private readonly NoiseFloor _floor;
    private DspDetectorOptions _o;
    private CachedWeight _weight;
    private double _smoothedJerk;
    private double _smoothedDeviation;

    /// <summary>Creates the detector for <paramref name="options"/>.</summary>
    public QuietDetector(DspDetectorOptions options)
    {
        _o = options;
        _floor = new NoiseFloor(options);
    }

    /// <summary>Whether the newest sample is quiet.</summary>
    public bool Quiet { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options)
    {
        _o = options;
        _floor.Change(options);
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _smoothedJerk = _smoothedDeviation = 0;
        _floor.Reset();
        Quiet = false;
    }

    /// <summary>Takes the next sample's jerk (g/s) and deviation from gravity (g) after <paramref name="stepMs"/>; returns whether it is quiet.</summary>
    public bool Process(double stepMs, double jerk, double deviation)
    {
        double w = _weight.Of(stepMs, _o.QuietTauMs);
        _smoothedJerk += w * (jerk - _smoothedJerk);
        _smoothedDeviation += w * (deviation - _smoothedDeviation);
        double floor = _floor.Process(stepMs, _smoothedJerk);
        Quiet = _smoothedJerk < Math.Max(_o.QuietJerk, _o.NoiseFloorFactor * floor) && _smoothedDeviation < _o.QuietDeviationG;
        return Quiet;
    }
}
