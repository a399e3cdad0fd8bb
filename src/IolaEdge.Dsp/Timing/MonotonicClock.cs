using System.Diagnostics;

namespace IolaEdge.Dsp.Timing;

/// <summary>The one monotonic clock of the process, in nanoseconds (<see cref="Stopwatch"/> based).</summary>
public static class MonotonicClock
{
    // Stopwatch ticks are ns on Linux (Frequency = 1e9); the general conversion keeps other hosts right.
    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Now, in monotonic nanoseconds (same base as CLOCK_MONOTONIC on Linux).</summary>
    public static long NowNs() => TicksToNs(Stopwatch.GetTimestamp());

    /// <summary>Converts a <see cref="Stopwatch.GetTimestamp"/> value to nanoseconds.</summary>
    public static long TicksToNs(long ticks) =>
        Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * s_nsPerTick);
}
