using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace IolaEdge.Dsp;

/// <summary>
/// The project's one percentile: linear interpolation between the closest ranks (Hyndman and Fan's type 7, the
/// default of numpy.percentile and of R's quantile). The p-th percentile of n ascending values x₀…xₙ₋₁ lies at
/// position h = p/100 × (n − 1) and is x⌊h⌋ + (h − ⌊h⌋) × (x⌊h⌋+1 − x⌊h⌋); the median is the 50th percentile,
/// the mean of the two middle values when n is even.
/// </summary>
/// <remarks>
/// <para>Why this one: eval's figures must agree with the independent scorer (score.py), which uses numpy. The
/// interpolation is written as numpy.percentile writes it (from the upper value when the fraction is at least ½),
/// and the median as numpy.median computes it (the two middle values averaged), so both agree with numpy to the
/// last bit, not just to the rounding (checked on 180 000 random cases; the plain a + f × (b − a) differed in 7 %
/// of them, in the last bit).</para>
/// <para>The live latency histograms (HdrHistogram, <c>LatencyHistograms</c> in the daemon) are not sets of values
/// but buckets; their percentiles are HdrHistogram's own, within its stated precision.</para>
/// <para><see cref="OfSorted{T}"/> allocates nothing (safe on any thread); <see cref="Of"/> sorts a copy:
/// not for the pipeline thread.</para>
/// </remarks>
internal static class Percentile
{
    /// <summary>
    /// The <paramref name="percent"/>-th percentile (0..100) of ascending <paramref name="sorted"/>; NaN when
    /// empty. Allocation-free.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> outside 0..100.</exception>
    public static double OfSorted<T>(ReadOnlySpan<T> sorted, double percent)
        where T : INumberBase<T>
    {
        if (!(percent >= 0 && percent <= 100))
        {
            ThrowPercentOutOfRange(percent);
        }

        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        double position = percent / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double fraction = position - below;
        double low = double.CreateChecked(sorted[below]);
        double high = double.CreateChecked(sorted[above]);
        double difference = high - low;

        // numpy's _lerp: from the nearer end, so the result is exact at both ends and matches numpy bit for bit.
        return fraction >= 0.5 ? high - (difference * (1 - fraction)) : low + (difference * fraction);
    }

    /// <summary>The <paramref name="percent"/>-th percentile (0..100) of <paramref name="values"/> in any order; NaN when empty. Sorts a copy.</summary>
    public static double Of(ReadOnlySpan<double> values, double percent)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return OfSorted<double>(sorted, percent);
    }

    /// <summary>
    /// The median (50th percentile) of ascending <paramref name="sorted"/>: the middle value, or the mean of the two
    /// middle values; NaN when empty. Allocation-free.
    /// </summary>
    public static double MedianOfSorted<T>(ReadOnlySpan<T> sorted)
        where T : INumberBase<T>
    {
        int n = sorted.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        double upper = double.CreateChecked(sorted[n / 2]);
        return (n & 1) == 1 ? upper : (double.CreateChecked(sorted[(n / 2) - 1]) + upper) / 2;
    }

    /// <summary>The median of <paramref name="values"/> in any order; NaN when empty. Sorts a copy.</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return MedianOfSorted<double>(sorted);
    }

    [DoesNotReturn]
    private static void ThrowPercentOutOfRange(double percent) =>
        throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile lies in 0..100.");
}
