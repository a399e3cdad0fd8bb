namespace IolaEdge.Midi;

/// <summary>
/// Asks whether a port's peer is still there, every rescan interval, for the input and output supervisors alike. A port
/// is called gone only when two probes in a row miss it, the second soon after the first.
/// </summary>
/// <remarks>One missed probe can be a port list read while another client registers or unregisters a port; dropping
/// the port then would cost a rescan interval of silence until the reopen.</remarks>
internal sealed class PortPresence(TimeSpan rescanInterval)
{
    private const long RecheckNs = 100_000_000;
    private readonly long _intervalNs = (long)rescanInterval.TotalMilliseconds * 1_000_000;
    private long _nextNs;
    private bool _missedOnce;

    /// <summary>The port was (re)opened at <paramref name="nowNs"/>: the first probe is one interval later.</summary>
    public void Restart(long nowNs)
    {
        _nextNs = nowNs + _intervalNs;
        _missedOnce = false;
    }

    /// <summary>How long the caller may sleep before the next probe is due.</summary>
    public TimeSpan UntilNextProbe(long nowNs) => TimeSpan.FromTicks(Math.Max(0, _nextNs - nowNs) / 100);

    /// <summary>Whether a probe is due: callers ask this first, so that the probe's delegate is only made when needed.</summary>
    public bool IsDue(long nowNs) => nowNs >= _nextNs;

    /// <summary>True when the probe, due at <paramref name="nowNs"/>, has missed the port twice in a row.</summary>
    public bool IsGone(long nowNs, Func<bool> probe)
    {
        if (!IsDue(nowNs))
        {
            return false;
        }

        if (Ask(probe))
        {
            Restart(nowNs);
            return false;
        }

        if (!_missedOnce)
        {
            _missedOnce = true;
            _nextNs = nowNs + Math.Min(_intervalNs, RecheckNs);
            return false;
        }

        Restart(nowNs);
        return true;
    }

    // A probe that throws means the port is gone.
    private static bool Ask(Func<bool> probe)
    {
        try
        {
            return probe();
        }
#pragma warning disable CA1031 // a failing probe means the port is gone
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
