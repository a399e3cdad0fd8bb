using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Recording;

namespace IolaEdge.Daemon.Tests.Recording;

/// <summary><c>run --record DIR</c> through the real binary: the recording CSV beside detection and MIDI.</summary>
public sealed partial class RunRecordingTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void Run_with_record_writes_a_session_that_eval_reads_back_with_the_same_footfalls_and_detections()
    {
        using TempDirectory temp = new();
        string dir = temp.File("rec");
        string events = temp.File("events.jsonl");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "run", "--source", "sim:seed=11,minutes=1", "--speed", "max", "--midi", "none", "--events", events,
            "--record", dir, "--progress", "0");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        string csv = Assert.Single(Directory.GetFiles(dir, "session-*.csv"));
        (int samples, int footfalls, int detections) = Count(csv);
        Assert.Equal(Summary(stdout, "samples"), samples);
        Assert.Equal(Summary(stdout, "annotated footfalls"), footfalls);
        Assert.Equal(Summary(stdout, "footfalls"), detections);
        Assert.Equal(File.ReadAllLines(events).Length, detections);
        Assert.True(footfalls > 30, $"{footfalls} annotations");
        Assert.Matches(@"Recording: \d+ rows written, 0 dropped", stdout);

        // Button presses are monotonic stamps: a replay on its own epoch clock does not open the button.
        Assert.Contains("Footfall button not used", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("No footfall button", stdout + stderr, StringComparison.Ordinal);

        string json = temp.File("eval.json");
        (code, stdout, stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "eval", "--input", csv, "--json", json);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement counters = doc.RootElement.GetProperty("counters");
        Assert.Equal(samples, counters.GetProperty("samples").GetInt32());
        Assert.Equal(footfalls, counters.GetProperty("truth_events").GetInt32());
        Assert.Equal(detections, counters.GetProperty("detections").GetInt32()); // same detector, same samples, same times
        Assert.Equal(0, counters.GetProperty("malformed_lines").GetInt32());
    }

    [Fact]
    public void An_unwritable_record_directory_stops_only_the_recording()
    {
        using TempDirectory temp = new();
        string blocker = temp.File("not-a-directory");
        File.WriteAllText(blocker, "a regular file");
        string midi = temp.File("walk.mid");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "run", "--source", "sim:seed=3,minutes=1", "--speed", "max", "--midi-file", midi,
            "--record", Path.Combine(blocker, "rec"), "--set", "Button:Enabled=false", "--progress", "0");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.True(Summary(stdout, "footfalls") > 30, stdout); // detection carried on
        Assert.True(new FileInfo(midi).Length > 100); // and MIDI
        Assert.Contains("recording stopped on an I/O error", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Recording: 0 rows written, 0 dropped \(queue full\), [1-9]\d* not recorded, state Failed", stdout);
        Assert.DoesNotContain("No footfall button", stdout + stderr, StringComparison.Ordinal); // Button:Enabled=false
    }

    [Theory]
    [InlineData("Recording:QueueSeconds=0", "Recording:QueueSeconds = '0'")]
    [InlineData("Button:Pin=5000", "Button:Pin = '5000'")]
    public void A_bad_recording_or_button_option_fails_at_start_naming_the_key(string setting, string expected)
    {
        using TempDirectory temp = new();

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "run", "--source", "sim:seed=3,minutes=1", "--speed", "max", "--midi", "none", "--record", temp.File("rec"), "--set", setting);

        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("rec")));
    }

    private static (int Samples, int Footfalls, int Detections) Count(string csv)
    {
        int samples = 0, footfalls = 0, detections = 0;
        using RecordingCsvReader reader = RecordingCsvReader.Open(csv);
        while (reader.TryRead(out RecordedRow record))
        {
            switch (record.Kind)
            {
                case RecordedRowKind.Sample: samples++; break;
                case RecordedRowKind.Footfall: footfalls++; break;
                default: detections++; break;
            }
        }

        Assert.Equal(0, reader.MalformedCount);
        return (samples, footfalls, detections);
    }

    private static int Summary(string stdout, string what)
    {
        Match m = Regex.Match(stdout, @"Summary \([^)]*\): (\d+) samples, (\d+) footfalls, (\d+) annotated footfalls");
        Assert.True(m.Success, stdout);
        int group = what switch { "samples" => 1, "footfalls" => 2, _ => 3 };
        return int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
    }
}
