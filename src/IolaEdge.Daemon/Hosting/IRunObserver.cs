using IolaEdge.Daemon.Output;

namespace IolaEdge.Daemon.Hosting;

/// <summary>How a run's source stopped.</summary>
internal enum RunEnd
{
    /// <summary>The source finished by itself (end of file or of the simulated walk).</summary>
    SourceEnded,

    /// <summary><c>Run:DurationSeconds</c> elapsed.</summary>
    DurationReached,

    /// <summary>SIGINT or SIGTERM (the host's stopping token).</summary>
    Stopped,

    /// <summary>The source failed (exit code Input).</summary>
    SourceFailed,
}

/// <summary>
/// Watches a run from outside the real-time path: the <c>soak</c> verb's monitor. The runner calls it
/// from the run task and the progress timer, never from the pipeline thread.
/// </summary>
internal interface IRunObserver
{
    /// <summary>An extra slow consumer of stamped footfalls (its own fan-out ring and thread), or null.</summary>
    IFootfallEventConsumer? Consumer { get; }

    /// <summary>The threads are up and the source is about to start.</summary>
    void OnStarted(RunStatistics statistics);

    /// <summary>
    /// Every <c>Pipeline:ProgressIntervalSeconds</c>, on a timer thread, instead of the plain progress line
    /// (ticks can overlap when one takes longer than the interval).
    /// </summary>
    void OnProgress(RunStatistics statistics);

    /// <summary>The run drained and printed its summary; returns the exit code to leave with.</summary>
    /// <param name="statistics">The final counters.</param>
    /// <param name="end">Why the source stopped.</param>
    /// <param name="sourceStoppedNs">Monotonic time the source stopped (before the drain).</param>
    /// <param name="exitCode">The run's own exit code.</param>
    int OnFinished(RunStatistics statistics, RunEnd end, long sourceStoppedNs, int exitCode);
}
