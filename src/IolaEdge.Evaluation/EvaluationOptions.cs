using IolaEdge.Dsp;

namespace IolaEdge.Evaluation;

/// <summary>What <see cref="Evaluator.Score"/> computes; validated by <see cref="Validate"/>.</summary>
public sealed class EvaluationOptions
{
    /// <summary>Tolerances in ms (score.py's defaults plus the brief's 0–250 set).</summary>
    public IReadOnlyList<double> TolerancesMs { get; set; } = [0, 10, 25, 50, 75, 100, 150, 250];

    /// <summary>Tolerances in samples (the seed paper's Table II used 0–50 samples).</summary>
    public IReadOnlyList<double> TolerancesSamples { get; set; } = [0, 5, 10, 20, 30, 40, 50];

    /// <summary>Tolerance whose matched pairs give the timing errors and the offset estimate. 0..10000 ms.</summary>
    public double TimingToleranceMs { get; set; } = 100;

    /// <summary>Nominal sensor rate used to express tolerances in samples. 1..10000 Hz.</summary>
    public double NominalRateHz { get; set; } = 200;

    /// <summary>Onset collar of the DCASE event-based score (DCASE's usual 200 ms). 0..10000 ms.</summary>
    public double CollarMs { get; set; } = 200;

    /// <summary>Segment length of the DCASE segment-based score. Footfalls are about 1 s apart, so 250 ms segments still discriminate. 1..60000 ms.</summary>
    public double SegmentMs { get; set; } = 250;

    /// <summary>Confidence level of the offset interval. 0.5..0.999.</summary>
    public double OffsetConfidence { get; set; } = 0.95;

    /// <summary>Score only events with time ≥ this (epoch ms), as score.py's --from-ms.</summary>
    public double? FromMs { get; set; }

    /// <summary>Score only events with time &lt; this (epoch ms), as score.py's --to-ms.</summary>
    public double? ToMs { get; set; }

    /// <summary>Throws naming the first bad key, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public EvaluationOptions Validate()
    {
        foreach (double t in TolerancesMs)
        {
            OptionRange.Check(nameof(TolerancesMs), t, 0, 10_000);
        }

        foreach (double t in TolerancesSamples)
        {
            OptionRange.Check(nameof(TolerancesSamples), t, 0, 10_000);
        }

        OptionRange.Check(nameof(TimingToleranceMs), TimingToleranceMs, 0, 10_000);
        OptionRange.Check(nameof(NominalRateHz), NominalRateHz, 1, 10_000);
        OptionRange.Check(nameof(CollarMs), CollarMs, 0, 10_000);
        OptionRange.Check(nameof(SegmentMs), SegmentMs, 1, 60_000);
        OptionRange.Check(nameof(OffsetConfidence), OffsetConfidence, 0.5, 0.999);
        if (FromMs is double f && ToMs is double to && to <= f)
        {
            throw new ArgumentOutOfRangeException(nameof(ToMs), to, $"{nameof(ToMs)} = {to} must be greater than {nameof(FromMs)} = {f}");
        }

        return this;
    }
}
