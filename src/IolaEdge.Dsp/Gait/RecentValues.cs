namespace IolaEdge.Dsp.Gait;

/// <summary>The last N values with their median and spread (1.4826 × median absolute deviation). Allocation-free after construction.</summary>
internal sealed class RecentValues
{
    private readonly double[] _values;
    private readonly double[] _scratch;
    private int _next;

    /// <summary>Creates a store for <paramref name="capacity"/> values.</summary>
    public RecentValues(int capacity)
    {
        _values = new double[capacity];
        _scratch = new double[capacity];
    }

    /// <summary>Values held (at most the capacity).</summary>
    public int Count { get; private set; }

    /// <summary>The newest value (NaN when empty).</summary>
    public double Newest => Count == 0 ? double.NaN : _values[(_next - 1 + _values.Length) % _values.Length];

    /// <summary>Adds a value, forgetting the oldest when full.</summary>
    public void Add(double value)
    {
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        Count = Math.Min(Count + 1, _values.Length);
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => Count = _next = 0;

    /// <summary>Median of the newest <paramref name="newest"/> values (all when larger); NaN when empty.</summary>
    public double Median(int newest = int.MaxValue)
    {
        int n = Fill(newest);
        return n == 0 ? double.NaN : MedianOfScratch(n);
    }

    /// <summary>1.4826 × the median absolute deviation from the median (the standard deviation for normal data); NaN when empty.</summary>
    public double Spread()
    {
        int n = Fill(int.MaxValue);
        if (n == 0)
        {
            return double.NaN;
        }

        double median = MedianOfScratch(n);
        for (int i = 0; i < n; i++)
        {
            _scratch[i] = Math.Abs(_scratch[i] - median);
        }

        return 1.4826 * MedianOfScratch(n);
    }

    private int Fill(int newest)
    {
        int n = Math.Min(newest, Count);
        for (int k = 0; k < n; k++)
        {
            _scratch[k] = _values[(_next - 1 - k + (2 * _values.Length)) % _values.Length];
        }

        return n;
    }

    private double MedianOfScratch(int n)
    {
        // Insertion sort: n ≤ 16.
        for (int i = 1; i < n; i++)
        {
            double v = _scratch[i];
            int j = i - 1;
            while (j >= 0 && _scratch[j] > v)
            {
                _scratch[j + 1] = _scratch[j];
                j--;
            }

            _scratch[j + 1] = v;
        }

        return Percentile.MedianOfSorted<double>(_scratch.AsSpan(0, n));
    }
}
