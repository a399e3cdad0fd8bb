using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Engine;

/// <summary><c>Midi:Mapping:SendNotes=false</c> (the clock-only preset): footfalls go on, without notes.</summary>
public sealed class MutedNotesTests
{
    private const long Ms = 1_000_000;

    private static MidiMappingOptions Muted(NoteTriggerMode trigger = NoteTriggerMode.Detect) => new()
    {
        SendNotes = false,
        Default = new SensorMidiMapping { Note = 36, NoteLengthMs = 20, Trigger = trigger },
    };

    private static bool WaitFor(Func<bool> condition) => SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(5));

    [Fact]
    public void Detected_footfalls_send_no_note_and_come_back_stamped_without_one()
    {
        var output = new RecordingOutput();
        using var engine = new MidiEngine(output, Muted());
        for (int i = 0; i < 5; i++)
        {
            Assert.True(engine.TryEnqueue(Footfalls.At((1000 + (i * 500)) * Ms, i)));
        }

        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        Assert.Empty(output.Snapshot());
        int read = 0;
        while (engine.Written.TryRead(out FootfallEvent stamped))
        {
            Assert.Equal(NoteTrigger.None, stamped.Trigger);
            Assert.Equal(0, stamped.MidiWriteTimeNs);
            read++;
        }

        Assert.Equal(5, read);
        Assert.Equal(5, engine.Processed);
    }

    [Fact]
    public void Predictions_play_no_note_while_muted_and_notes_come_back_when_unmuted()
    {
        var output = new RecordingOutput();
        using var engine = new MidiEngine(output, Muted(NoteTriggerMode.Predict));
        engine.TryEnqueue(Footfalls.Predicted(1100 * Ms, 1000 * Ms, MonotonicClock.NowNs()));
        engine.TryEnqueue(Footfalls.At(1100 * Ms, 1));
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        Thread.Sleep(200); // past the prediction's send time
        Assert.Equal(0, engine.PredictedNotes);
        Assert.Empty(output.Snapshot());

        MidiMappingOptions unmuted = Muted(NoteTriggerMode.Detect);
        unmuted.SendNotes = true;
        engine.UpdateMapping(unmuted);
        engine.TryEnqueue(Footfalls.At(2000 * Ms, 2));

        Assert.True(WaitFor(() => output.Snapshot().Any(s => s.Message.ToString().StartsWith("99 24 ", StringComparison.Ordinal))),
            string.Join(" | ", output.Snapshot().Select(s => s.Message.ToString())));
    }
}
