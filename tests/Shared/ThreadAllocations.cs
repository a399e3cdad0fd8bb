namespace IolaEdge.Tests;

/// <summary>
/// Managed bytes this thread allocates between <see cref="Start"/> and <see cref="Bytes"/>, for the tests that hold a
/// steady state to zero allocations.
/// </summary>
/// <remarks>
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> can charge a thread that allocates nothing: when a collection
/// (caused by any thread) retires this thread's allocation context, the unused rest of that context, up to about 8 KB,
/// is sometimes counted as allocated. Measuring a thread that allocates nothing while another thread allocates and
/// collects, 6–10 of 1 000 half-millisecond windows read 2–8 KB (ThreadAllocationsTests, read plainly), none through this
/// meter. Full test runs saw it as 6 520 or 8 152 "allocated" bytes in one allocation test or another now and then. <see cref="Start"/> collects
/// first, which leaves this thread without an allocation context until it allocates again: a window in which the code
/// under test allocates nothing then reads 0 whatever other threads do, and a real allocation still counts.
/// </remarks>
public readonly struct ThreadAllocations
{
    private readonly long _start;

    private ThreadAllocations(long start) => _start = start;

    /// <summary>Bytes this thread allocated since <see cref="Start"/>.</summary>
    public long Bytes => GC.GetAllocatedBytesForCurrentThread() - _start;

    /// <summary>Starts counting (after a gen-0 collection that empties this thread's allocation context).</summary>
    public static ThreadAllocations Start()
    {
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return new ThreadAllocations(GC.GetAllocatedBytesForCurrentThread());
    }
}
