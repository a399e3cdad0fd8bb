using IolaEdge.Daemon.Recording;
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
        using SessionRecorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        ImuSample s = new(0, 0, 1, 1, 0f, 0f, 1f);
        FootfallEvent f = new(0, 0, 1, 1, 1, 0.5f, 1f);
        rec.OnSample(s);
        rec.OnDetection(f);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50_000; i++) // far more than the queue holds: accepted and dropped paths both run
        {
            rec.OnSample(s);
            if ((i & 63) == 0)
            {
                rec.OnDetection(f);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        rec.Stop();
    }
}
