namespace IolaEdge.Daemon.Soak;

/// <summary>Percentiles of a small set of values (a quarter of a soak's footfalls).</summary>
internal static class Percentile
{
    /// <summary>
    /// The nearest-rank percentile (the smallest value with at least <paramref name="percent"/> % of the values
    /// at or below it), or NaN for no values. NaN inputs are ignored.
    /// </summary>
    public static double Of(IEnumerable<double> values, double percent)
    {
        double[] sorted = [.. values.Where(v => !double.IsNaN(v)).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
