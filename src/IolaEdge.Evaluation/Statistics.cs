namespace IolaEdge.Evaluation;

/// <summary>
/// Order statistics of the evaluation beyond percentiles (those are <see cref="IolaEdge.Dsp.Percentile"/>, the
/// project's one definition, numpy's). Offline code.
/// </summary>
public static class Statistics
{
    /// <summary>
    /// Distribution-free confidence interval for the median: the order statistics x(k) and x(n+1−k)
    /// with the largest k such that P(Binomial(n, ½) &lt; k) ≤ (1 − level)/2.
    /// </summary>
    /// <returns>(lower, upper), NaN when there are too few values for the level.</returns>
    public static (double Lower, double Upper) MedianConfidenceInterval(ReadOnlySpan<double> values, double level = 0.95)
    {
        int n = values.Length;
        double[] s = values.ToArray();
        Array.Sort(s);
        double alphaHalf = (1 - level) / 2;

        // cdf accumulates P(B <= r) for B ~ Binomial(n, 1/2), in log space for large n.
        double logHalfN = n * Math.Log(0.5);
        double logC = 0; // log C(n, 0)
        double cdf = 0;
        int k = 0;
        for (int r = 0; r < n; r++)
        {
            cdf += Math.Exp(logC + logHalfN);
            if (cdf > alphaHalf)
            {
                break;
            }

            k = r + 1; // P(B <= r) = P(B < r + 1) <= alpha/2, so x(r+1) is a valid lower rank
            logC += Math.Log(n - r) - Math.Log(r + 1);
        }

        if (k < 1)
        {
            return (double.NaN, double.NaN);
        }

        return (s[k - 1], s[n - k]);
    }
}
