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

    /// <summary>Index of the newest point at or before <paramref name="timeNs"/> (the oldest point when none is).</summary>
    public int IndexAtOrBefore(long timeNs)
    {
        int k = 0;
        while (k + 1 < Count && this[k].TimeNs > timeNs)
        {
            k++;
        }

        return k;
    }

    /// <summary>
    /// The onset of the impact peaking at index <paramref name="peak"/> (time <paramref name="peakNs"/>): the
    /// oldest point of the unbroken rise before it whose jerk is at least <paramref name="level"/>, at most
    /// <paramref name="lookbackMs"/> before the peak. Both detector paths place footfalls here, where labelled
    /// heel strikes sit (docs/detector.md).
    /// </summary>
    public int OnsetBefore(int peak, long peakNs, double level, double lookbackMs)
    {
        int onset = peak;
        while (onset + 1 < Count && this[onset + 1].Jerk >= level
            && (peakNs - this[onset + 1].TimeNs) / SignalStep.NsPerMs <= lookbackMs)
        {
            onset++;
        }

        return onset;
    }

    /// <summary>The largest deviation from gravity among the newest points down to index <paramref name="back"/> (0 when empty).</summary>
    public float MaxDeviationThrough(int back)
    {
        float max = 0;
        for (int k = 0; k <= back; k++)
        {
            max = Math.Max(max, this[k].Deviation);
        }

        return max;
    }

    /// <summary>The largest deviation from gravity among the points at or after <paramref name="timeNs"/> (0 when none).</summary>
    public float MaxDeviationSince(long timeNs)
    {
        float max = 0;
        for (int k = 0; k < Count && this[k].TimeNs >= timeNs; k++)
        {
            max = Math.Max(max, this[k].Deviation);
        }

        return max;
    }

    /// <summary>How far back the largest jerk at or after <paramref name="timeNs"/> lies (the newest of equal ones); −1 when no point is that recent.</summary>
    public int LargestJerkSince(long timeNs)
    {
        int peak = -1;
        for (int k = 0; k < Count && this[k].TimeNs >= timeNs; k++)
        {
            if (peak < 0 || this[k].Jerk > this[peak].Jerk)
            {
                peak = k;
            }
        }

        return peak;
    }

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
