using System.Numerics;

namespace IolaEdge.Dsp.Detection;

/// <summary>One remembered sample of <see cref="FootSignals"/>.</summary>
/// <param name="TimeNs">Sensor time.</param>
/// <param name="Jerk">Jerk (g/s).</param>
/// <param name="Deviation">|a| − gravity, absolute (g).</param>
/// <param name="Swing">Swing activity (g).</param>
/// <param name="Cosine">Cosine to the stance direction.</param>
internal readonly record struct SignalPoint(long TimeNs, float Jerk, float Deviation, float Swing, float Cosine);

/// <summary>
/// The last second or so of <see cref="SignalPoint"/>s, newest first by index: what an impact's onset and the
/// swing before it are read from once the impact is recognised. Allocation-free after construction.
/// </summary>
internal sealed class SignalHistory
{
    private SignalPoint[] _points;
    private int _mask;
    private long _count;

    /// <summary>Creates a history holding <paramref name="historyMs"/> at twice <paramref name="rateHz"/> (bursts deliver faster than nominal).</summary>
    public SignalHistory(double historyMs, double rateHz)
    {
        int capacity = Capacity(historyMs, rateHz);
        _points = new SignalPoint[capacity];
        _mask = capacity - 1;
    }

    /// <summary>How many points can be read back.</summary>
    public int Count => (int)Math.Min(_count, _points.Length);

    /// <summary>The point <paramref name="back"/> samples before the newest (0 = newest).</summary>
    public ref readonly SignalPoint this[int back] => ref _points[(int)((_count - 1 - back) & _mask)];

    /// <summary>Adds the newest point.</summary>
    public void Add(in SignalPoint point) => _points[(int)(_count++ & _mask)] = point;

    /// <summary>Forgets every point.</summary>
    public void Clear() => _count = 0;

    /// <summary>Grows (never shrinks) to hold <paramref name="historyMs"/> at <paramref name="rateHz"/>; not for the pipeline thread when it grows.</summary>
    public void EnsureCapacity(double historyMs, double rateHz)
    {
        int capacity = Capacity(historyMs, rateHz);
        if (capacity > _points.Length)
        {
            _points = new SignalPoint[capacity];
            _mask = capacity - 1;
            _count = 0;
        }
    }

    private static int Capacity(double historyMs, double rateHz) =>
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, Math.Ceiling(historyMs * rateHz / 1000 * 2)));
}
