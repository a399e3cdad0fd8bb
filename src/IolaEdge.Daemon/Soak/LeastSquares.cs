namespace IolaEdge.Daemon.Soak;

/// <summary>Ordinary least-squares slope of y over x.</summary>
internal static class LeastSquares
{
    /// <summary>
    /// The slope of the best-fit line through the points, or NaN with fewer than two distinct x. A fit,
    /// not end minus start: one GC or page-cache step at either end of the window would otherwise decide it.
    /// </summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return double.NaN;
        }

        double meanX = 0;
        double meanY = 0;
        foreach ((double x, double y) in points)
        {
            meanX += x;
            meanY += y;
        }

        meanX /= points.Count;
        meanY /= points.Count;
        double covariance = 0;
        double varianceX = 0;
        foreach ((double x, double y) in points)
        {
            covariance += (x - meanX) * (y - meanY);
            varianceX += (x - meanX) * (x - meanX);
        }

        return varianceX > 0 ? covariance / varianceX : double.NaN;
    }
}
