using IolaEdge.Recording;
using IolaEdge.Dsp.Samples;
using Microsoft.Extensions.Logging.Abstractions;

namespace IolaEdge.Daemon.Tests.Recording;

public sealed class RecorderAllocationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-alloc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_pipeline_side_of_the_recorder_allocates_nothing_per_sample_or_detection()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        ImuSample s = new(0, 0, 1, 1, 0f, 0f, 1f);
        FootfallEvent f = new(0, 0, 1, 1, 1, 0.5f, 1f);
        rec.OnSample(s);
        rec.OnDetection(f);

        // The least of three passes: the first one may be the first to meet a full queue (its once-only
        // warning), or run while the runtime tiers a method up; a per-sample allocation shows in every pass.
        long least = long.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            ThreadAllocations allocations = ThreadAllocations.Start();
            for (int i = 0; i < 50_000; i++) // far more than the queue holds: accepted and dropped paths both run
            {
                rec.OnSample(s);
                if ((i & 63) == 0)
                {
                    rec.OnDetection(f);
                }
            }

            least = Math.Min(least, allocations.Bytes);
        }

        Assert.Equal(0, least);
        rec.Stop();
    }
}
