namespace IolaEdge.Dsp.Features;

/// <summary>
/// Standardises feature rows in place: <c>(value − mean[i]) / scale[i]</c> per column, as
/// scikit-learn's StandardScaler does (the scaler of the seed's training code).
/// </summary>
/// <remarks>
/// Mean and scale come from model metadata or from <see cref="Fit"/>. <see cref="Transform"/> is
/// allocation-free; the arrays are copied at construction, so later changes to the caller's arrays
/// have no effect. Immutable, hence safe to share between threads.
/// </remarks>
public sealed class StandardScaler
{
    private readonly float[] _mean;
    private readonly float[] _inverseScale;
    private readonly float[] _scale;

    /// <summary>Creates a scaler from per-feature means and scales (standard deviations).</summary>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">
    /// Empty arrays, lengths that differ, a non-finite mean, or a scale that is not positive and finite.
    /// </exception>
    public StandardScaler(IReadOnlyList<float> mean, IReadOnlyList<float> scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Count == 0)
        {
            throw new ArgumentException("The scaler needs at least one feature; mean is empty.", nameof(mean));
        }

        if (mean.Count != scale.Count)
        {
            throw new ArgumentException(
                $"mean has {mean.Count} values but scale has {scale.Count}; they must match (one per feature).",
                nameof(scale));
        }

        _mean = new float[mean.Count];
        _scale = new float[mean.Count];
        _inverseScale = new float[mean.Count];
        for (int i = 0; i < mean.Count; i++)
        {
            if (!float.IsFinite(mean[i]))
            {
                throw new ArgumentException($"mean[{i}] = {mean[i]} is not a finite number.", nameof(mean));
            }

            if (!float.IsFinite(scale[i]) || scale[i] <= 0)
            {
                throw new ArgumentException($"scale[{i}] = {scale[i]} must be positive and finite.", nameof(scale));
            }

            _mean[i] = mean[i];
            _scale[i] = scale[i];
            _inverseScale[i] = 1f / scale[i];
        }
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Per-feature means (a copy-free read-only view).</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Per-feature scales (a copy-free read-only view).</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>Standardises one or more consecutive rows in place.</summary>
    /// <param name="rows">A whole number of rows of <see cref="FeatureCount"/> floats each.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="FeatureCount"/>.</exception>
    public void Transform(Span<float> rows)
    {
        int features = _mean.Length;
        if (rows.Length % features != 0)
        {
            ThrowBadLength(rows.Length, features, nameof(rows));
        }

        // Span locals of equal length let the JIT drop most bounds checks in the inner loop.
        ReadOnlySpan<float> mean = _mean;
        ReadOnlySpan<float> inverseScale = _inverseScale.AsSpan(0, mean.Length);
        for (int start = 0; start < rows.Length; start += features)
        {
            Span<float> row = rows.Slice(start, mean.Length);
            for (int i = 0; i < mean.Length; i++)
            {
                row[i] = (row[i] - mean[i]) * inverseScale[i];
            }
        }
    }

    /// <summary>
    /// Fits mean and population standard deviation per column of <paramref name="rows"/>
    /// (row-major, <paramref name="featureCount"/> columns). A constant column gets scale 1.
    /// For tools and training data preparation; allocates, not for the pipeline thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">No rows, a partial row, or a non-finite value.</exception>
    public static StandardScaler Fit(ReadOnlySpan<float> rows, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (rows.Length == 0 || rows.Length % featureCount != 0)
        {
            throw new ArgumentException(
                $"Fit needs one or more whole rows of {featureCount} floats; got {rows.Length} floats.", nameof(rows));
        }

        int count = rows.Length / featureCount;
        double[] sum = new double[featureCount];
        for (int r = 0; r < count; r++)
        {
            for (int i = 0; i < featureCount; i++)
            {
                float v = rows[(r * featureCount) + i];
                if (!float.IsFinite(v))
                {
                    throw new ArgumentException($"Row {r}, feature {i} is {v}; Fit needs finite values.", nameof(rows));
                }

                sum[i] += v;
            }
        }

        float[] mean = new float[featureCount];
        for (int i = 0; i < featureCount; i++)
        {
            mean[i] = (float)(sum[i] / count);
        }

        // Second pass about the mean: numerically stable for the small variances of dt.
        double[] squares = new double[featureCount];
        for (int r = 0; r < count; r++)
        {
            for (int i = 0; i < featureCount; i++)
            {
                double d = rows[(r * featureCount) + i] - (sum[i] / count);
                squares[i] += d * d;
            }
        }

        float[] scale = new float[featureCount];
        for (int i = 0; i < featureCount; i++)
        {
            double std = Math.Sqrt(squares[i] / count);
            scale[i] = std > 1e-12 && double.IsFinite(std) ? (float)std : 1f;
        }

        return new StandardScaler(mean, scale);
    }

    private static void ThrowBadLength(int length, int features, string paramName) =>
        throw new ArgumentException(
            $"Transform needs whole rows of {features} floats; the span has {length} floats.", paramName);
}
