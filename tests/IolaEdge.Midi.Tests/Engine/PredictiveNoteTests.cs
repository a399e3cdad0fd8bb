using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Engine;

public sealed class PredictiveNoteTests
{
    private const long Ms = 1_000_000;

    private static MidiMappingOptions Predict(Action<MidiMappingOptions>? change = null)
    {
        var m = new MidiMappingOptions
        {
            Default = new SensorMidiMapping
            {
                Note = 36, Channel = 10, Velocity = VelocityCurve.Fixed, FixedVelocity = 100, NoteLengthMs = 20,
                Trigger = NoteTriggerMode.Predict, OutputLatencyMs = 20, ConfirmWindowMs = 80, MaxLateMs = 80,
            },
        };
        change?.Invoke(m);
        return m;
    }

    // The first events JIT-compile the engine's paths; on a loaded machine that takes longer than the times measured here.
    private static void WarmUp(MidiEngine engine)
    {
        engine.TryEnqueue(Footfalls.Predicted(100 * Ms, 90 * Ms, MonotonicClock.NowNs(), sensorId: 5));
        engine.TryEnqueue(Footfalls.Walking(100 * Ms, 1000, decisionNs: 120 * Ms, sensorId: 5));
        engine.TryEnqueue(Footfalls.Walking(500 * Ms, 1000, decisionNs: 510 * Ms, sensorId: 5));
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(10)));
        Thread.Sleep(50);
        while (engine.Written.TryRead(out _))
        {
        }
    }

    private static bool WaitFor(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        return condition();
    }

    private static List<FootfallEvent> Drain(MidiEngine engine)
    {
        List<FootfallEvent> written = [];
        while (engine.Written.TryRead(out FootfallEvent e))
        {
            written.Add(e);
        }

        return written;
    }

    [Fact]
    public void A_predicted_note_goes_out_at_the_predicted_footfall_minus_the_output_latency_and_its_detection_plays_no_second_note()
    {
        var output = new RecordingOutput();
        using var engine = new MidiEngine(output, Predict());
        WarmUp(engine);
        int before = output.Count;
        long arrival = MonotonicClock.NowNs();

        // Cue at session 1 000 ms, footfall predicted at 1 100 ms: the note is due 80 ms after the cue's arrival.
        engine.TryEnqueue(Footfalls.Predicted(1100 * Ms, 1000 * Ms, arrival));
        Assert.True(WaitFor(() => engine.PredictedNotes == 2));
        Thread.Sleep(20);
        engine.TryEnqueue(Footfalls.Walking(1105 * Ms, 1000, sequence: 4, decisionNs: 1125 * Ms));
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));

        var noteOns = output.Snapshot().Skip(before).Where(s => s.Message == MidiMessage.NoteOn(9, 36, 100)).ToList();
        Assert.Single(noteOns);
        double sentAfterArrivalMs = (noteOns[0].WallNs - arrival) / 1e6;
        Assert.InRange(sentAfterArrivalMs, 79, 200); // due at 80 ms; a loaded machine may wake the thread late, never early
        Assert.Equal(1080 * Ms, noteOns[0].TimeNs); // session time of the send: predicted − latency

        FootfallEvent stamped = Assert.Single(Drain(engine));
        Assert.Equal(NoteTrigger.Predicted, stamped.Trigger);
        Assert.Equal(1100 * Ms, stamped.PredictedTimeNs);
        Assert.Equal(1105 * Ms, stamped.DetectedTimeNs);
        Assert.Equal(noteOns[0].WallNs, stamped.MidiWriteTimeNs, 2 * Ms);
        Assert.Equal(2, engine.PredictedNotes); // the warm-up's and this one
    }

    [Fact]
    public void A_predicted_note_whose_footfall_never_comes_is_reported_unconfirmed()
    {
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Predict());
        engine.TryEnqueue(Footfalls.Predicted(1100 * Ms, 1000 * Ms, MonotonicClock.NowNs()));
        Assert.True(WaitFor(() => engine.PredictedNotes == 1));
        engine.Dispose();

        FootfallEvent lost = Assert.Single(Drain(engine));
        Assert.Equal(FootfallEventKind.Unconfirmed, lost.Kind);
        Assert.Equal(NoteTrigger.Predicted, lost.Trigger);
        Assert.Equal(1100 * Ms, lost.PredictedTimeNs);
        Assert.Equal(0, lost.DetectedTimeNs);
        Assert.NotEqual(0, lost.MidiWriteTimeNs);
        Assert.Equal(1, engine.UnconfirmedNotes);
    }

    [Fact]
    public void Without_a_prediction_the_detection_plays_unless_its_note_would_be_too_late()
    {
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Predict());
        engine.TryEnqueue(Footfalls.Walking(1000 * Ms, 1000, sequence: 0, decisionNs: 1020 * Ms)); // heard 40 ms late: plays
        engine.TryEnqueue(Footfalls.Walking(2000 * Ms, 1000, sequence: 1, decisionNs: 2080 * Ms)); // heard 100 ms late: dropped
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        engine.Dispose();

        Assert.Single(output.Snapshot(), s => s.Message == MidiMessage.NoteOn(9, 36, 100));
        List<FootfallEvent> written = Drain(engine);
        Assert.Equal([NoteTrigger.Detected, NoteTrigger.None], written.Select(e => e.Trigger));
        Assert.Equal(0, written[1].MidiWriteTimeNs);
    }

    [Fact]
    public void With_the_detect_trigger_predictions_play_nothing()
    {
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Predict(m => m.Default.Trigger = NoteTriggerMode.Detect));
        engine.TryEnqueue(Footfalls.Predicted(1100 * Ms, 1000 * Ms, MonotonicClock.NowNs()));
        engine.TryEnqueue(Footfalls.Walking(1105 * Ms, 1000, decisionNs: 1200 * Ms));
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        engine.Dispose();

        Assert.Single(output.Snapshot(), s => s.Message == MidiMessage.NoteOn(9, 36, 100));
        FootfallEvent stamped = Assert.Single(Drain(engine));
        Assert.Equal(NoteTrigger.Detected, stamped.Trigger);
    }

    [Fact]
    public void Trigger_and_its_timings_are_validated_with_the_key_named()
    {
        var m = Predict(o =>
        {
            o.Default.OutputLatencyMs = 900;
            o.Default.ConfirmWindowMs = 1;
            o.Default.Trigger = (NoteTriggerMode)7;
            o.Clock.OutputLatencyMs = -1;
        });
        IReadOnlyList<string> errors = m.Validate();
        Assert.Contains("Midi:Mapping:Default:OutputLatencyMs = 900 is outside 0..500", errors);
        Assert.Contains("Midi:Mapping:Default:ConfirmWindowMs = 1 is outside 5..500", errors);
        Assert.Contains("Midi:Mapping:Default:Trigger = 7 is not one of Detect, Predict", errors);
        Assert.Contains("Midi:Mapping:Clock:OutputLatencyMs = -1 is outside 0..500", errors);
    }
}
