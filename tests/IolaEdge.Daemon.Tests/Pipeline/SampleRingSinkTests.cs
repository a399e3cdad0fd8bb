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
