using IolaEdge.Daemon.Pipeline;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Pipeline;

public sealed class SampleRingSinkTests
{
    [Fact]
    public void A_full_ring_drops_new_samples_and_counts_them_without_blocking_the_source()
    {
        SpscRing<StampedSample> ring = new(16);
        using PipelineWakeup wakeup = new();
        SampleRingSink sink = new(ring, wakeup);

        int accepted = 0;
        for (int i = 0; i < 40; i++)
        {
            accepted += sink.OnSample(new ImuSample(0, i, 0, i, 0, 0, 1)) ? 1 : 0;
        }

        Assert.Equal(16, accepted);
        Assert.Equal(24, sink.Dropped);
        Assert.Equal(16, sink.Accepted);
    }

    [Fact]
    public void Footfall_annotations_are_counted()
    {
        using PipelineWakeup wakeup = new();
        SampleRingSink sink = new(new SpscRing<StampedSample>(16), wakeup);

        sink.OnFootfallAnnotation(0, 1);
        sink.OnFootfallAnnotation(1, 2);

        Assert.Equal(2, sink.Annotations);
    }
}

public sealed class ReplaySinkTests
{
    [Fact]
    public void A_replay_waits_for_room_instead_of_dropping()
    {
        SpscRing<StampedSample> ring = new(16);
        using PipelineWakeup wakeup = new();
        SampleRingSink sink = new(ring, wakeup, waitWhenFull: true);
        long read = 0;
        using CancellationTokenSource done = new();
        Thread consumer = new(() =>
        {
            while (!done.IsCancellationRequested || ring.Count > 0)
            {
                while (ring.TryRead(out _))
                {
                    read++;
                }

                Thread.Sleep(1);
            }
        });
        consumer.Start();

        for (int i = 0; i < 2000; i++)
        {
            Assert.True(sink.OnSample(new ImuSample(0, i, 0, i, 0, 0, 1)));
        }

        done.Cancel();
        consumer.Join();
        Assert.Equal(0, sink.Dropped);
        Assert.Equal(2000, read);
    }
}
