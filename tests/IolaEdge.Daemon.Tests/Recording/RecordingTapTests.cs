using IolaEdge.Daemon.Output;
using IolaEdge.Recording;
using IolaEdge.Daemon.Tests.Gpio.Support;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Dsp.Samples;
using Microsoft.Extensions.Logging.Abstractions;

namespace IolaEdge.Daemon.Tests.Recording;

public sealed class RecordingTapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-tap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_tap_passes_everything_on_and_records_samples_with_sensor_times_marks_and_detections_from_their_threads()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        RecordingSink pipeline = new();
        RecordingSampleTap tap = new(pipeline, rec, sensorCount: 1);
        RecordingDetectionConsumer detections = new(rec);

        long t0 = 10_000_000_000;
        for (int i = 0; i < 100; i++)
        {
            // Live delivery: bursts of 5 samples every 25 ms, no sensor time.
            Assert.True(tap.OnSample(new ImuSample(0, i, 0, t0 + ((i / 5) * 25_000_000L), 0f, 0f, 1f)));
        }

        Thread marker = new(() => tap.OnFootfallAnnotation(0, t0 + 200_000_000));
        marker.Start();
        marker.Join();
        Thread fanOut = new(() => detections.OnFootfall(new FootfallEvent(0, 0, t0 + 190_000_000, 0, 0, 0.7f, 1f)));
        fanOut.Start();
        fanOut.Join();
        rec.Stop();

        Assert.Equal([(0, t0 + 200_000_000)], pipeline.Marks);
        List<RecordedRow> rows = RecordedFiles.Read(rec.Files[0]);
        List<RecordedRow> samples = rows.Where(r => r.Kind == RecordedRowKind.Sample).ToList();
        Assert.Equal(100, samples.Count);
        Assert.All(samples, s => Assert.NotEqual(0, s.Sample.SensorTimeNs));
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.Second.Sample.SensorTimeNs >= p.First.Sample.SensorTimeNs), "reconstructed sensor times never go back");
        Assert.Single(rows, r => r.Kind == RecordedRowKind.Footfall);
        Assert.Equal(0.7f, Assert.Single(rows, r => r.Kind == RecordedRowKind.Detection).Score);
        Assert.Equal("recording", detections.Name);
    }

    [Fact]
    public void The_tap_allocates_nothing_per_sample()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        RecordingSampleTap tap = new(new RecordingSink(), rec, sensorCount: 2);
        ImuSample s = new(1, 0, 0, 1_000_000, 0f, 0f, 1f);
        tap.OnSample(s);
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 1; i < 20_000; i++)
        {
            tap.OnSample(new ImuSample(1, i, 0, 1_000_000 + (i * 5_000_000L), 0f, 0f, 1f));
        }

        Assert.Equal(0, allocations.Bytes);
        rec.Stop();
    }
}
