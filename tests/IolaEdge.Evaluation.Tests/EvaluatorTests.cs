using IolaEdge.Evaluation;

namespace IolaEdge.Evaluation.Tests;

public sealed class EvaluatorTests
{
    [Fact]
    public void The_median_interval_uses_binomial_order_statistics()
    {
        // n = 10: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024, so the 95 % interval is [x(2), x(9)].
        double[] x = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
        Assert.Equal((2.0, 9.0), Statistics.MedianConfidenceInterval(x, 0.95));

        // n = 5: P(B <= 0) = 1/32 > 0.025: no 95 % interval exists.
        Assert.True(double.IsNaN(Statistics.MedianConfidenceInterval([1, 2, 3, 4, 5], 0.95).Lower));
    }

    [Fact]
    public void Tolerances_in_samples_use_the_nominal_period()
    {
        EvaluationResult r = Evaluator.Score([0, 1000], [12, 1030], [0, 0], new EvaluationOptions
        {
            TolerancesMs = [10, 100], TolerancesSamples = [2, 5], NominalRateHz = 200,
        });
        Assert.Equal(20.0, r.ByTolerance[1].ToleranceSamples);
        Assert.Equal((10.0, 0), (r.BySamples[0].ToleranceMs, r.BySamples[0].TruePositives));
        Assert.Equal((25.0, 1), (r.BySamples[1].ToleranceMs, r.BySamples[1].TruePositives));
    }

    [Fact]
    public void Timing_latency_offset_and_dcase_blocks_are_computed_from_matches()
    {
        double[] truth = [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000];
        double[] det = [1040, 2040, 3040, 4040, 5040, 6030, 7050, 8040, 9040, 10040, 10500];
        double[] lat = [30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 90];
        EvaluationResult r = Evaluator.Score(truth, det, lat, new EvaluationOptions { SegmentMs = 1000 });
        Assert.Equal((10, 40.0, 40.0), (r.Timing.Pairs, r.Timing.MedianSignedErrorMs, r.Timing.MedianAbsErrorMs));
        Assert.Equal((30.0, 90.0), (r.Latency.P50Ms, r.Latency.MaxMs));
        Assert.Equal(30.0, r.Latency.P90Ms, 6); // rank 0.9 × 10 = 9 of 11 sorted values
        Assert.Equal(40.0, r.Offset.MedianMs);
        Assert.True(r.Offset.CiLowMs <= 40 && r.Offset.CiHighMs >= 40);

        // Event-based at a 200 ms collar: 10 TP, 1 FP; ER = (0 + 1) / 10.
        Assert.Equal(0.1, r.Dcase.EventErrorRate, 10);
        Assert.Equal(2 * (10.0 / 11) / ((10.0 / 11) + 1), r.Dcase.EventF1, 10);

        // Segments of 1 s from 1000 ms: the extra detection shares the last truth's segment.
        Assert.Equal(1.0, r.Dcase.SegmentF1);
    }

    [Fact]
    public void Bad_options_fail_naming_the_key()
    {
        Assert.Equal("TolerancesMs", Assert.Throws<ArgumentOutOfRangeException>(
            () => new EvaluationOptions { TolerancesMs = [-1] }.Validate()).ParamName);
        Assert.Equal("ToMs", Assert.Throws<ArgumentOutOfRangeException>(
            () => new EvaluationOptions { FromMs = 10, ToMs = 5 }.Validate()).ParamName);
        Assert.Throws<ArgumentException>(() => Evaluator.Score([1], [1], [], new EvaluationOptions()));
    }
}
