using IolaEdge.Dsp.Samples;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Engine;

/// <summary>
/// The consumer of the stamped events (the daemon's forwarder to logs and histograms) sleeps until the MIDI thread
/// writes one, instead of polling every millisecond. Each test waits with a timeout far longer than the test allows,
/// so that only a wake-up can pass it.
/// </summary>
public sealed class StampedEventsWakeTests : IDisposable
{
    private static readonly TimeSpan s_longWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_allowed = TimeSpan.FromSeconds(20);

    private readonly string _dir = Directory.CreateTempSubdirectory("iola-wake-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private MidiEngine Engine() => new(new StandardMidiFileWriter(Path.Combine(_dir, "a.mid")), new MidiMappingOptions
    {
        Default = new SensorMidiMapping { Note = 36, Channel = 10, Velocity = VelocityCurve.Fixed, FixedVelocity = 100, NoteLengthMs = 20 },
    });

    private static Thread WaitingConsumer(MidiEngine engine)
    {
        Thread consumer = new(() => engine.Written.WaitForEvent(s_longWait)) { IsBackground = true };
        consumer.Start();
        Thread.Sleep(200); // let it reach the wait: a write before it only makes the wait return at once
        return consumer;
    }

    [Fact]
    public void A_waiting_consumer_wakes_when_the_MIDI_thread_writes_an_event_and_reads_it()
    {
        using MidiEngine engine = Engine();
        Thread consumer = WaitingConsumer(engine);

        Assert.True(engine.TryEnqueue(Footfalls.At(1_000_000_000)));

        Assert.True(consumer.Join(s_allowed), "the consumer slept on although an event was written");
        Assert.True(engine.Written.TryRead(out FootfallEvent stamped));
        Assert.Equal(1, engine.Written.NotesSent);
        Assert.NotEqual(0, stamped.MidiWriteTimeNs);
    }

    [Fact]
    public void A_waiting_consumer_wakes_when_the_engine_stops()
    {
        MidiEngine engine = Engine();
        Thread consumer = WaitingConsumer(engine);

        engine.Dispose();

        Assert.True(consumer.Join(s_allowed), "the consumer slept on after the engine stopped");
    }

    [Fact]
    public void With_nothing_written_the_wait_ends_at_its_timeout()
    {
        using MidiEngine engine = Engine();

        engine.Written.WaitForEvent(TimeSpan.FromMilliseconds(50));

        Assert.False(engine.Written.TryRead(out _));
    }
}
