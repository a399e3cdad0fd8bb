using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Daemon.Tests.Cli;

/// <summary>The real binary, end to end: source → DSP detector → MIDI engine → Standard MIDI File, read back by python3-mido.</summary>
[Trait("Category", "Peer")]
public sealed partial class EndToEndTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void A_simulated_walk_gives_one_mapped_note_on_per_detected_footfall_with_monotonic_times()
    {
        using TempDirectory temp = new();
        string midi = temp.File("walk.mid");
        string events = temp.File("events.jsonl");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "run", "--source", "sim:seed=11,minutes=1", "--speed", "max", "--midi-file", midi, "--events", events,
            "--set", "Midi:Mapping:Default:Note=45", "--set", "Midi:Mapping:Default:Channel=4", "--progress", "0");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        int footfalls = SummaryFootfalls(stdout);
        Assert.InRange(footfalls, 40, 70); // one foot, 100-116 steps/min, one minute (pauses included)
        Assert.Equal(footfalls, File.ReadAllLines(events).Length);
        AssertMidiMatches(midi, footfalls, note: 45, wireChannel: 3);
        Assert.Contains("MIDI file: " + midi, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_recording_replayed_from_a_file_gives_one_note_on_per_footfall()
    {
        using TempDirectory temp = new();
        string walk = temp.File("walk.csv");
        int truth = SmallRecording.Write(walk, seconds: 40, seed: 4);
        string midi = temp.File("walk.mid");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "replay", walk, "--speed", "max", "--midi-file", midi, "--progress", "0");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        int footfalls = SummaryFootfalls(stdout);
        Assert.InRange(footfalls, truth - 4, truth + 2); // the DSP detector finds (almost) every truth step
        Assert.Contains($"{truth} annotated footfalls", stdout, StringComparison.Ordinal);
        Assert.Equal(footfalls, FootfallLines(stdout));
        AssertMidiMatches(midi, footfalls, note: 60, wireChannel: 9); // shipped mapping: note 60 on channel 10
    }

    [Fact]
    public void Sigint_mid_run_drains_prints_the_summary_and_leaves_a_valid_midi_file()
    {
        using TempDirectory temp = new();
        string midi = temp.File("live.mid");
        using IolaEdgeProcess process = IolaEdgeProcess.Start(temp.Path, null,
            "run", "--source", "sim:seed=2,minutes=30", "--speed", "4", "--midi-file", midi, "--progress", "0");

        Assert.True(process.WaitForOutput("Footfall sensor 0 #4 ", s_timeout), process.Stdout + process.Stderr);
        process.Signal("INT");
        int code = process.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.Equal(0, code);
        Assert.Contains("Summary (stopped by signal)", process.Stdout, StringComparison.Ordinal);
        int footfalls = SummaryFootfalls(process.Stdout);
        Assert.True(footfalls >= 5);
        AssertMidiMatches(midi, footfalls, note: 60, wireChannel: 9);
    }

    [Fact]
    public void Sigusr1_prints_the_latency_summary_and_the_run_goes_on_until_sigterm()
    {
        using TempDirectory temp = new();
        using IolaEdgeProcess process = IolaEdgeProcess.Start(temp.Path, null,
            "run", "--source", "sim:seed=3,minutes=30", "--speed", "4", "--midi", "none", "--progress", "0");

        Assert.True(process.WaitForOutput("Footfall sensor 0 #2 ", s_timeout), process.Stdout + process.Stderr);
        process.Signal("USR1");
        Assert.True(process.WaitForOutput("Summary (SIGUSR1)", TimeSpan.FromSeconds(30)), process.Stdout + process.Stderr);
        Assert.True(process.WaitForOutput("Footfall sensor 0 #4 ", s_timeout), "the run stopped after SIGUSR1");
        process.Signal("TERM");

        Assert.Equal(0, process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("p99.9=", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("Summary (stopped by signal)", process.Stdout, StringComparison.Ordinal);
    }

    private static void AssertMidiMatches(string midiFile, int footfalls, int note, int wireChannel)
    {
        IReadOnlyList<MidoNote> notes = Mido.ReadNotes(midiFile);
        List<MidoNote> noteOns = notes.Where(n => n.IsNoteOn).ToList();
        Assert.Equal(footfalls, noteOns.Count);
        Assert.All(noteOns, n => Assert.Equal((note, wireChannel), (n.Note, n.Channel)));
        for (int i = 1; i < notes.Count; i++)
        {
            Assert.True(notes[i].Seconds >= notes[i - 1].Seconds, $"time goes back at message {i}");
        }
    }

    private static int SummaryFootfalls(string stdout)
    {
        Match match = SummaryLine().Match(stdout);
        Assert.True(match.Success, "no summary line in:\n" + stdout);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static int FootfallLines(string stdout) => FootfallLine().Count(stdout);

    [GeneratedRegex(@"Summary \([^)]*\): \d+ samples, (\d+) footfalls")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"\[INF\] Footfall sensor \d+ #\d+ at ")]
    private static partial Regex FootfallLine();
}

/// <summary>The embedded default: <c>iolaedge run</c> with nothing but a time limit.</summary>
[Trait("Category", "Peer")]
public sealed class DefaultRunTests
{
    [Fact]
    public void Run_without_a_source_replays_the_bundled_walk_in_real_time_and_writes_a_midi_file_in_the_current_directory()
    {
        using TempDirectory temp = new();

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, TimeSpan.FromSeconds(120), null, "run", "--duration", "6");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("bundled-walk.csv@x1", stdout, StringComparison.Ordinal); // real-time pace
        Assert.Contains("Footfall sensor 0 #0 at", stdout, StringComparison.Ordinal);
        Assert.Contains("processing (MIDI write - packet arrival): n=", stdout, StringComparison.Ordinal);
        string midi = Assert.Single(Directory.GetFiles(temp.Path, "iolaedge-*.mid"));
        Assert.Contains("MIDI file: " + midi, stdout, StringComparison.Ordinal);
        Assert.Contains(Mido.ReadNotes(midi), n => n.IsNoteOn);
    }
}
