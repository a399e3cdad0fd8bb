using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests;

/// <summary>
/// The allocation meter every steady-state allocation test uses: other threads' collections do not charge a thread
/// that allocates nothing, and a real allocation still counts.
/// </summary>
public sealed class ThreadAllocationsTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")] // 3 s: a thousand windows each way, with another thread collecting
    public void A_thread_that_allocates_nothing_reads_zero_while_other_threads_collections_retire_its_allocation_context()
    {
        const int Windows = 1000;
        bool stop = false;
        var noise = new Thread(() =>
        {
            List<byte[]> kept = [];
            int n = 0;
            while (!Volatile.Read(ref stop))
            {
                kept.Add(new byte[1000]);
                if (kept.Count > 50_000)
                {
                    kept.Clear();
                }

                if (++n % 20_000 == 0)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                }
            }
        });
        noise.Start();
        int charged = 0, chargedWithoutMeter = 0;
        double sum = 0;
        try
        {
            // Read plainly first (no collection of this thread's own), then through the meter.
            for (int w = 0; w < Windows; w++)
            {
                // A live allocation context with an unused rest, as a test thread has after its arrange step.
                GC.KeepAlive(new byte[64]);
                long plain = GC.GetAllocatedBytesForCurrentThread();
                sum += Work(w);
                chargedWithoutMeter += GC.GetAllocatedBytesForCurrentThread() != plain ? 1 : 0;
            }

            for (int w = 0; w < Windows; w++)
            {
                GC.KeepAlive(new byte[64]);
                ThreadAllocations allocations = ThreadAllocations.Start();
                sum += Work(w);
                charged += allocations.Bytes != 0 ? 1 : 0;
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            noise.Join();
        }

        output.WriteLine($"{Windows} windows: charged {charged} with the meter, {chargedWithoutMeter} reading the counter plainly; checksum {sum:F0}");
        Assert.Equal(0, charged);
    }

    [Fact]
    public void A_real_allocation_counts()
    {
        ThreadAllocations allocations = ThreadAllocations.Start();
        GC.KeepAlive(new byte[1024]);
        Assert.InRange(allocations.Bytes, 1024, 1024 + 64);
    }

    // About half a millisecond of arithmetic that allocates nothing.
    private static double Work(int seed)
    {
        double acc = 0;
        for (int i = 0; i < 100_000; i++)
        {
            acc += Math.Sqrt(i + seed);
        }

        return acc;
    }
}
