using IolaEdge.Dsp.Features;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Tests.Features;

public sealed class FeatureAllocationTests
{
    private const int Samples = 200_000;

    [Fact]
    public void Extract_scale_and_window_allocate_nothing_per_sample_in_steady_state()
    {
        FeatureExtractor extractor = new(200);
        StandardScaler scaler = new([0f, 0f, 1f, 1.2f, 0.005f], [1f, 1f, 1f, 0.5f, 0.002f]);
        SlidingWindow window = new(FeatureLayout.Count, 600, 50);
        float[] row = new float[FeatureLayout.Count];
        float[] copy = new float[600 * FeatureLayout.Count];
        float checksum = 0;
        int windows = 0;

        void Run(int from, int count)
        {
            for (int i = from; i < from + count; i++)
            {
                ImuSample sample = new(0, i, i * 5_000_000L, i * 5_000_000L, MathF.Sin(i * 0.01f), 0.1f, 1f);
                extractor.Extract(sample, row);
                scaler.Transform(row);
                if (window.Push(row))
                {
                    window.CopyTo(copy);
                    checksum += window.Current[0] + copy[^1];
                    windows++;
                }
            }
        }

        // Warm up over several calls: every path of the extractor, the scaler and the window is taken before counting.
        for (int warm = 0; warm < 4; warm++)
        {
            Run(0, 5_000);
        }

        ThreadAllocations allocations = ThreadAllocations.Start();
        Run(1_000, Samples);
        long allocated = allocations.Bytes;

        Assert.Equal(0, allocated);
        Assert.True(windows > Samples / 50 - 2);
        Assert.True(float.IsFinite(checksum));
    }
}
