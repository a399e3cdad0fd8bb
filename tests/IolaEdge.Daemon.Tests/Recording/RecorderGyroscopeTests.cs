using IolaEdge.Recording;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Dsp.Samples;
using Microsoft.Extensions.Logging.Abstractions;

namespace IolaEdge.Daemon.Tests.Recording;

/// <summary>The recorder writes the gyroscope columns only when a sensor streams angular velocity.</summary>
public sealed class RecorderGyroscopeTests : IDisposable
{
    private const long FiveMs = 5_000_000;
    private const string AccelerationHeader =
        "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,sensorTimeNs,sensorId,score";
    private const string GyroHeader =
        "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,gyroscopeX,gyroscopeY,gyroscopeZ,sensorTimeNs,sensorId,score";

    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-rec-gyro-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ImuSample Gyro(long seq) =>
        new(0, seq, 1_000_000_000 + (seq * FiveMs), 1_001_000_000 + (seq * FiveMs), 0.1f, -1f, 0.5f, 10f * seq, -250.5f, 0.25f);

    private static ImuSample Plain(long seq) =>
        new(0, seq, 1_000_000_000 + (seq * FiveMs), 1_001_000_000 + (seq * FiveMs), 0.1f, -1f, 0.5f);

    [Fact]
    public void A_gyro_stream_is_recorded_with_the_gyroscope_columns_and_reads_back_equal()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        Assert.True(rec.Start());
        for (int i = 0; i < 20; i++)
        {
            Assert.True(rec.OnSample(Gyro(i)));
        }

        rec.OnFootfallAnnotation(0, 1_000_000_000 + (10 * FiveMs) + 1);
        rec.Stop();

        string file = Assert.Single(rec.Files);
        Assert.Equal(GyroHeader, File.ReadLines(file).First());
        List<RecordedRow> rows = RecordedFiles.Read(file);
        Assert.Equal(21, rows.Count);
        // sequenceNumber is the file's running row index (seed convention), so compare everything else.
        List<ImuSample> samples = rows.Where(r => r.Kind == RecordedRowKind.Sample).Select(r => r.Sample).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Gyro(i)), samples.Select((s, i) => s.WithSequenceAndTimes(i, s.SensorTimeNs, s.ArrivalTimeNs)));
        Assert.Contains(File.ReadLines(file), l => l.Contains(",FOOTFALL,FOOTFALL,FOOTFALL,", StringComparison.Ordinal)
            && l.Contains(",footfall,,,,", StringComparison.Ordinal));
    }

    [Fact]
    public void An_acceleration_only_stream_keeps_todays_header()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        for (int i = 0; i < 5; i++)
        {
            rec.OnSample(Plain(i));
        }

        rec.Stop();
        string[] lines = File.ReadAllLines(Assert.Single(rec.Files));
        Assert.Equal(AccelerationHeader, lines[0]);
        Assert.Equal("1001,0.1,-1,0.5,0,sample,1000000000,0,0", lines[1]);
    }

    [Fact]
    public void An_empty_session_still_gets_a_header()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        rec.Stop();
        Assert.Equal([AccelerationHeader], File.ReadAllLines(Assert.Single(rec.Files)));
    }

    [Fact]
    public void A_gyro_sample_after_rows_written_without_gyroscope_columns_continues_in_a_new_file_with_them()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir, AnnotationHold = TimeSpan.FromMilliseconds(10) },
            NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        rec.OnFootfallAnnotation(0, 900_000_000); // a mark before the sensor streams
        SpinWait.SpinUntil(() => rec.RowsWritten == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(1, rec.RowsWritten);
        for (int i = 0; i < 5; i++)
        {
            rec.OnSample(Gyro(i));
        }

        rec.Stop();
        Assert.Equal(2, rec.Files.Count);
        Assert.Equal(AccelerationHeader, File.ReadLines(rec.Files[0]).First());
        Assert.Equal(RecordedRowKind.Footfall, Assert.Single(RecordedFiles.Read(rec.Files[0])).Kind);
        Assert.Equal(GyroHeader, File.ReadLines(rec.Files[1]).First());
        Assert.All(RecordedFiles.Read(rec.Files[1]), r => Assert.True(r.Sample.HasAngularVelocity));
        Assert.Equal(6, rec.RowsWritten);
    }

    [Fact]
    public void A_live_sink_records_angular_velocity_with_its_own_clock()
    {
        using Recorder rec = new(new RecorderOptions { Directory = _dir }, NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        long now = 2_000_000_000;
        LiveRecordingSink sink = new(rec, 1, clock: () => now += FiveMs);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(sink.OnSample(Gyro(i)));
        }

        rec.Stop();
        List<RecordedRow> rows = RecordedFiles.Read(Assert.Single(rec.Files));
        Assert.Equal([0f, 10f, 20f], rows.Select(r => r.Sample.AngularVelocityX));
        Assert.Equal(2_005_000_000, rows[0].Sample.ArrivalTimeNs);
    }
}
