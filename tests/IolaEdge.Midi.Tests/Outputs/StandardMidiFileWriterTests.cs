using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Outputs;

[Trait("Category", "Peer")]
public sealed class StandardMidiFileWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iola-smf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Mido_reads_back_exact_notes_at_ticks_from_footfall_times_with_the_tempo_map()
    {
        string path = Path.Combine(_dir, "walk.mid");
        const long Origin = 5_000_000_000;
        using (var smf = new StandardMidiFileWriter(path, originNs: Origin, reorderWindowNs: 500_000_000))
        {
            // Three steps 520.8333 ms apart = exactly 1000 ticks at 960 ppq, 120 bpm; notes 100 ms long.
            for (int i = 0; i < 3; i++)
            {
                long t = Origin + (i * 520_833_333L);
                smf.Send(MidiMessage.NoteOn(9, 36 + i, 100 + i), t);
                smf.Send(MidiMessage.Clock(), t); // real-time: not allowed in SMF, skipped
                smf.Send(MidiMessage.SystemExclusive(0x7D, [0x49, (byte)i]), t);
                smf.Send(MidiMessage.NoteOff(9, 36 + i), t + 100_000_000);
            }

            Assert.Equal(3, smf.SkippedRealTime);
        }

        Mido.SmfFile file = Mido.Read(path);
        Assert.Equal(0, file.Type);
        Assert.Equal(StandardMidiFileWriter.TicksPerQuarter, file.TicksPerBeat);
        IReadOnlyList<Mido.SmfEvent> track = Assert.Single(file.Tracks);
        Assert.Contains(track, e => e.Meta == "set_tempo" && e.Tempo == 500_000 && e.Tick == 0);
        Assert.Equal("end_of_track", track[^1].Meta);
        var channel = track.Where(e => e.Bytes is not null).Select(e => (e.Tick, e.Bytes)).ToList();
        Assert.Equal(
            [
                (0L, "99 24 64"), (0L, "F0 7D 49 00 F7"), (192L, "89 24 00"),
                (1000L, "99 25 65"), (1000L, "F0 7D 49 01 F7"), (1192L, "89 25 00"),
                (2000L, "99 26 66"), (2000L, "F0 7D 49 02 F7"), (2192L, "89 26 00"),
            ],
            channel);
    }

    [Fact]
    public void Note_offs_arriving_after_later_note_ons_are_placed_in_time_order()
    {
        string path = Path.Combine(_dir, "fast.mid");
        using (var smf = new StandardMidiFileWriter(path, originNs: 0, reorderWindowNs: 1_000_000_000))
        {
            // Faster-than-real-time replay: the note off of step 1 (at 300 ms) is sent after step 2's note on (at 200 ms).
            smf.Send(MidiMessage.NoteOn(0, 60, 90), 0);
            smf.Send(MidiMessage.NoteOn(0, 62, 90), 200_000_000);
            smf.Send(MidiMessage.NoteOff(0, 60), 300_000_000);
            smf.Send(MidiMessage.NoteOff(0, 62), 500_000_000);
            Assert.Equal(0, smf.LateMessages);
        }

        var ticks = Mido.Read(path).Tracks[0].Where(e => e.Bytes is not null).Select(e => (e.Tick, e.Bytes)).ToList();
        Assert.Equal([(0L, "90 3C 5A"), (384L, "90 3E 5A"), (576L, "80 3C 00"), (960L, "80 3E 00")], ticks);
    }

    [Fact]
    public void The_file_is_valid_after_each_flush_while_still_open_as_after_a_kill()
    {
        string path = Path.Combine(_dir, "live.mid");
        using var smf = new StandardMidiFileWriter(path, originNs: 0, reorderWindowNs: 0);
        smf.Send(MidiMessage.NoteOn(0, 60, 90), 0);
        smf.Send(MidiMessage.NoteOff(0, 60), 100_000_000);
        smf.Flush();
        string copy1 = Path.Combine(_dir, "copy1.mid");
        File.Copy(path, copy1); // what a killed process leaves: the writer is never closed
        smf.Send(MidiMessage.NoteOn(0, 61, 90), 1_000_000_000);
        smf.Flush();
        string copy2 = Path.Combine(_dir, "copy2.mid");
        File.Copy(path, copy2);

        Assert.Equal(["90 3C 5A", "80 3C 00"], Mido.Read(copy1).Tracks[0].Where(e => e.Bytes is not null).Select(e => e.Bytes!));
        var second = Mido.Read(copy2).Tracks[0];
        Assert.Equal(["90 3C 5A", "80 3C 00", "90 3D 5A"], second.Where(e => e.Bytes is not null).Select(e => e.Bytes!));
        Assert.Equal("end_of_track", second[^1].Meta);
    }

    [Fact]
    public void Origin_defaults_to_the_first_message_and_late_messages_are_clamped_and_counted()
    {
        string path = Path.Combine(_dir, "late.mid");
        using (var smf = new StandardMidiFileWriter(path, reorderWindowNs: 0))
        {
            smf.Send(MidiMessage.NoteOn(0, 60, 90), 7_000_000_000);
            smf.Send(MidiMessage.NoteOn(0, 61, 90), 8_000_000_000);
            smf.Send(MidiMessage.NoteOff(0, 60), 7_500_000_000); // earlier than one already written
            Assert.Equal(1, smf.LateMessages);
        }

        var ticks = Mido.Read(path).Tracks[0].Where(e => e.Bytes is not null).Select(e => e.Tick).ToList();
        Assert.Equal([0L, 1920L, 1920L], ticks);
    }

    [Fact]
    public void Writing_after_dispose_throws()
    {
        var smf = new StandardMidiFileWriter(Path.Combine(_dir, "x.mid"));
        smf.Dispose();
        Assert.Throws<ObjectDisposedException>(() => smf.Send(MidiMessage.NoteOn(0, 1, 1), 0));
    }
}
