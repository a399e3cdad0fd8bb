using IolaEdge.Daemon.Hosting;

namespace IolaEdge.Daemon.Soak;

/// <summary>The process's resources and the run's counters at one moment of a soak.</summary>
/// <param name="ElapsedSeconds">Wall time since the source started.</param>
/// <param name="WorkingSetBytes">Resident set (what <see cref="Environment.WorkingSet"/> reports).</param>
/// <param name="ManagedHeapBytes">Managed heap including garbage not yet collected (<see cref="GC.GetTotalMemory"/> without forcing a collection).</param>
/// <param name="Gen0Collections">Generation-0 collections since the process started.</param>
/// <param name="Gen1Collections">Generation-1 collections since the process started.</param>
/// <param name="Gen2Collections">Generation-2 (full) collections since the process started.</param>
/// <param name="TotalAllocatedBytes">Bytes every thread allocated since the process started.</param>
/// <param name="Threads">Operating-system threads of the process.</param>
/// <param name="CpuSeconds">CPU time used by the process (user and system).</param>
/// <param name="Run">The run's counters at the same moment.</param>
internal readonly record struct ResourceSample(
    double ElapsedSeconds,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long TotalAllocatedBytes,
    int Threads,
    double CpuSeconds,
    RunSnapshot Run)
{
    /// <summary>Bytes in an MB as soak figures use it (2^20).</summary>
    public const double BytesPerMb = 1024 * 1024;

    /// <summary>The working set in MB.</summary>
    public double WorkingSetMb => WorkingSetBytes / BytesPerMb;
}
