namespace IolaEdge.Daemon.Configuration;

/// <summary>
/// The limits <c>iolaedge soak</c> judges a run by (configuration section <c>Soak</c>). Bound and validated
/// with every other section; only the soak verb reads them.
/// </summary>
internal sealed class SoakOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Soak";

    /// <summary>Samples and events a soak may drop in all (sample ring, MIDI queue, slow consumers).</summary>
    public int MaxDrops { get; set; }

    /// <summary>
    /// Bytes the pipeline thread may allocate per footfall after warm-up. Its steady state allocates nothing;
    /// any per-footfall allocation is at least one 24-byte object, so 1 leaves room only for rare one-offs.
    /// </summary>
    public double MaxPipelineBytesPerFootfall { get; set; } = 1;

    /// <summary>Working-set growth allowed after warm-up, MB (2^20 bytes) per hour of wall time (least-squares slope).</summary>
    public double MaxWorkingSetGrowthMbPerHour { get; set; } = 2;

    /// <summary>
    /// Shortest wall time after warm-up over which growth is judged: a slope over a few seconds extrapolates
    /// GC and page noise to an hour, so shorter soaks report the growth without judging it.
    /// </summary>
    public double MinGrowthWindowMinutes { get; set; } = 5;

    /// <summary>How many times worse the last quarter's p99 latency may be than the first quarter's.</summary>
    public double MaxLatencyGrowthFactor { get; set; } = 2;

    /// <summary>
    /// p99 latencies below this count as this in the drift comparison: a sub-millisecond p99 that doubles is
    /// scheduling noise on a shared machine, not a slowdown.
    /// </summary>
    public double LatencyFloorMs { get; set; } = 1;

    /// <summary>
    /// p99 algorithmic latencies below this count as this in the drift comparison. The detector's own waits reach
    /// 120 ms (a soft landing waits that long for its impact), and whether a quarter's p99 lands on one of those
    /// few landings or on the 50 ms below them is the walk's mix, not drift.
    /// </summary>
    public double AlgorithmicLatencyFloorMs { get; set; } = 150;

    /// <summary>How far the detected footfall count may stray from the source's truth footfalls, as a fraction of the truth.</summary>
    public double MaxFootfallCountError { get; set; } = 0.05;

    /// <summary>Fraction of the run treated as warm-up (JIT tiering, heap sizing) and left out of the growth and allocation checks.</summary>
    public double WarmupFraction { get; set; } = 0.5;

    /// <summary>Fraction of the asked wall time a paced soak may fall short and still count as having run its length.</summary>
    public double DurationTolerance { get; set; } = 0.02;
}
