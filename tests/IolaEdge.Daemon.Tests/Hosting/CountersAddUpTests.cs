using System.Globalization;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Recording;
using IolaEdge.Daemon.Tests.Support;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Hosting;

/// <summary>At the end of every run, for each kind of item, received = processed + dropped by reason, in the summary.</summary>
[Trait("Category", "Peer")]
public sealed partial class CountersAddUpTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Malformed_rows_an_impossible_sample_backwards_time_and_a_100_day_gap_are_counted_and_the_replay_does_not_wait()
    {
        using TempDirectory temp = new();
        string walk = temp.File("walk.csv");
        int truth = SmallRecording.Write(walk, seconds: 40, seed: 4);
        string[] lines = File.ReadAllLines(walk);
        List<string> bad = [lines[0]];
        for (int i = 1; i < lines.Length; i++)
        {
            if (i % 500 == 0)
            {
                bad.Add("garbage,row"); // malformed: missing fields
            }

            bad.Add(i == 3000 && lines[i].Contains(",sample,", StringComparison.Ordinal) ? WithX(lines[i], "1e10") : lines[i]);
        }

        bad.AddRange(lines.Skip(1).Take(1000)); // time goes back to the start
        bad.AddRange(lines.Skip(1001).Take(1000).Select(l => ShiftTime(l, 100L * 86_400_000))); // then jumps 100 days ahead
        string badWalk = temp.File("bad.csv");
        File.WriteAllLines(badWalk, bad);

        CollectingSerilogSink sink = new();
        RunHost runner = new(new BuiltInComponents(),
            new RunOptions { Source = "file:" + badWalk, Speed = "100" },
            new PipelineOptions { ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            sink.CreateLogger());
        using CancellationTokenSource guard = new(TimeSpan.FromSeconds(60)); // a replay waiting out the gap would hit this

        int code = await runner.RunAsync(guard.Token);

        Assert.False(guard.IsCancellationRequested, "the replay waited out the gap");
        Assert.Equal(ExitCodes.Success, code);
        string samples = Line(sink, "Samples: ");
        Match m = SampleBooks().Match(samples);
        Assert.True(m.Success, samples);
        Assert.Equal(Number(m, "received"), Number(m, "processed") + Number(m, "dropped"));
        Assert.Equal(1, Number(m, "implausible"));
        Assert.Equal(1, Number(m, "backwards"));
        Assert.Equal(1, Number(m, "gaps"));
        string rows = Line(sink, "File rows: ");
        Match r = RowBooks().Match(rows);
        Assert.True(r.Success, rows);
        Assert.Equal((lines.Length - 1) / 500, Number(r, "malformed"));
        Assert.Equal(Number(r, "read"), Number(r, "samples") + Number(r, "marks") + Number(r, "detections") + Number(r, "malformed"));
        Assert.Equal(Number(m, "received"), Number(r, "samples"));
        Assert.Single(sink.Lines, l => l.Level == LogEventLevel.Warning && l.Text.Contains("malformed line", StringComparison.Ordinal));
        Assert.True(truth > 0);
    }

    [Fact]
    public async Task A_file_of_only_malformed_rows_ends_with_exit_4_naming_the_file()
    {
        using TempDirectory temp = new();
        string walk = temp.File("garbage.csv");
        File.WriteAllLines(walk, ["timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType", .. Enumerable.Repeat("x,y,z,w,v,u", 12_440)]);
        CollectingSerilogSink sink = new();
        RunHost runner = new(new BuiltInComponents(),
            new RunOptions { Source = "file:" + walk, Speed = "max" },
            new PipelineOptions { ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            sink.CreateLogger());

        Assert.Equal(ExitCodes.Input, await runner.RunAsync(CancellationToken.None));
        string error = Assert.Single(sink.Lines, l => l.Level == LogEventLevel.Error).Text;
        Assert.Contains(walk, error, StringComparison.Ordinal);
        Assert.Contains("12440 malformed", error, StringComparison.Ordinal);
        Assert.Contains("12440 malformed (UnknownEventType 12440)", Line(sink, "File rows: "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_a_replay_at_max_speed_records_every_detection_and_its_books_balance()
    {
        using TempDirectory temp = new();
        CollectingSerilogSink sink = new();
        RunHost runner = new(new BuiltInComponents(),
            new RunOptions { Source = "sim:seed=5,minutes=2", Speed = "max" },
            new PipelineOptions { ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            sink.CreateLogger())
        {
            // A small queue (0.1 s): at --speed max the samples and detections outrun it unless the consumer waits.
            Recording = new RecorderOptions { Directory = temp.Path, QueueSeconds = 0.1, FlushEveryRows = 100_000 },
        };

        Assert.Equal(ExitCodes.Success, await runner.RunAsync(CancellationToken.None));

        Match books = RecordingBooks().Match(Line(sink, "Recording rows: "));
        Assert.True(books.Success, sink.Text);
        Assert.Equal(0, Number(books, "dropped"));
        Assert.Equal(Number(books, "offered"), Number(books, "written"));
        long footfalls = runner.Histograms.Count;
        long detectionRows = runner.RecordedFiles.SelectMany(File.ReadLines).Count(l => l.Contains(",detection,", StringComparison.Ordinal));
        Assert.True(footfalls > 60, $"{footfalls} footfalls in a two-minute walk");
        Assert.Equal(footfalls, detectionRows);
    }

    [Fact]
    public void Events_to_a_full_device_are_counted_as_failed_with_one_line_and_no_stack_trace()
    {
        using TempDirectory temp = new();

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "run", "--source", "sim:seed=3,minutes=1", "--speed", "max", "--midi", "none", "--events", "/dev/full", "--progress", "0");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        string all = stdout + stderr;
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", all, StringComparison.Ordinal);
        Match events = Regex.Match(all, @"Events: (?<published>\d+) published; per consumer: histograms (?<h>\d+), log (?<l>\d+), events (?<ok>\d+) \+ (?<failed>\d+) failed");
        Assert.True(events.Success, all);
        Assert.Equal(Number(events, "published"), Number(events, "ok") + Number(events, "failed"));
        Assert.True(Number(events, "failed") > 0);
    }

    private static string Line(CollectingSerilogSink sink, string prefix) =>
        Assert.Single(sink.Lines, l => l.Text.StartsWith("\"" + prefix, StringComparison.Ordinal) || l.Text.StartsWith(prefix, StringComparison.Ordinal)).Text;

    private static long Number(Match m, string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static string WithX(string line, string x)
    {
        string[] f = line.Split(',');
        f[1] = x;
        return string.Join(',', f);
    }

    private static string ShiftTime(string line, long ms)
    {
        string[] f = line.Split(',');
        f[0] = (decimal.Parse(f[0], CultureInfo.InvariantCulture) + ms).ToString(CultureInfo.InvariantCulture);
        return string.Join(',', f);
    }

    [GeneratedRegex(@"Samples: (?<received>\d+) received = (?<processed>\d+) processed \+ (?<dropped>\d+) dropped \(ring full \d+, sensor id out of range \d+, implausible value (?<implausible>\d+)\); time went backwards (?<backwards>\d+) times, (?<gaps>\d+) gaps")]
    private static partial Regex SampleBooks();

    [GeneratedRegex(@"File rows: (?<read>\d+) read = (?<samples>\d+) samples \+ (?<marks>\d+) footfall marks \+ (?<detections>\d+) detection rows \(not replayed\) \+ (?<malformed>\d+) malformed")]
    private static partial Regex RowBooks();

    [GeneratedRegex(@"Recording rows: (?<offered>\d+) offered = (?<written>\d+) written \+ (?<dropped>\d+) dropped \(queue full\) \+ (?<notrecorded>\d+) not recorded \(recorder not running\) \+ (?<lost>\d+) lost")]
    private static partial Regex RecordingBooks();
}

/// <summary>The DSP detector keeps finding footfalls after one absurd sample (it is rejected before it reaches it).</summary>
[Trait("Category", "Peer")]
public sealed class ImpossibleSampleTests
{
    [Theory]
    [InlineData("1e20")] // beyond float: the CSV reader rejects the row (BadAcceleration)
    [InlineData("1e10")] // a finite float: the pipeline rejects the sample (implausible)
    [InlineData("NaN")]
    public async Task One_impossible_sample_does_not_silence_the_dsp_detector(string value)
    {
        using TempDirectory temp = new();
        string clean = temp.File("clean.csv");
        SmallRecording.Write(clean, seconds: 60, seed: 8);
        string[] lines = File.ReadAllLines(clean);
        int target = Array.FindIndex(lines, 500, l => l.Contains(",sample,", StringComparison.Ordinal));
        string[] f = lines[target].Split(',');
        f[1] = value;
        lines[target] = string.Join(',', f);
        string spoiled = temp.File("spoiled.csv");
        File.WriteAllLines(spoiled, lines);

        long cleanFootfalls = await Footfalls(clean);
        long spoiledFootfalls = await Footfalls(spoiled);

        Assert.True(cleanFootfalls > 40, $"{cleanFootfalls} footfalls in the clean walk");
        Assert.InRange(spoiledFootfalls, cleanFootfalls - 1, cleanFootfalls);
    }

    private static async Task<long> Footfalls(string path)
    {
        RunHost runner = new(new BuiltInComponents(),
            new RunOptions { Source = "file:" + path, Speed = "max" },
            new PipelineOptions { ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            new Serilog.LoggerConfiguration().CreateLogger());
        Assert.Equal(ExitCodes.Success, await runner.RunAsync(CancellationToken.None));
        return runner.Histograms.Count;
    }
}
