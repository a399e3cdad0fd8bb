using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Output;

public sealed class EventFanOutTests
{
    [Fact]
    public void A_stalled_consumer_drops_and_counts_while_the_others_receive_everything()
    {
        using RecordingConsumer fast = new("fast");
        using RecordingConsumer stalled = new("stalled");
        stalled.Hold();
        using EventFanOut fanOut = new([fast, stalled], capacity: 16);

        for (int i = 0; i < 100; i++)
        {
            fanOut.Publish(new FootfallEvent(0, i, i, i, i, 1, 1));
            if (i == 0)
            {
                // The stalled consumer's thread takes the first event and hangs in it before the queue fills
                // (otherwise, on a busy machine, 16 + 0 survive instead of 16 + 1).
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref stalled.Entered) == 1, TimeSpan.FromSeconds(10)));
            }

            int expected = i + 1;
            Assert.True(SpinWait.SpinUntil(() => fast.Received.Count == expected, TimeSpan.FromSeconds(10))); // a consumer that keeps up
        }

        stalled.Release();
        fanOut.Complete();

        Assert.Equal(100, fast.Received.Count);
        long stalledDrops = fanOut.Drops.Single(d => d.Name == "stalled").Dropped;
        Assert.Equal(100 - 16 - 1, stalledDrops); // 16 queued + 1 held inside the consumer survive
        Assert.Equal(100, stalled.Received.Count + stalledDrops);
        Assert.Equal(0, fanOut.Drops.Single(d => d.Name == "fast").Dropped);
        Assert.True(fast.Flushes >= 1);
    }

    [Fact]
    public void Events_reach_each_consumer_in_publication_order()
    {
        using RecordingConsumer consumer = new("ordered");
        using EventFanOut fanOut = new([consumer], capacity: 1024);

        for (int i = 0; i < 500; i++)
        {
            fanOut.Publish(new FootfallEvent(0, i, i, i, i, 1, 1));
        }

        fanOut.Complete();

        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), consumer.Received.Select(e => e.Sequence));
    }

    [Fact]
    public void Publishing_allocates_nothing()
    {
        using RecordingConsumer consumer = new("c");
        consumer.Hold(); // the consumer thread stays parked: only the producer side is measured
        using EventFanOut fanOut = new([consumer], capacity: 64);
        FootfallEvent footfall = new(0, 1, 1, 1, 1, 1, 1);
        fanOut.Publish(footfall);

        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 10_000; i++)
        {
            fanOut.Publish(footfall);
        }

        Assert.Equal(0, allocations.Bytes);
        consumer.Release();
    }
}
