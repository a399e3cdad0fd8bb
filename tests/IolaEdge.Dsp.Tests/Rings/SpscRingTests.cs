using IolaEdge.Dsp.Rings;

namespace IolaEdge.Dsp.Tests.Rings;

public sealed class SpscRingTests
{
    [Fact]
    public void Items_come_out_in_the_order_they_went_in()
    {
        SpscRing<int> ring = new(4);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(ring.TryWrite(i));
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.True(ring.TryRead(out int v));
            Assert.Equal(i, v);
        }

        Assert.False(ring.TryRead(out _));
    }

    [Fact]
    public void A_full_ring_rejects_and_counts_writes_without_overwriting()
    {
        SpscRing<int> ring = new(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryWrite(i));
        }

        Assert.False(ring.TryWrite(99));
        Assert.False(ring.TryWrite(100));
        Assert.Equal(2, ring.Dropped);
        Assert.True(ring.TryRead(out int first));
        Assert.Equal(0, first);
    }

    [Fact]
    public void Capacity_is_rounded_up_to_a_power_of_two()
    {
        Assert.Equal(8, new SpscRing<long>(5).Capacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<long>(1));
    }

    [Fact]
    public void Read_batch_drains_up_to_the_span_length()
    {
        SpscRing<int> ring = new(16);
        for (int i = 0; i < 10; i++)
        {
            ring.TryWrite(i);
        }

        Span<int> batch = stackalloc int[4];
        Assert.Equal(4, ring.ReadBatch(batch));
        Assert.Equal(3, batch[3]);
        Assert.Equal(6, ring.Count);
    }

    [Fact]
    public void A_producer_and_a_consumer_thread_pass_a_million_items_without_loss_or_reordering()
    {
        const int N = 1_000_000;
        SpscRing<long> ring = new(1024);
        long expected = 0;
        bool ordered = true;
        Thread consumer = new(() =>
        {
            while (expected < N)
            {
                if (ring.TryRead(out long v))
                {
                    ordered &= v == expected;
                    expected++;
                }
                else
                {
                    Thread.SpinWait(8);
                }
            }
        });
        consumer.Start();
        for (long i = 0; i < N; i++)
        {
            while (!ring.TryWrite(i))
            {
                Thread.SpinWait(8);
            }
        }

        Assert.True(consumer.Join(TimeSpan.FromSeconds(60)));
        Assert.True(ordered);
        Assert.Equal(N, expected);
    }

    [Fact]
    public void Writing_and_reading_allocates_nothing_in_steady_state()
    {
        SpscRing<(long, float)> ring = new(64);
        for (int i = 0; i < 100; i++)
        {
            ring.TryWrite((i, i));
            ring.TryRead(out _);
        }

        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 100_000; i++)
        {
            ring.TryWrite((i, i));
            ring.TryRead(out _);
        }

        Assert.Equal(0, allocations.Bytes);
    }
}
