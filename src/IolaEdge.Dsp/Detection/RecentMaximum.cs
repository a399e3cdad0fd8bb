namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The largest value seen over roughly the last span of time, kept as the maxima of ten consecutive blocks
/// (a block-granular sliding maximum: O(1) per sample, no allocation).
/// </summary>
internal sealed class RecentMaximum
{
    private const int Blocks = 10;
    private readonly double[] _blockMax = new double[Blocks];
    private long _blockNs;
    private long _blockStartNs;
    private int _current;
    private bool _started;

    /// <summary>Creates a maximum over <paramref name="spanMs"/>.</summary>
    public RecentMaximum(double spanMs) => Change(spanMs);

    /// <summary>The maximum over the span (0 before any value).</summary>
    public double Value { get; private set; }

    /// <summary>Sets a new span, keeping what was seen.</summary>
    public void Change(double spanMs) => _blockNs = (long)(spanMs * 1e6 / Blocks);

    /// <summary>Forgets every value.</summary>
    public void Reset()
    {
        Array.Clear(_blockMax);
        _started = false;
        Value = 0;
    }

    /// <summary>Adds the value of the sample at <paramref name="timeNs"/>.</summary>
    public void Add(long timeNs, double value)
    {
        if (!_started)
        {
            _started = true;
            _blockStartNs = timeNs;
        }

        // Start a new block for each block length passed; a long gap clears them all.
        int advanced = 0;
        while (timeNs - _blockStartNs >= _blockNs && advanced < Blocks)
        {
            _current = (_current + 1) % Blocks;
            _blockMax[_current] = 0;
            _blockStartNs += _blockNs;
            advanced++;
        }

        if (timeNs - _blockStartNs >= _blockNs)
        {
            _blockStartNs = timeNs;
        }

        if (value > _blockMax[_current])
        {
            _blockMax[_current] = value;
        }

        double max = 0;
        for (int i = 0; i < Blocks; i++)
        {
            max = Math.Max(max, _blockMax[i]);
        }

        Value = max;
    }
}
