using System.Text.Json;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Midi.Mapping;
using Serilog;

namespace IolaEdge.Daemon.Tests.Hosting;

[Trait("Category", "Peer")]
public sealed class MidiWiringTests
{
    private static readonly ILogger s_log = new LoggerConfiguration().CreateLogger();

    [Fact]
    public async Task A_simulated_walk_through_the_midi_engine_gives_one_mapped_note_on_per_footfall_in_the_file()
    {
        using TempDirectory temp = new();
        string midiFile = temp.File("walk.mid");
        string events = temp.File("events.jsonl");
        MidiOptions midi = new()
        {
            Backend = "file",
            FilePath = midiFile,
            Mapping = new MidiMappingOptions { Default = new SensorMidiMapping { Note = 42, Channel = 3, NoteLengthMs = 50 } },
        };
        RunHost runner = new(new BuiltInComponents(),
            new RunOptions { Source = "sim:seed=3,minutes=0.5", Speed = "max" },
            new PipelineOptions { ProgressIntervalSeconds = 0 },
            midi,
            new EventsOptions { Output = events, LogEachFootfall = false },
            s_log);

        Assert.Equal(ExitCodes.Success, await runner.RunAsync(CancellationToken.None));

        string[] lines = File.ReadAllLines(events);
        Assert.True(lines.Length > 20, $"only {lines.Length} footfalls");
        IReadOnlyList<MidoNote> notes = Mido.ReadNotes(midiFile);
        List<MidoNote> noteOns = notes.Where(n => n.IsNoteOn).ToList();
        Assert.Equal(lines.Length, noteOns.Count);
        Assert.All(noteOns, n => Assert.Equal((42, 2), (n.Note, n.Channel))); // channel 3 is 2 on the wire
        // The last note is released. (At --speed max the MIDI engine retriggers the note before earlier
        // note-offs fall due on its wall clock, and drops those superseded note-offs.)
        Assert.False(notes[^1].IsNoteOn);
        for (int i = 1; i < notes.Count; i++)
        {
            Assert.True(notes[i].Seconds >= notes[i - 1].Seconds, $"time goes back at message {i}");
        }

        foreach (string line in lines)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            // The file writer takes the note on the MIDI thread, inside the hand-off: sent just before queued.
            long sent = json.RootElement.GetProperty("midiWriteNs").GetInt64();
            long queued = json.RootElement.GetProperty("midiQueuedNs").GetInt64();
            Assert.True(sent > 0 && sent <= queued, $"sent {sent}, queued {queued}");
            Assert.True(json.RootElement.GetProperty("processingLatencyMs").GetDouble() >= 0);
        }

        Assert.Equal(lines.Length, runner.Histograms.Count);
        Assert.Equal(0, runner.Histograms.Unmeasured);
    }
}
