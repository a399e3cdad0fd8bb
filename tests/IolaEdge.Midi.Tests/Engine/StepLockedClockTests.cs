using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Engine;

/// <summary>Real-time tests (a few seconds each): the clock's beats against footfalls sent at walking pace.</summary>
[Trait("Category", "Slow")]
[Collection(nameof(StepLockedClockTests))]
public sealed class StepLockedClockTests
{
    private const long Ms = 1_000_000;

    // The daemon runs this thread under SCHED_FIFO (its Realtime section, tested in the daemon's tests); here it runs under
    // normal scheduling, so these timings assume a machine that is not saturated.
    private static readonly MidiEngineOptions RealTime = new();

    private static MidiMappingOptions Clock(bool songPosition = false) => new()
    {
        Default = new SensorMidiMapping { Note = 36, NoteLengthMs = 20 },
        Clock = new MidiClockOptions { Enabled = true, StepsPerBeat = 1, StopAfterMs = 1200, OutputLatencyMs = 0, SongPosition = songPosition },
    };

    // Footfalls every 500 ms (stride 1000 ms, one foot... a step per beat), each reported 25 ms after it happened;
    // the first is 140 ms off the engine's idea of time so the clock must pull its phase in. Returns their monotonic times.
    private static List<long> Walk(MidiEngine engine, int steps, long firstNs)
    {
        List<long> footfalls = [];
        for (int k = 0; k < steps; k++)
        {
            long footfall = firstNs + (k * 500 * Ms);
            while (MonotonicClock.NowNs() < footfall + (25 * Ms))
            {
                Thread.Sleep(1);
            }

            long now = MonotonicClock.NowNs();
            engine.TryEnqueue(Footfalls.Walking(footfall, strideMs: 1000, sequence: k, decisionNs: footfall + (25 * Ms), arrivalNs: now - (now - footfall - (25 * Ms))));
            footfalls.Add(footfall);
        }

        return footfalls;
    }

    [Fact]
    public void Beats_land_on_the_footfalls_not_only_at_their_rate()
    {
        var output = new RecordingOutput();
        using var engine = new MidiEngine(output, Clock(), RealTime);
        List<long> footfalls = Walk(engine, 10, MonotonicClock.NowNs() + (140 * Ms));
        Thread.Sleep(1500); // Stop after 1200 ms without a step

        var realTime = output.Snapshot().Where(s => s.Message.IsRealTime).ToList();
        Assert.Equal(MidiMessage.Start(), realTime[0].Message);
        Assert.Equal(MidiMessage.Stop(), realTime[^1].Message);
        var clocks = realTime.Where(s => s.Message == MidiMessage.Clock()).ToList();

        // Every 24th clock opens a beat; after two beats of locking, each must sit on a footfall.
        List<double> errors = [];
        for (int i = 48; i < clocks.Count; i += 24)
        {
            long beat = clocks[i].WallNs;
            if (beat > footfalls[^1] + (250 * Ms))
            {
                break; // the walk is over; the clock runs on until Stop
            }

            errors.Add(footfalls.Min(f => Math.Abs(beat - f)) / 1e6);
        }

        Assert.True(errors.Count >= 4, $"{errors.Count} beats after locking");
        errors.Sort();
        Assert.True(errors[errors.Count / 2] <= 8, $"beat − footfall |error| median {errors[errors.Count / 2]:0.0} ms (all: {string.Join(", ", errors.Select(e => e.ToString("0.0")))})");

        // 24 per beat at 500 ms per beat: about 20.8 ms apart, never bunched.
        var gaps = clocks.Skip(1).Select((c, i) => (c.WallNs - clocks[i].WallNs) / 1e6).ToList();
        Assert.InRange(gaps.Order().ElementAt(gaps.Count / 2), 19.5, 22.5);
    }

    [Fact]
    public void With_notes_muted_the_clock_still_starts_ticks_on_the_steps_and_stops_and_no_note_is_sent()
    {
        var output = new RecordingOutput();
        MidiMappingOptions clockOnly = Clock();
        clockOnly.SendNotes = false; // the clock-only preset
        using var engine = new MidiEngine(output, clockOnly, RealTime);
        Walk(engine, 6, MonotonicClock.NowNs() + (50 * Ms));
        Thread.Sleep(1500);

        List<string> bytes = output.Snapshot().Select(s => s.Message.ToString()).ToList();
        Assert.Equal("FA", bytes[0]);
        Assert.Equal("FC", bytes[^1]);
        Assert.True(bytes.Count(b => b == "F8") >= 24 * 3, $"{bytes.Count(b => b == "F8")} clocks");
        Assert.DoesNotContain(bytes, b => b.StartsWith('9') || b.StartsWith('8'));
    }

    [Fact]
    public void Walking_again_after_a_stop_sends_song_position_and_continue_when_asked()
    {
        var output = new RecordingOutput();
        using var engine = new MidiEngine(output, Clock(songPosition: true), RealTime);
        Walk(engine, 4, MonotonicClock.NowNs() + (50 * Ms));
        Thread.Sleep(1600);
        Walk(engine, 4, MonotonicClock.NowNs() + (50 * Ms));
        Thread.Sleep(1500);

        List<string> bytes = output.Snapshot().Where(s => s.Message.IsRealTime || s.Message.IsSongPosition).Select(s => s.Message.ToString()).ToList();
        Assert.Equal("FA", bytes[0]);
        int stop = bytes.IndexOf("FC");
        Assert.True(stop > 0);
        Assert.StartsWith("F2 ", bytes[stop + 1]);
        Assert.Equal("FB", bytes[stop + 2]);
        Assert.True(MidiMessage.TryParse(Convert.FromHexString(bytes[stop + 1].Replace(" ", "", StringComparison.Ordinal)), out MidiMessage spp, out _));
        int position = spp.Bytes[1] | (spp.Bytes[2] << 7);
        int clocksBefore = bytes.Take(stop).Count(b => b == "F8");
        Assert.Equal(0, position % 4); // a whole beat
        Assert.InRange(position * 6, clocksBefore, clocksBefore + 24);
        Assert.Equal("FC", bytes[^1]);
    }
}

/// <summary>The clock tests measure wall-clock timing: they run alone, not beside other test classes.</summary>
[CollectionDefinition(nameof(StepLockedClockTests), DisableParallelization = true)]
public sealed class StepLockedClockCollection
{
}
