using System.Runtime.CompilerServices;

namespace IolaEdge.Dsp.Timing;

/// <summary>
/// The <see cref="SampleClock"/>'s count of gaps and lost samples. Losses of an opening run of regular steps wait
/// (pending) until the run shows whether the period is the nominal one or a multiple of it: a 100 Hz file given as
/// 200 Hz steps two nominal periods every sample and has lost nothing.
/// </summary>
/// <remarks>Allocation-free, O(1); owned by the clock (a mutable struct held in a field, never copied).</remarks>
internal struct LossCount
{
    private long _pendingPeriods;
    private long _pendingSteps;
    private long _pendingGaps1; // pending steps that are gaps if the period is the nominal one (k > 1)
    private long _pendingGaps2; // ... if it is two nominal ones (k > 2; used for larger multiples too)

    /// <summary>Gaps counted (pending ones excluded).</summary>
    public long Gaps { get; private set; }

    /// <summary>Samples lost in them (pending ones excluded).</summary>
    public long Lost { get; private set; }

    /// <summary>
    /// Lost samples including the provisional count of the pending run, if its period is
    /// <paramref name="runGcd"/> nominal ones.
    /// </summary>
    public readonly long Estimated(long runGcd) => Lost + Math.Max(0, (_pendingPeriods / Math.Max(1, runGcd)) - _pendingSteps);

    /// <summary>Counts a gap of <paramref name="lost"/> samples (nothing when not positive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(long lost)
    {
        if (lost > 0)
        {
            Gaps++;
            Lost += lost;
        }
    }

    /// <summary>Counts a stall: always a gap, with <paramref name="missed"/> samples lost (none when negative).</summary>
    public void CountStall(long missed)
    {
        Gaps++;
        Lost += Math.Max(0, missed);
    }

    /// <summary>Keeps a step of <paramref name="periods"/> nominal periods of the opening run until its period is known.</summary>
    public void AddPending(long periods)
    {
        _pendingPeriods += periods;
        _pendingSteps++;
        _pendingGaps1 += periods > 1 ? 1 : 0;
        _pendingGaps2 += periods > 2 ? 1 : 0;
    }

    /// <summary>Counts the opening run's losses with a period of <paramref name="m"/> nominal ones.</summary>
    public void CommitPending(long m)
    {
        long lost = (_pendingPeriods / m) - _pendingSteps;
        if (lost > 0)
        {
            Lost += lost;
            Gaps += m == 1 ? _pendingGaps1 : _pendingGaps2;
        }

        _pendingPeriods = _pendingSteps = _pendingGaps1 = _pendingGaps2 = 0;
    }

    /// <summary>
    /// Replaces what was counted since the counts were <paramref name="lostMark"/> and <paramref name="gapsMark"/> with
    /// <paramref name="lost"/> samples in one gap (they were counted on a period that turned out wrong).
    /// </summary>
    public void Recount(long lostMark, long gapsMark, long lost)
    {
        Lost = lostMark;
        Gaps = gapsMark;
        Count(lost);
    }

    /// <summary>Forgets the opening run's pending steps (they were measured against a period that turned out wrong).</summary>
    public void DropPending() => _pendingPeriods = _pendingSteps = _pendingGaps1 = _pendingGaps2 = 0;

    /// <summary>Forgets every count.</summary>
    public void Reset()
    {
        _pendingPeriods = _pendingSteps = _pendingGaps1 = _pendingGaps2 = 0;
        Gaps = Lost = 0;
    }
}
