using System.Diagnostics;
using IolaEdge.Daemon.Hosting;

namespace IolaEdge.Daemon.Soak;

/// <summary>
/// Reads the process's resources for soak samples. Runs on the progress timer and the run task only:
/// reading /proc allocates a little, which is why it never runs on the pipeline thread.
/// </summary>
internal sealed class ResourceSampler : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();

    /// <summary>Takes one sample.</summary>
    /// <param name="elapsedSeconds">Wall time since the source started.</param>
    /// <param name="counters">The run's counters, read just before.</param>
    public ResourceSample Take(double elapsedSeconds, RunSnapshot counters)
    {
        _process.Refresh(); // the Process object caches what it read; each sample needs fresh figures
        return new ResourceSample(
            elapsedSeconds,
            WorkingSetBytes: _process.WorkingSet64, // the figure Environment.WorkingSet returns, without a new Process per call
            ManagedHeapBytes: GC.GetTotalMemory(forceFullCollection: false),
            Gen0Collections: GC.CollectionCount(0),
            Gen1Collections: GC.CollectionCount(1),
            Gen2Collections: GC.CollectionCount(2),
            TotalAllocatedBytes: GC.GetTotalAllocatedBytes(precise: false),
            Threads: _process.Threads.Count,
            CpuSeconds: _process.TotalProcessorTime.TotalSeconds,
            counters);
    }

    /// <inheritdoc/>
    public void Dispose() => _process.Dispose();
}
