using IolaEdge.Dsp.Samples;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Engine;

public class MidiEngineTests
{
    private static MidiMappingOptions Mapping(Action<MidiMappingOptions>? change = null)
    {
        var m = new MidiMappingOptions
        {
            Default = new SensorMidiMapping { Note = 36, Channel = 10, Velocity = VelocityCurve.Fixed, FixedVelocity = 100, NoteLengthMs = 20 },
            Sensors = [new SensorMidiMapping { SensorId = 1, Note = 38, Channel = 1, Velocity = VelocityCurve.Fixed, FixedVelocity = 90, NoteLengthMs = 20 }],
        };
        change?.Invoke(m);
        return m;
    }

    private static List<string> Bytes(RecordingOutput output) => output.Snapshot().Select(m => m.Message.ToString()).ToList();

    [Fact]
    public void Each_footfall_becomes_one_note_on_then_its_note_off_at_footfall_plus_note_length()
    {
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Mapping());
        Assert.True(engine.TryEnqueue(Footfalls.At(1_000_000_000, 0, sensorId: 0)));
        Assert.True(engine.TryEnqueue(Footfalls.At(1_500_000_000, 0, sensorId: 1)));
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        engine.Dispose();

        var sent = output.Snapshot();
        Assert.Equal(4, sent.Count);
        // Session-clock order: the second footfall (500 ms later) proves the first note is over.
        Assert.Equal(["99 24 64", "89 24 00", "90 26 5A", "80 26 00"], sent.Select(s => s.Message.ToString()));
        Assert.Equal(1_000_000_000, sent.Single(s => s.Message == MidiMessage.NoteOn(9, 36, 100)).TimeNs);
        Assert.Equal(1_020_000_000, sent.Single(s => s.Message == MidiMessage.NoteOff(9, 36)).TimeNs);
        Assert.Equal(1_520_000_000, sent.Single(s => s.Message == MidiMessage.NoteOff(0, 38)).TimeNs);
        Assert.True(output.Disposed);
        Assert.Null(engine.Fault);
    }

    [Fact]
    public void Stamped_events_come_back_with_the_write_time_after_arrival()
    {
        var output = new RecordingOutput();
        using var engine = new MidiEngine(output, Mapping());
        FootfallEvent footfall = Footfalls.At(2_000_000_000, 7);
        engine.TryEnqueue(footfall);
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        Assert.True(engine.Written.TryRead(out FootfallEvent stamped));
        Assert.Equal(7, stamped.Sequence);
        Assert.True(stamped.MidiWriteTimeNs >= footfall.PacketArrivalTimeNs);
        Assert.True(stamped.ProcessingLatencyNs >= 0);
        Assert.Equal(footfall.FootfallTimeNs, stamped.FootfallTimeNs);
    }

    [Fact]
    public void A_retriggered_key_keeps_sounding_until_the_newest_note_off()
    {
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Mapping(m => m.Default.NoteLengthMs = 1000));
        engine.TryEnqueue(Footfalls.At(0, 0));
        engine.TryEnqueue(Footfalls.At(100_000_000, 1));
        engine.WaitForIdle(TimeSpan.FromSeconds(5));
        engine.Dispose(); // flushes pending note-offs
        Assert.Equal(["99 24 64", "99 24 64", "89 24 00"], Bytes(output));
    }

    [Fact]
    public void A_replay_faster_than_real_time_still_ends_every_note_before_the_next_footfall()
    {
        // Footfalls 500 ms apart on the session clock arrive back to back (as with --speed max), long
        // before their 100 ms note-offs are due on the wall clock: each note-off must still come out.
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Mapping(m => m.Default.NoteLengthMs = 100));
        for (int i = 0; i < 5; i++)
        {
            Assert.True(engine.TryEnqueue(Footfalls.At(i * 500_000_000L, i)));
        }

        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        engine.Dispose();
        var sent = output.Snapshot().OrderBy(s => s.TimeNs).ToList();
        Assert.Equal(10, sent.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal((MidiMessage.NoteOn(9, 36, 100), i * 500_000_000L), (sent[2 * i].Message, sent[2 * i].TimeNs));
            Assert.Equal((MidiMessage.NoteOff(9, 36), (i * 500_000_000L) + 100_000_000), (sent[(2 * i) + 1].Message, sent[(2 * i) + 1].TimeNs));
        }
    }

    [Fact]
    public void Changing_the_mapping_while_running_applies_to_the_next_footfall()
    {
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Mapping());
        engine.TryEnqueue(Footfalls.At(0, 0));
        engine.WaitForIdle(TimeSpan.FromSeconds(5));
        engine.UpdateMapping(Mapping(m => { m.Default.Note = 42; m.Default.Channel = 2; }));
        engine.TryEnqueue(Footfalls.At(1_000_000_000, 1));
        engine.WaitForIdle(TimeSpan.FromSeconds(5));
        var bad = Mapping(m => m.Default.Note = 200);
        var ex = Assert.Throws<MidiConfigurationException>(() => engine.UpdateMapping(bad));
        Assert.Contains("Midi:Mapping:Default:Note = 200 is outside 0..127", ex.Message, StringComparison.Ordinal);
        engine.TryEnqueue(Footfalls.At(2_000_000_000, 2));
        engine.WaitForIdle(TimeSpan.FromSeconds(5));
        engine.Dispose();
        Assert.Equal(["99 24 64", "91 2A 64", "91 2A 64"], Bytes(output).Where(b => b.StartsWith('9')));
    }

    [Fact]
    public void Validation_names_every_bad_key_with_value_and_range()
    {
        var m = Mapping(m =>
        {
            m.Sensors[0].Channel = 17;
            m.Sensors.Add(new SensorMidiMapping { SensorId = 1 });
            m.Default.MaxStrengthG = 0.1;
            m.CadenceControl.Controller = 120;
            m.Clock.StepsPerBeat = 0;
        });
        string[] errors = [.. m.Validate()];
        Assert.Contains("Midi:Mapping:Sensors:0:Channel = 17 is outside 1..16", errors);
        Assert.Contains("Midi:Mapping:Sensors:1:SensorId = 1 appears twice", errors);
        Assert.Contains(errors, e => e.StartsWith("Midi:Mapping:Default:MaxStrengthG = 0.1 is outside (MinStrengthG = 0.2)..16", StringComparison.Ordinal));
        Assert.Contains("Midi:Mapping:CadenceControl:Controller = 120 is outside 0..119", errors);
        Assert.Contains("Midi:Mapping:Clock:StepsPerBeat = 0 is outside 1..16", errors);
        Assert.Throws<MidiConfigurationException>(() => new MidiEngine(new RecordingOutput(), m));
        var engineEx = Assert.Throws<MidiConfigurationException>(() => new MidiEngine(new RecordingOutput(), Mapping(), new MidiEngineOptions { QueueCapacity = 3 }));
        Assert.Contains("Midi:Engine:QueueCapacity = 3 is outside 16..65536", engineEx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_owner_s_thread_factory_creates_the_MIDI_thread_and_the_engine_loop_runs_on_it()
    {
        var output = new RecordingOutput();
        Thread? created = null;
        int ranOn = 0;
        Thread Create(ThreadStart loop)
        {
            created = new Thread(() =>
            {
                Volatile.Write(ref ranOn, Environment.CurrentManagedThreadId); // where a real-time owner applies its policy
                loop();
            }) { IsBackground = true, Name = "owned-midi" };
            return created;
        }

        var engine = new MidiEngine(output, Mapping(), createThread: Create);
        engine.TryEnqueue(Footfalls.At(0));
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        engine.Dispose();

        Assert.NotNull(created);
        Assert.Equal(created.ManagedThreadId, Volatile.Read(ref ranOn));
        Assert.Equal("99 24 64", output.Snapshot()[0].Message.ToString());
    }

    [Theory]
    [InlineData(VelocityCurve.Fixed, 0.0f, 100)]
    [InlineData(VelocityCurve.Fixed, 9.0f, 100)]
    [InlineData(VelocityCurve.Linear, 0.0f, 40)]
    [InlineData(VelocityCurve.Linear, 1.0f, 80)] // halfway between 0 g and 2 g
    [InlineData(VelocityCurve.Linear, 5.0f, 120)]
    [InlineData(VelocityCurve.Linear, float.NaN, 40)]
    [InlineData(VelocityCurve.Exponential, 1.0f, 55)] // 40 + 80 * (e^1.5 - 1) / (e^3 - 1) = 54.6
    [InlineData(VelocityCurve.Exponential, 2.0f, 120)]
    public void Velocity_follows_strength_through_the_configured_curve(VelocityCurve curve, float strengthG, int expected)
    {
        var sensor = new CompiledSensorMapping(new SensorMidiMapping
        {
            Velocity = curve, FixedVelocity = 100, MinVelocity = 40, MaxVelocity = 120, MinStrengthG = 0, MaxStrengthG = 2, CurveShape = 3,
        });
        Assert.Equal(expected, sensor.Velocity(strengthG));
    }

    [Fact]
    public void Cadence_CC_and_latency_SysEx_follow_each_note_when_enabled()
    {
        var output = new RecordingOutput();
        var engine = new MidiEngine(output, Mapping(m =>
        {
            m.CadenceControl.Enabled = true;
            m.CadenceControl.Smoothing = 1;
            m.LatencyStamps = true;
        }));
        engine.TryEnqueue(Footfalls.At(0, 0)); // no stride known yet: no CC
        engine.TryEnqueue(Footfalls.Walking(500_000_000, strideMs: 1000, sequence: 1)); // the tracker's 120 steps/min -> CC value 120 - 60
        engine.WaitForIdle(TimeSpan.FromSeconds(5));
        engine.Dispose();
        var messages = output.Snapshot().Select(s => s.Message).Where(m => (m.Status & 0xF0) != 0x80).ToList();
        Assert.Equal(MidiMessage.NoteOn(9, 36, 100), messages[0]);
        Assert.True(LatencyStampMessage.TryDecode(messages[1], out _, out long seq0, out long algoUs, out _));
        Assert.Equal(0, seq0);
        Assert.Equal(25_000, algoUs);
        Assert.Equal(MidiMessage.NoteOn(9, 36, 100), messages[2]);
        Assert.True(LatencyStampMessage.TryDecode(messages[3], out _, out long seq1, out _, out _));
        Assert.Equal(1, seq1);
        Assert.Equal(MidiMessage.ControlChange(9, 16, 60), messages[4]);
        Assert.Equal(5, messages.Count);
    }

    [Fact]
    public void Clock_starts_once_the_tracker_knows_the_stride_ticks_and_stops_after_the_walker_stops()
    {
        var output = new RecordingOutput();
        using var engine = new MidiEngine(output, Mapping(m =>
        {
            m.Clock.Enabled = true;
            m.Clock.StepsPerBeat = 1;
            m.Clock.StopAfterMs = 600;
        }));
        engine.TryEnqueue(Footfalls.At(0, 0)); // no stride yet: no clock
        long now = IolaEdge.Dsp.Timing.MonotonicClock.NowNs();
        engine.TryEnqueue(Footfalls.Walking(now - 25_000_000, strideMs: 500, sequence: 1, decisionNs: now, arrivalNs: now)); // 240 steps/min, 1 step per beat: a clock every 10.4 ms
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Bytes(output).Contains("FC") && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        List<string> realTime = Bytes(output).Where(b => b.Length == 2).ToList();
        Assert.Equal("FA", realTime[0]);
        Assert.Equal("FC", realTime[^1]);
        Assert.All(realTime[1..^1], b => Assert.Equal("F8", b));
        Assert.True(realTime.Count > 3, $"expected clocks between Start and Stop, got {realTime.Count - 2}: " + string.Join(" ", output.Snapshot().Select(x => $"{x.Message}@{x.WallNs / 1_000_000 % 100000}")));
        Assert.Equal(realTime.Count - 2, engine.ClockMessages);
        int before = output.Count;
        Thread.Sleep(100);
        Assert.Equal(before, output.Count);
    }

    [Fact]
    public void A_full_queue_rejects_and_counts_footfalls_without_blocking_the_producer()
    {
        var blocking = new BlockingOutput();
        var engine = new MidiEngine(blocking, Mapping(), new MidiEngineOptions { QueueCapacity = 16 });
        int accepted = 0;
        for (int i = 0; i < 100; i++)
        {
            accepted += engine.TryEnqueue(Footfalls.At(i * 1_000_000L, i)) ? 1 : 0;
        }

        Assert.True(accepted <= 17); // 16 queued plus the one the MIDI thread is stuck on
        Assert.Equal(100 - accepted, engine.EnqueueDrops);
        blocking.Release();
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        engine.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the clock-only preset: no note, clock and CC go on
    public void Enqueue_and_the_MIDI_threads_steady_state_allocate_nothing_per_event_with_notes_sent_or_muted(bool sendNotes)
    {
        string dir = Directory.CreateTempSubdirectory("iola-alloc-").FullName;
        var port = new SupervisedPortOutput("recording-port", () => new RecordingOutput(200_000));
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)));
        var output = new FanOutMidiOutput([new RecordingOutput(200_000), new StandardMidiFileWriter(Path.Combine(dir, "a.mid")), port]);
        using var cleanup = new TempDir(dir);
        using var engine = new MidiEngine(output, Mapping(m =>
        {
            m.Default.Velocity = VelocityCurve.Exponential;
            m.CadenceControl.Enabled = true;
            m.Clock.Enabled = true;
            m.LatencyStamps = true;
            m.SendNotes = sendNotes;
        }), new MidiEngineOptions { MaxIdleWaitMs = 2, FlushIntervalMs = 10 });
        long t = 0;
        void Burst(int n)
        {
            for (int i = 0; i < n; i++)
            {
                t += 500_000_000;
                while (!engine.TryEnqueue(Footfalls.Walking(t, strideMs: 100, sequence: i)))
                {
                    Thread.Yield();
                }

                engine.Written.TryRead(out _);
            }

            Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(10)));
            while (engine.Written.TryRead(out _))
            {
            }

            Thread.Sleep(30); // let the MIDI thread loop (note-offs, clock, flush) and sample its counter
        }

        Burst(500); // warm-up: JIT, tiering, lock inflation
        long midiBefore = engine.MidiThreadAllocatedBytes;
        ThreadAllocations enqueueAllocations = ThreadAllocations.Start();
        t += 500_000_000;
        for (int i = 0; i < 500; i++)
        {
            t += 500_000_000;
            engine.TryEnqueue(Footfalls.Walking(t, strideMs: 100, sequence: i));
            if (i % 100 == 99)
            {
                engine.WaitForIdle(TimeSpan.FromSeconds(10));
                while (engine.Written.TryRead(out _))
                {
                }
            }
        }

        long enqueueAllocated = enqueueAllocations.Bytes;
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(10)));
        Thread.Sleep(30);
        long midiAllocated = engine.MidiThreadAllocatedBytes - midiBefore;
        Assert.Equal(0, enqueueAllocated);
        Assert.Equal(0, midiAllocated);
        Assert.Equal(0, engine.EnqueueDrops);
        Assert.True(engine.ClockMessages > 0);
        Assert.True(port.MessagesSent > 0); // its queue may overflow in these bursts (drops are counted); its path must not allocate either
    }

    private sealed class TempDir(string path) : IDisposable
    {
        public void Dispose() => Directory.Delete(path, recursive: true);
    }
}
