using IolaEdge.Dsp.Samples;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Outputs;

/// <summary>Each backend stamps a note's write time where its bytes leave the process, not where the MIDI thread queued them.</summary>
public sealed class SentStampTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iola-stamp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MidiMappingOptions Mapping(bool latencyStamps = false) => new()
    {
        Default = new SensorMidiMapping { Note = 36, Channel = 10, Velocity = VelocityCurve.Fixed, FixedVelocity = 100, NoteLengthMs = 20 },
        LatencyStamps = latencyStamps,
    };

    private static FootfallEvent ReadStamped(MidiEngine engine, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (engine.Written.TryRead(out FootfallEvent e))
            {
                return e;
            }

            Thread.Sleep(1);
        }

        throw new TimeoutException("no stamped event came back");
    }

    [Fact]
    public void A_MIDI_file_stamps_the_write_when_the_writer_took_the_note_on_the_MIDI_thread()
    {
        var file = new StandardMidiFileWriter(Path.Combine(_dir, "a.mid"));
        using var engine = new MidiEngine(file, Mapping());
        FootfallEvent footfall = Footfalls.At(1_000_000_000);
        engine.TryEnqueue(footfall);
        FootfallEvent stamped = ReadStamped(engine, TimeSpan.FromSeconds(5));

        // The writer's Send returned inside the hand-off: the sent time is taken just before the MIDI thread's queued time.
        Assert.InRange(stamped.MidiWriteTimeNs, footfall.PacketArrivalTimeNs, stamped.MidiQueuedTimeNs);
        Assert.Equal(stamped.MidiWriteTimeNs - footfall.PacketArrivalTimeNs, stamped.ProcessingLatencyNs);
        Assert.Equal(1, engine.Written.NotesSent);
    }

    [Fact]
    public void An_unsupervised_raw_device_stamps_the_write_when_write_returned()
    {
        string fifo = Path.Combine(_dir, "midiC0D0");
        NativeLibc.MkFifo(fifo);
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        using var engine = new MidiEngine(new RawMidiDeviceOutput(fifo), Mapping());
        FootfallEvent footfall = Footfalls.At(1_000_000_000);
        engine.TryEnqueue(footfall);
        FootfallEvent stamped = ReadStamped(engine, TimeSpan.FromSeconds(5));
        Assert.InRange(stamped.MidiWriteTimeNs, footfall.PacketArrivalTimeNs, stamped.MidiQueuedTimeNs);
        byte[] got = new byte[3];
        Assert.Equal(3, reader.Read(got));
        Assert.Equal(new byte[] { 0x99, 0x24, 0x64 }, got);
    }

    [Fact]
    public void A_FIFO_whose_reader_is_slow_stamps_the_note_when_its_write_returned_long_after_it_was_queued()
    {
        string fifo = Path.Combine(_dir, "midiC1D0");
        NativeLibc.MkFifo(fifo);
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        int pipeBytes = NativeLibc.SetPipeSize(reader.SafeFileHandle, 4096);
        reader.Write(new byte[pipeBytes]); // the pipe is full: the port's next write(2) waits for the reader
        var port = new SupervisedPortOutput("raw:" + fifo, () => new RawMidiDeviceOutput(fifo),
            new SupervisedPortOptions { StuckSendTimeout = TimeSpan.FromSeconds(5), RescanInterval = TimeSpan.FromMilliseconds(20) });
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)), port.LastError);
        using var engine = new MidiEngine(port, Mapping(latencyStamps: true));
        FootfallEvent footfall = Footfalls.At(1_000_000_000);
        engine.TryEnqueue(footfall);
        Assert.True(engine.WaitForIdle(TimeSpan.FromSeconds(5)));
        Assert.False(engine.Written.TryRead(out _)); // queued, not sent: the event waits for its sent time

        const int ReaderDelayMs = 300;
        Thread.Sleep(ReaderDelayMs);
        byte[] filler = new byte[pipeBytes];
        reader.ReadExactly(filler); // the slow reader catches up: the blocked write returns
        byte[] note = new byte[3 + LatencyStampMessage.Length];
        reader.ReadExactly(note);
        FootfallEvent stamped = ReadStamped(engine, TimeSpan.FromSeconds(5));

        long queuedToSentNs = stamped.MidiWriteTimeNs - stamped.MidiQueuedTimeNs;
        Assert.True(queuedToSentNs >= (ReaderDelayMs - 50) * 1_000_000L, $"sent only {queuedToSentNs / 1e6:F1} ms after it was queued");
        Assert.True(stamped.QueuedLatencyNs < 200_000_000, $"queued {stamped.QueuedLatencyNs / 1e6:F1} ms after arrival");
        Assert.Equal(stamped.MidiWriteTimeNs - footfall.PacketArrivalTimeNs, stamped.ProcessingLatencyNs);

        // The latency SysEx after the note carries the processing latency up to the note's write, filled in by the sender thread.
        Assert.Equal(new byte[] { 0x99, 0x24, 0x64 }, note[..3]);
        Assert.True(MidiMessage.TryParse(note.AsSpan(3), out MidiMessage sysEx, out string? error), error);
        Assert.True(LatencyStampMessage.TryDecode(sysEx, out _, out _, out _, out long procUs));
        Assert.Equal(stamped.ProcessingLatencyNs / 1000, procUs);
        Assert.Equal(1, engine.Written.NotesSent);
    }

    [Fact]
    public void A_note_the_port_could_not_take_comes_back_unsent_and_counted()
    {
        using var port = new SupervisedPortOutput("never", () => throw new IOException("no such device"),
            new SupervisedPortOptions { RescanInterval = TimeSpan.FromSeconds(10) });
        using var engine = new MidiEngine(port, Mapping());
        engine.TryEnqueue(Footfalls.At(1_000_000_000));
        FootfallEvent stamped = ReadStamped(engine, TimeSpan.FromSeconds(5));
        Assert.Equal(0, stamped.MidiWriteTimeNs);
        Assert.Equal(0, stamped.ProcessingLatencyNs);
        Assert.NotEqual(0, stamped.MidiQueuedTimeNs);
        Assert.Equal((0L, 1L, 0L), (engine.Written.NotesSent, engine.Written.NotesUnsent, engine.Written.StampsExpired));
    }

    [Fact]
    public void A_note_stuck_in_a_send_comes_back_without_a_write_time_after_the_timeout()
    {
        var blocking = new BlockingOutput();
        var port = new SupervisedPortOutput("stuck", () => blocking, new SupervisedPortOptions { StuckSendTimeout = TimeSpan.FromSeconds(10) });
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)));
        var engine = new MidiEngine(port, Mapping(), new MidiEngineOptions { SentStampTimeoutMs = 50 });
        try
        {
            engine.TryEnqueue(Footfalls.At(1_000_000_000));
            FootfallEvent stamped = ReadStamped(engine, TimeSpan.FromSeconds(5));
            Assert.Equal(0, stamped.MidiWriteTimeNs);
            Assert.True(MonotonicNow() - stamped.MidiQueuedTimeNs >= 50_000_000);
            Assert.Equal(1, engine.Written.StampsExpired);
        }
        finally
        {
            blocking.Release();
            engine.Dispose();
        }
    }

    [Fact]
    public void In_a_fan_out_the_first_output_is_the_one_stamped()
    {
        var first = new SupervisedPortOutput("first", () => new RecordingOutput());
        Assert.True(first.WaitUntilReady(TimeSpan.FromSeconds(5)));
        var second = new ThrowingOutput();
        using var engine = new MidiEngine(new FanOutMidiOutput([first, second]), Mapping());
        engine.TryEnqueue(Footfalls.At(1_000_000_000));
        FootfallEvent stamped = ReadStamped(engine, TimeSpan.FromSeconds(5));
        Assert.True(stamped.MidiWriteTimeNs >= stamped.MidiQueuedTimeNs - 50_000_000); // the port's sender thread, not the failing second output
        Assert.True(stamped.MidiWriteTimeNs <= first.LastSendDoneNs);
        Assert.Equal(1, engine.Written.NotesSent);
    }

    [Fact]
    public void A_board_reports_pending_sent_unsent_and_a_slot_reused_by_a_later_token()
    {
        var board = new SentTimeBoard(4);
        Assert.Equal(SentState.Pending, board.Read(1, out _));
        board.MarkSent(1, 123);
        Assert.Equal(SentState.Sent, board.Read(1, out long sent));
        Assert.Equal(123, sent);
        board.MarkUnsent(2);
        Assert.Equal(SentState.Unsent, board.Read(2, out _));
        board.MarkSent(5, 456); // same slot as token 1
        Assert.Equal(SentState.Lost, board.Read(1, out _));
        Assert.Equal(SentState.Pending, board.Read(9, out _));
    }

    private static long MonotonicNow() => IolaEdge.Dsp.Timing.MonotonicClock.NowNs();
}
