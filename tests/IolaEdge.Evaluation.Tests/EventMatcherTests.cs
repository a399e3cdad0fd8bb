using IolaEdge.Evaluation;

namespace IolaEdge.Evaluation.Tests;

/// <summary>Hand-built cases, score.py's selftest re-derived, and a brute-force comparison.</summary>
public sealed class EventMatcherTests
{
    private static EvaluationResult Score(double[] truth, double[] det, double[] tolerances, double? from = null, double? to = null) =>
        Evaluator.Score(truth, det, new double[det.Length], new EvaluationOptions
        {
            TolerancesMs = tolerances, TolerancesSamples = [], FromMs = from, ToMs = to,
        });

    private static ToleranceResult At(EvaluationResult r, double tol) => r.ByTolerance.Single(x => x.ToleranceMs == tol);

    [Fact]
    public void Exact_hits_all_match_at_zero_tolerance()
    {
        EvaluationResult r = Score([0, 1000, 2000], [0, 1000, 2000], [0, 10]);
        Assert.Equal(3, At(r, 0).TruePositives);
        Assert.Equal(1.0, At(r, 0).F1);
    }

    [Fact]
    public void One_detection_cannot_serve_two_truths()
    {
        ToleranceResult b = At(Score([0, 100], [50], [50, 100]), 50);
        Assert.Equal((1, 1, 0), (b.TruePositives, b.FalseNegatives, b.FalsePositives));
    }

    [Fact]
    public void Maximum_cardinality_beats_nearest_first()
    {
        Assert.Equal(2, At(Score([0, 100], [50, 160], [60]), 60).TruePositives);
        Assert.Equal(2, At(Score([100, 0], [160, 50], [60]), 60).TruePositives);
    }

    [Fact]
    public void Among_maximum_matchings_the_total_error_is_minimal()
    {
        EvaluationResult r = Score([0, 100], [10, 90], [100]);
        Assert.Equal(2, At(r, 100).TruePositives);
        Assert.Equal(10.0, r.Timing.MedianAbsErrorMs);
        Assert.Equal(0.0, r.Timing.MedianSignedErrorMs);
    }

    [Fact]
    public void Duplicates_and_empty_inputs_are_counted_as_score_py_counts_them()
    {
        ToleranceResult dup = At(Score([0], [0, 0], [0]), 0);
        Assert.Equal((1, 1, 0), (dup.TruePositives, dup.FalsePositives, dup.FalseNegatives));
        ToleranceResult noDet = At(Score([0, 1], [], [10]), 10);
        Assert.Equal((0, 2, 0.0), (noDet.TruePositives, noDet.FalseNegatives, noDet.F1));
        Assert.Equal(0.0, noDet.Precision);
        Assert.Equal(1, At(Score([], [5], [10]), 10).FalsePositives);
    }

    [Fact]
    public void The_tolerance_boundary_is_inclusive()
    {
        EvaluationResult r = Score([0], [25], [20, 25]);
        Assert.Equal(0, At(r, 20).TruePositives);
        Assert.Equal(1, At(r, 25).TruePositives);
    }

    [Fact]
    public void The_range_keeps_from_inclusive_and_to_exclusive()
    {
        EvaluationResult r = Score([0, 1000, 2000], [5, 1000, 2500], [10], 500, 2100);
        ToleranceResult b = At(r, 10);
        Assert.Equal((2, 1, 1, 1, 0), (r.TruthCount, r.DetectionCount, b.TruePositives, b.FalseNegatives, b.FalsePositives));
    }

    [Fact]
    public void Signed_error_is_detection_minus_truth()
    {
        Assert.Equal(40.0, Score([1000], [1040], [100]).Timing.MedianSignedErrorMs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_cases_agree_with_brute_force_in_count_and_total_error(int seed)
    {
        Random rng = new(seed);
        double[] tolerances = [0, 25, 50, 75, 100];
        List<MatchedPair> pairs = [];
        for (int c = 0; c < 300; c++)
        {
            double[] t = RandomTimes(rng, rng.Next(0, 6));
            double[] d = RandomTimes(rng, rng.Next(0, 6));
            double tol = tolerances[rng.Next(tolerances.Length)];
            Assert.True(EventMatcher.Match(t, d, tol, pairs));
            (int bestCount, double bestCost) = BruteForce(t, d, tol);
            double cost = pairs.Sum(p => Math.Abs(p.ErrorMs));
            Assert.True(pairs.Count == bestCount && Math.Abs(cost - bestCost) < 1e-6,
                $"t=[{string.Join(',', t)}] d=[{string.Join(',', d)}] tol={tol}: got {pairs.Count}/{cost}, best {bestCount}/{bestCost}");
            Assert.Equal(pairs.Count, pairs.Select(p => p.TruthIndex).Distinct().Count());
            Assert.Equal(pairs.Count, pairs.Select(p => p.DetectionIndex).Distinct().Count());
        }
    }

    [Fact]
    public void Chunks_of_a_long_line_are_solved_independently_and_exactly()
    {
        Random rng = new(11);
        List<double> truth = [];
        List<double> det = [];
        for (int k = 0; k < 200; k++)
        {
            double t0 = k * 1000.0;
            truth.Add(t0 + rng.Next(0, 100));
            det.Add(t0 + rng.Next(0, 100));
            if (rng.Next(3) == 0)
            {
                det.Add(t0 + rng.Next(0, 150));
            }
        }

        double[] t = [.. truth.Order()];
        double[] d = [.. det.Order()];
        List<MatchedPair> pairs = [];
        EventMatcher.Match(t, d, 75, pairs);
        int expected = 0;
        double expectedCost = 0;
        for (int k = 0; k < 200; k++)
        {
            double[] tk = [.. t.Where(x => x >= k * 1000.0 && x < (k + 1) * 1000.0)];
            double[] dk = [.. d.Where(x => x >= k * 1000.0 && x < (k + 1) * 1000.0)];
            (int c, double cost) = BruteForce(tk, dk, 75);
            expected += c;
            expectedCost += cost;
        }

        Assert.Equal(expected, pairs.Count);
        Assert.Equal(expectedCost, pairs.Sum(p => Math.Abs(p.ErrorMs)), 6);
    }

    [Fact]
    public void Unsorted_or_non_finite_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => EventMatcher.Match([2, 1], [], 10, []));
        Assert.Throws<ArgumentException>(() => EventMatcher.Match([], [double.NaN], 10, []));
    }

    private static double[] RandomTimes(Random rng, int n)
    {
        double[] x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.Next(0, 600);
        }

        Array.Sort(x);
        return x;
    }

    /// <summary>Best (pairs, least total |error|) over every one-to-one assignment (score.py's selftest oracle).</summary>
    private static (int Count, double Cost) BruteForce(double[] t, double[] d, double tol)
    {
        int bestCount = 0;
        double bestCost = 0;
        bool[] used = new bool[d.Length];
        void Recurse(int i, int count, double cost)
        {
            if (i == t.Length)
            {
                if (count > bestCount || (count == bestCount && cost < bestCost))
                {
                    bestCount = count;
                    bestCost = cost;
                }

                return;
            }

            Recurse(i + 1, count, cost);
            for (int j = 0; j < d.Length; j++)
            {
                double e = Math.Abs(d[j] - t[i]);
                if (!used[j] && e <= tol + EventMatcher.Epsilon)
                {
                    used[j] = true;
                    Recurse(i + 1, count + 1, cost + e);
                    used[j] = false;
                }
            }
        }

        Recurse(0, 0, 0);
        return (bestCount, bestCost);
    }
}
