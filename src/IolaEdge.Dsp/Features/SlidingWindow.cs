namespace IolaEdge.Dsp.Features;

/// <summary>
/// Sliding windows of feature rows (size W rows, stride S rows) over a preallocated ring, for
/// window detectors (the seed's 600-sample Conv-BiLSTM).
/// </summary>
/// <remarks>
/// Each row is written twice, at ring slot i and i + W, in a buffer of 2W rows; the last W rows are
/// therefore always contiguous and <see cref="Current"/> exposes them as one span, oldest row first,
/// without copying the window. Per sample the cost is two row copies (2 × features floats), never
/// the window. The first window completes after W rows, then one every S rows.
/// Allocation-free after construction; not thread-safe (the pipeline thread owns it).
/// </remarks>
public sealed class SlidingWindow
{
    private readonly float[] _buffer;
    private readonly int _featureCount;
    private readonly int _size;
    private readonly int _stride;

    // Ring slot (0..W-1) the next row goes to.
    private int _next;

    // Rows pushed since Reset (only compared with W, to know whether the window is full).
    private long _pushed;

    // Rows left until the next window completes (after the first).
    private int _untilNext;

    /// <summary>Creates a window of <paramref name="size"/> rows that advances by <paramref name="stride"/> rows.</summary>
    /// <param name="featureCount">Floats per row (usually <see cref="FeatureLayout.Count"/>).</param>
    /// <param name="size">Rows per window (W ≥ 1).</param>
    /// <param name="stride">Rows between consecutive windows (1 ≤ S ≤ W).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter outside its range.</exception>
    public SlidingWindow(int featureCount, int size, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        if (stride > size)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride,
                $"The stride must be between 1 and the window size ({size}).");
        }

        if ((long)featureCount * size * 2 > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The window is too large to preallocate.");
        }

        _featureCount = featureCount;
        _size = size;
        _stride = stride;
        _buffer = new float[2 * size * featureCount];
        _untilNext = size;
    }

    /// <summary>Floats per row.</summary>
    public int FeatureCount => _featureCount;

    /// <summary>Rows per window (W).</summary>
    public int Size => _size;

    /// <summary>Rows between windows (S).</summary>
    public int Stride => _stride;

    /// <summary>True once W rows have been pushed since construction or <see cref="Reset"/>.</summary>
    public bool IsFull => _pushed >= _size;

    /// <summary>
    /// The last W rows, row-major, oldest first (W × features floats). Valid until the next
    /// <see cref="Push"/> or <see cref="Reset"/>; only meaningful when <see cref="IsFull"/>.
    /// </summary>
    public ReadOnlySpan<float> Current => _buffer.AsSpan(_next * _featureCount, _size * _featureCount);

    /// <summary>Appends one feature row.</summary>
    /// <param name="row">At least <see cref="FeatureCount"/> floats; the first FeatureCount are used.</param>
    /// <returns>True when this row completed a window (then read <see cref="Current"/> or <see cref="CopyTo"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="row"/> is too short.</exception>
    public bool Push(ReadOnlySpan<float> row)
    {
        if (row.Length < _featureCount)
        {
            ThrowRowTooShort(row.Length, _featureCount, nameof(row));
        }

        ReadOnlySpan<float> source = row[.._featureCount];
        source.CopyTo(_buffer.AsSpan(_next * _featureCount, _featureCount));
        source.CopyTo(_buffer.AsSpan((_next + _size) * _featureCount, _featureCount));
        _next = _next + 1 == _size ? 0 : _next + 1;
        _pushed++;

        if (--_untilNext > 0)
        {
            return false;
        }

        _untilNext = _stride;
        return true;
    }

    /// <summary>Copies the current window (W × features floats, oldest row first) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="InvalidOperationException">Fewer than W rows pushed since <see cref="Reset"/>.</exception>
    public void CopyTo(Span<float> destination)
    {
        if (!IsFull)
        {
            throw new InvalidOperationException(
                $"The window holds {_pushed} of {_size} rows; wait until Push returns true.");
        }

        if (destination.Length < _size * _featureCount)
        {
            throw new ArgumentException(
                $"The destination needs {_size * _featureCount} floats; it has {destination.Length}.",
                nameof(destination));
        }

        Current.CopyTo(destination);
    }

    /// <summary>Empties the window (after a gap, a reconnect, or between recordings).</summary>
    public void Reset()
    {
        _next = 0;
        _pushed = 0;
        _untilNext = _size;
    }

    private static void ThrowRowTooShort(int length, int features, string paramName) =>
        throw new ArgumentException($"A row needs {features} floats; the span has {length}.", paramName);
}
