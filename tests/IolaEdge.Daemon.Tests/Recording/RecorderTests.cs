using System.Diagnostics;
using IolaEdge.Recording;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Dsp.Samples;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IolaEdge.Daemon.Tests.Recording;

public sealed class RecorderTests : IDisposable
{
    private const long FiveMs = 5_000_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-rec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RecorderOptions Options(Action<RecorderOptions>? change = null)
    {
        RecorderOptions o = new() { Directory = _dir };
        change?.Invoke(o);
        return o;
    }

    private static ImuSample Sample(long seq, long t0 = 1_000_000_000) =>
        new(0, seq, t0 + (seq * FiveMs), t0 + (seq * FiveMs) + 1_000_000, 0.1f * seq, -1f, 0.5f);

    [Fact]
    public void Samples_detections_and_marks_land_in_one_file_with_marks_in_time_order()
    {
        using Recorder rec = new(Options(), NullLogger.Instance, epochOffsetNs: 0);
        Assert.True(rec.Start());

        // The mark arrives late (after later samples were queued) but is stamped between samples 10 and 11.
        for (int i = 0; i < 20; i++)
        {
            Assert.True(rec.OnSample(Sample(i)));
        }

        rec.OnFootfallAnnotation(0, 1_000_000_000 + (10 * FiveMs) + 1);
        rec.OnDetection(new FootfallEvent(0, 0, 1_000_000_000 + (9 * FiveMs), 0, 0, 0.9f, 1.2f));
        for (int i = 20; i < 30; i++)
        {
            rec.OnSample(Sample(i));
        }

        rec.Stop();

        Assert.Equal(RecorderState.Stopped, rec.State);
        string file = Assert.Single(rec.Files);
        Assert.Matches(@"session-\d{8}T\d{6}\.\d{3}Z\.csv$", file);
        List<RecordedRow> rows = RecordedFiles.Read(file);
        Assert.Equal(32, rows.Count);
        int mark = rows.FindIndex(r => r.Kind == RecordedRowKind.Footfall);
        Assert.Equal(1_000_000_000 + (10 * FiveMs) + 1, rows[mark].TimeNs);
        Assert.Equal(Sample(10).SensorTimeNs, rows[mark - 1].Sample.SensorTimeNs);
        Assert.Equal(Sample(11).SensorTimeNs, rows[mark + 1].Sample.SensorTimeNs);
        Assert.Equal(Sample(11).ArrivalTimeNs, rows[mark + 1].TimeNs);
        Assert.Equal(1.1f, rows[mark + 1].Sample.X);
        RecordedRow detection = Assert.Single(rows, r => r.Kind == RecordedRowKind.Detection);
        Assert.Equal(0.9f, detection.Score);
        Assert.Equal(32, rec.RowsWritten);
        Assert.Equal(0, rec.Dropped);
    }

    [Fact]
    public async Task A_live_session_is_written_on_the_epoch_clock_and_replays_with_CsvImuSource()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        using Recorder rec = new(Options(), NullLogger.Instance); // monotonic session clock
        rec.Start();
        long t0 = IolaEdge.Dsp.Timing.MonotonicClock.NowNs();
        for (int i = 0; i < 50; i++)
        {
            rec.OnSample(Sample(i, t0));
        }

        rec.OnFootfallAnnotation(0, t0 + (20 * FiveMs));
        rec.Stop();

        CsvImuSource replay = new(rec.Files[0]);
        Gpio.Support.RecordingSink sink = new();
        await replay.RunAsync(sink, CancellationToken.None);
        Assert.Equal(50, replay.SamplesDelivered);
        Assert.Equal(0, replay.MalformedLines);
        var mark = Assert.Single(sink.Marks);
        Assert.InRange(mark.TimeNs, before, before + 60_000_000_000); // epoch ns, not monotonic
    }

    [Fact]
    public void A_mark_without_later_samples_is_still_written_after_the_hold_time()
    {
        using Recorder rec = new(Options(o => o.AnnotationHold = TimeSpan.FromMilliseconds(20)),
            NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        rec.OnSample(Sample(0));
        rec.OnFootfallAnnotation(0, 5_000_000_000);
        SpinWait.SpinUntil(() => rec.RowsWritten == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(2, rec.RowsWritten); // written while still running, not only at stop
        rec.Stop();
        Assert.Equal([RecordedRowKind.Sample, RecordedRowKind.Footfall], RecordedFiles.Read(rec.Files[0]).Select(r => r.Kind));
    }

    [Fact]
    public void A_full_queue_drops_and_counts_without_blocking_the_producer()
    {
        GatedStream gated = new();
        using Recorder rec = new(Options(o => { o.QueueSeconds = 0.1; o.FlushEveryRows = 1; }),
            NullLogger.Instance, openFile: _ => gated, epochOffsetNs: 0);
        rec.Start();
        gated.Blocking = true;
        rec.OnSample(Sample(0));
        Assert.True(gated.Entered.Wait(TimeSpan.FromSeconds(10))); // the writer is now stuck in Write

        int accepted = 1;
        for (int i = 1; i < 1000; i++)
        {
            accepted += rec.OnSample(Sample(i)) ? 1 : 0;
        }

        Assert.Equal(999 - (accepted - 1), rec.Dropped);
        Assert.True(rec.Dropped > 900, $"dropped {rec.Dropped}");
        gated.Blocking = false;
        gated.Open();
        rec.Stop();
        Assert.Equal(accepted, rec.RowsWritten);
    }

    [Fact]
    public void Files_rotate_by_size_each_complete_with_a_header()
    {
        using Recorder rec = new(Options(o => { o.MaxFileBytes = 4096; o.FlushEveryRows = 20; }), NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        for (int i = 0; i < 400; i++)
        {
            rec.OnSample(Sample(i));
        }

        rec.Stop();
        Assert.True(rec.Files.Count >= 3, $"{rec.Files.Count} files");
        Assert.Equal(rec.Files.Count, rec.Files.Distinct().Count());
        List<long> sequences = [];
        foreach (string f in rec.Files)
        {
            Assert.StartsWith("timestamp,", File.ReadLines(f).First(), StringComparison.Ordinal);
            Assert.True(new FileInfo(f).Length < 4096 + 2000); // checked at each flush (20 rows here)
            sequences.AddRange(RecordedFiles.Read(f).Select(r => r.Sample.SensorTimeNs));
        }

        Assert.Equal(Enumerable.Range(0, 400).Select(i => Sample(i).SensorTimeNs), sequences);
    }

    [Fact]
    public void Files_rotate_by_duration_of_the_recorded_rows()
    {
        using Recorder rec = new(Options(o => o.MaxFileDuration = TimeSpan.FromSeconds(1)),
            NullLogger.Instance, epochOffsetNs: 0);
        rec.Start();
        for (int i = 0; i < 500; i++) // 2.5 s of samples at 200 Hz
        {
            rec.OnSample(Sample(i));
        }

        rec.Stop();
        Assert.Equal(3, rec.Files.Count);
        Assert.Equal([200, 200, 100], rec.Files.Select(f => RecordedFiles.Read(f).Count));
    }

    [Fact]
    public void A_stream_failing_with_ENOSPC_stops_recording_with_one_log_line_and_a_counter()
    {
        CapturingLogger log = new();
        using Recorder rec = new(Options(o => o.FlushEveryRows = 10), log,
            openFile: p => new DiskFullStream(new FileStream(p, FileMode.CreateNew), 2000), epochOffsetNs: 0);
        rec.Start();
        int accepted = 0;
        for (int i = 0; i < 200; i++)
        {
            accepted += rec.OnSample(Sample(i)) ? 1 : 0;
        }

        SpinWait.SpinUntil(() => rec.State == RecorderState.Failed, TimeSpan.FromSeconds(10));
        for (int i = 200; i < 210; i++)
        {
            Assert.False(rec.OnSample(Sample(i))); // the producer carries on, nothing blocks or throws
        }

        rec.Stop();
        Assert.Equal(RecorderState.Failed, rec.State);
        Assert.Equal(1, rec.Failures);
        Assert.True(rec.NotRecorded >= 10);
        var error = Assert.Single(log.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void A_full_tmpfs_stops_recording_with_one_log_line_and_keeps_what_was_written()
    {
        // A real ENOSPC from the kernel: a 64 KiB tmpfs (needs root, as CI runs).
        string mount = Path.Combine(_dir, "tiny");
        Directory.CreateDirectory(mount);
        Assert.True(Mount($"-t tmpfs -o size=64k tmpfs {mount}"), "mounting a tmpfs needs root");
        try
        {
            CapturingLogger log = new();
            using Recorder rec = new(new RecorderOptions { Directory = mount, FlushEveryRows = 50 },
                log, epochOffsetNs: 0);
            Assert.True(rec.Start());
            for (int i = 0; i < 5000 && rec.State == RecorderState.Running; i++)
            {
                rec.OnSample(Sample(i));
                if (i % 500 == 0)
                {
                    Thread.Sleep(10); // let the writer keep up so rows are lost to the disk, not the queue
                }
            }

            SpinWait.SpinUntil(() => rec.State != RecorderState.Running, TimeSpan.FromSeconds(10));
            rec.Stop();
            Assert.Equal(RecorderState.Failed, rec.State);
            Assert.Equal(1, rec.Failures);
            var error = Assert.Single(log.Lines, l => l.Level >= LogLevel.Warning);
            Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
            var rows = File.ReadAllLines(rec.Files[0]);
            Assert.True(rows.Length > 500, $"{rows.Length} lines kept");
        }
        finally
        {
            Mount($"-u {mount}", "umount");
        }
    }

    [Fact]
    public void An_unwritable_directory_fails_start_with_one_log_line_and_producers_carry_on()
    {
        string notADirectory = Path.Combine(_dir, "file");
        File.WriteAllText(notADirectory, "x");
        CapturingLogger log = new();
        using Recorder rec = new(Options(o => o.Directory = Path.Combine(notADirectory, "rec")),
            log);
        Assert.False(rec.Start());
        Assert.False(rec.OnSample(Sample(0)));
        rec.OnFootfallAnnotation(0, 1);
        rec.Stop();
        Assert.Equal(RecorderState.Failed, rec.State);
        Assert.Equal(1, rec.Failures);
        Assert.Equal(2, rec.NotRecorded);
        var error = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("Recording stopped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void A_read_only_mount_fails_start_even_for_root()
    {
        string mount = Path.Combine(_dir, "ro");
        Directory.CreateDirectory(mount);
        Assert.True(Mount($"-t tmpfs -o ro,size=64k tmpfs {mount}"), "mounting a tmpfs needs root");
        try
        {
            CapturingLogger log = new();
            using Recorder rec = new(new RecorderOptions { Directory = mount }, log);
            Assert.False(rec.Start());
            Assert.Equal(1, rec.Failures);
            Assert.Single(log.Lines);
        }
        finally
        {
            Mount($"-u {mount}", "umount");
        }
    }

    [Theory]
    [InlineData("QueueSeconds", "0")]
    [InlineData("FlushEveryRows", "0")]
    [InlineData("MaxFileBytes", "10")]
    [InlineData("SensorCount", "17")]
    public void A_bad_option_fails_naming_the_key_value_and_range(string key, string value)
    {
        RecorderOptions o = Options();
        var prop = typeof(RecorderOptions).GetProperty(key)!;
        prop.SetValue(o, Convert.ChangeType(value, prop.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Recorder(o, NullLogger.Instance));
        Assert.Contains($"Recording:{key} = '{value}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("allowed", ex.Message, StringComparison.Ordinal);
    }

    private static bool Mount(string args, string tool = "mount")
    {
        using Process p = Process.Start(new ProcessStartInfo(tool == "umount" ? "umount" : "mount", tool == "umount" ? args[3..] : args)
        {
            RedirectStandardError = true,
        })!;
        p.WaitForExit(10_000);
        return p.ExitCode == 0;
    }
}
