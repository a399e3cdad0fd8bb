namespace IolaEdge.Dsp.Gate;

/// <summary>Parameters of the shared <see cref="DecisionGate"/> (as in the seed's Android app); validated by <see cref="Validate"/>.</summary>
public sealed class GateOptions
{
    /// <summary>Largest hit window the gate supports.</summary>
    public const int MaxHitWindow = 64;

    /// <summary>A score is a hit when its sample score is at least this. 0..1.</summary>
    public double SampleThreshold { get; set; } = 0.5;

    /// <summary>… and its window score is at least this. 0..1.</summary>
    public double WindowThreshold { get; set; }

    /// <summary>N of N-of-M: hits needed among the last <see cref="HitWindow"/> scores. 1..HitWindow.</summary>
    public int HitsRequired { get; set; } = 1;

    /// <summary>M of N-of-M: how many recent scores are considered. 1..64.</summary>
    public int HitWindow { get; set; } = 1;

    /// <summary>Minimum time between footfalls (refractory), in ms of sensor time. 0..5000.</summary>
    public double MinIntervalMs { get; set; } = 250;

    /// <summary>Throws naming the first bad key, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public GateOptions Validate()
    {
        OptionRange.Check(nameof(SampleThreshold), SampleThreshold, 0, 1);
        OptionRange.Check(nameof(WindowThreshold), WindowThreshold, 0, 1);
        OptionRange.Check(nameof(HitWindow), HitWindow, 1, MaxHitWindow);
        OptionRange.Check(nameof(HitsRequired), HitsRequired, 1, HitWindow);
        OptionRange.Check(nameof(MinIntervalMs), MinIntervalMs, 0, 5000);
        return this;
    }

    /// <summary>A copy (the gate keeps its own, so later edits of this object do nothing until <see cref="DecisionGate.Change"/>).</summary>
    public GateOptions Clone() => (GateOptions)MemberwiseClone();
}
