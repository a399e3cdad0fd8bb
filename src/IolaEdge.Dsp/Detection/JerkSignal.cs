using System.Numerics;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Jerk |a⃗(t) − a⃗(t − span)| / Δt against the newest earlier sample at least
/// <see cref="DspDetectorOptions.JerkSpanMs"/> old: a one-sample difference would double at 200 Hz what it is at
/// 100 Hz. 0 when that sample lies across a gap. Allocation-free; not thread-safe.
/// </summary>
internal sealed class JerkSignal
{
    // Enough raw samples for the longest span (50 ms) even in a burst delivered faster than nominal.
    private const int RawCapacity = 64;

    private readonly long[] _rawTime = new long[RawCapacity];
    private readonly Vector3[] _raw = new Vector3[RawCapacity];
    private DspDetectorOptions _o;
    private int _rawCount;
    private int _rawNext;

    /// <summary>Creates the signal for <paramref name="options"/>' span.</summary>
    public JerkSignal(DspDetectorOptions options) => _o = options;

    /// <summary>Applies new options, keeping the remembered samples.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets every sample.</summary>
    public void Reset() => _rawCount = _rawNext = 0;

    /// <summary>Takes the next sample (sensor time in ns, acceleration in g) and returns its jerk (g/s).</summary>
    public double Process(long timeNs, Vector3 a)
    {
        double jerk = JerkOver(timeNs, a);
        _rawTime[_rawNext] = timeNs;
        _raw[_rawNext] = a;
        _rawNext = (_rawNext + 1) % RawCapacity;
        _rawCount = Math.Min(_rawCount + 1, RawCapacity);
        return jerk;
    }

    private double JerkOver(long timeNs, Vector3 a)
    {
        // Half a millisecond of slack: two samples one span apart on a rounded or jittered clock still make it.
        double spanMs = _o.JerkSpanMs - 0.5;
        for (int k = 1; k <= _rawCount; k++)
        {
            int i = (_rawNext - k + RawCapacity) % RawCapacity;
            double dtMs = (timeNs - _rawTime[i]) / SignalStep.NsPerMs;
            if (dtMs >= spanMs)
            {
                return dtMs <= SignalStep.MaxStepMs ? (a - _raw[i]).Length() / (dtMs / 1000) : 0;
            }
        }

        return 0;
    }
}
