namespace IolaEdge.Daemon.Latency;

/// <summary>Steps per minute over the last few footfalls of all sensors (session-clock times).</summary>
internal sealed class CadenceEstimator
{
    // Eight footfalls span about four seconds of walking: recent enough to follow tempo changes.
    private const int Window = 8;

    // A pause longer than this restarts the estimate instead of averaging over it.
    private const long MaxGapNs = 3_000_000_000;

    private readonly long[] _times = new long[Window];
    private int _count;
    private int _next;

    /// <summary>Steps per minute, or NaN before two footfalls.</summary>
    public double StepsPerMinute
    {
        get
        {
            if (_count < 2)
            {
                return double.NaN;
            }

            long newest = _times[(_next - 1 + Window) % Window];
            long oldest = _times[(_next - _count + Window) % Window];
            return newest > oldest ? (_count - 1) * 60e9 / (newest - oldest) : double.NaN;
        }
    }

    /// <summary>Adds one footfall (any sensor: cadence counts the walker's steps).</summary>
    public void Add(int sensorId, long footfallTimeNs)
    {
        if (_count > 0)
        {
            long newest = _times[(_next - 1 + Window) % Window];
            if (footfallTimeNs - newest > MaxGapNs || footfallTimeNs < newest)
            {
                _count = 0;
            }
        }

        _times[_next] = footfallTimeNs;
        _next = (_next + 1) % Window;
        _count = Math.Min(_count + 1, Window);
    }
}
