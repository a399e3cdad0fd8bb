using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Mapping;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Midi.Engine;

/// <summary>
/// The dedicated MIDI thread: takes footfalls from the pipeline through a lock-free queue, maps them
/// to messages, writes them to the output, schedules note-offs, runs the cadence CC and MIDI clock,
/// stamps <see cref="FootfallEvent.MidiWriteTimeNs"/> and hands stamped events back through
/// <see cref="Written"/>.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="TryEnqueue"/> is called by exactly one producer (the pipeline thread);
/// <see cref="Written"/> is drained by exactly one consumer (the daemon's log/histogram thread);
/// everything else runs on the engine's own thread. <see cref="UpdateMapping"/> and the counters are
/// safe from any thread.</para>
/// <para>Write time: the monotonic time right after the note-on was handed to the output: for files and
/// raw devices the OS has the bytes; a <see cref="SupervisedPortOutput"/> has queued them for its sender
/// thread (its <see cref="SupervisedPortOutput.LastSendDoneNs"/> tells when the port took them).</para>
/// </remarks>
public sealed class MidiEngine : IDisposable
{
    private readonly IMidiOutput _output;
    private readonly MidiEngineOptions _options;
    private readonly SpscRing<FootfallEvent> _input;
    private readonly NoteOffScheduler _noteOffs;
    private readonly CadenceTracker _cadence = new();
    private readonly long[] _noteOnSerial = new long[16 * 128]; // latest note-on serial per channel*128+note
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly Thread _thread;
    private CompiledMidiMapping _mapping; // replaced whole by UpdateMapping; read once per event
    private int _waiting; // 1 while the MIDI thread is about to sleep or sleeping; fenced on both sides
    private volatile bool _stop;
    private long _serial;

    // MIDI-thread state for the clock.
    private bool _clockRunning;
    private long _nextClockNs = long.MaxValue;
    private long _clockIntervalNs;
    private long _lastStepWallNs;
    private long _lastFootfallNs;

    private long _processed;
    private long _noteOffOverflow;
    private long _midiThreadAllocated;
    private long _clockMessages;
    private Exception? _fault;
    private string? _realtimeError;
    private int _realtimeOutcome; // 0: not tried (yet), 1: applied, 2: failed (see _realtimeError)

    /// <summary>Creates the engine and starts its thread.</summary>
    /// <param name="output">Where messages go (taken over: disposed with the engine). Usually a <see cref="FanOutMidiOutput"/>.</param>
    /// <param name="mapping">Initial mapping; validated (throws <see cref="MidiConfigurationException"/> naming bad keys).</param>
    /// <param name="options">Queue sizes and timing; null for defaults.</param>
    public MidiEngine(IMidiOutput output, MidiMappingOptions mapping, MidiEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(mapping);
        _options = options ?? new MidiEngineOptions();
        _options.ValidateOrThrow();
        _mapping = new CompiledMidiMapping(mapping);
        _output = output;
        _input = new SpscRing<FootfallEvent>(_options.QueueCapacity);
        Written = new SpscRing<FootfallEvent>(_options.QueueCapacity);
        _noteOffs = new NoteOffScheduler(_options.MaxPendingNotes);
        _thread = new Thread(Run) { IsBackground = true, Name = "iolaedge-midi", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>Stamped events (MidiWriteTimeNs set), for the daemon's log and histograms; one consumer.</summary>
    public SpscRing<FootfallEvent> Written { get; }

    /// <summary>The output.</summary>
    public IMidiOutput Output => _output;

    /// <summary>Events accepted by <see cref="TryEnqueue"/>.</summary>
    public long Enqueued => _input.Written;

    /// <summary>Events rejected because the MIDI queue was full.</summary>
    public long EnqueueDrops => _input.Dropped;

    /// <summary>Events the MIDI thread has written.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Note-offs sent early because <see cref="MidiEngineOptions.MaxPendingNotes"/> notes were already waiting.</summary>
    public long NoteOffOverflow => Interlocked.Read(ref _noteOffOverflow);

    /// <summary>Clock messages sent (F8 only).</summary>
    public long ClockMessages => Interlocked.Read(ref _clockMessages);

    /// <summary>Why real-time scheduling was not applied (see <see cref="MidiEngineOptions.RealtimePriority"/>), or null.</summary>
    public string? RealtimeError => Volatile.Read(ref _realtimeError);

    /// <summary>True once SCHED_FIFO was applied, false once it failed (<see cref="RealtimeError"/> says why), null before the
    /// MIDI thread tried or when <see cref="MidiEngineOptions.RealtimePriority"/> is 0.</summary>
    public bool? RealtimeApplied => Volatile.Read(ref _realtimeOutcome) switch { 1 => true, 2 => false, _ => null };

    /// <summary>An unexpected error that stopped the MIDI thread, or null.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Bytes the MIDI thread has allocated since it started (sampled after each loop).</summary>
    internal long MidiThreadAllocatedBytes => Interlocked.Read(ref _midiThreadAllocated);

    /// <summary>Pipeline thread: queues a footfall for MIDI. Never blocks, never allocates.</summary>
    /// <returns>False when the queue is full (counted in <see cref="EnqueueDrops"/>).</returns>
    public bool TryEnqueue(in FootfallEvent footfall)
    {
        if (!_input.TryWrite(footfall))
        {
            return false;
        }

        // Full fence: the tail store must be visible before we read _waiting (the MIDI thread does the
        // mirror image), or both sides could miss each other and the event would wait for a timeout.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _waiting) != 0)
        {
            _signal.Release();
        }

        return true;
    }

    /// <summary>Replaces the mapping while running (any thread); throws naming bad keys and keeps the old one.</summary>
    public void UpdateMapping(MidiMappingOptions mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        Volatile.Write(ref _mapping, new CompiledMidiMapping(mapping));
        _signal.Release();
    }

    /// <summary>Waits until every queued event has been written or <paramref name="timeout"/> passes.</summary>
    public bool WaitForIdle(TimeSpan timeout)
    {
        long deadline = MonotonicClock.NowNs() + (long)(timeout.TotalMilliseconds * 1e6);
        while (Processed < Enqueued)
        {
            if (MonotonicClock.NowNs() > deadline || Fault is not null)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    /// <summary>Stops the thread after writing queued events, sends pending note-offs and Stop, flushes and disposes the output.</summary>
    public void Dispose()
    {
        if (_stop)
        {
            return;
        }

        _stop = true;
        _signal.Release();
        _thread.Join();
        _signal.Dispose();
    }

    private void Run()
    {
        if (_options.RealtimePriority > 0)
        {
            string? error = RealtimeScheduling.TryEnableForCurrentThread(_options.RealtimePriority);
            Volatile.Write(ref _realtimeError, error);
            Volatile.Write(ref _realtimeOutcome, error is null ? 1 : 2); // after the error text: whoever sees 2 sees why
        }

        try
        {
            long nextFlushNs = MonotonicClock.NowNs() + _options.FlushIntervalNs;
            while (!_stop)
            {
                long now = MonotonicClock.NowNs();
                SendDueNoteOffs(now);
                RunClock(now);
                while (_input.TryRead(out FootfallEvent footfall))
                {
                    Process(footfall);
                    SendDueNoteOffs(MonotonicClock.NowNs());
                }

                now = MonotonicClock.NowNs();
                if (now >= nextFlushNs)
                {
                    _output.Flush();
                    nextFlushNs = now + _options.FlushIntervalNs;
                }

                Interlocked.Exchange(ref _midiThreadAllocated, GC.GetAllocatedBytesForCurrentThread());
                long until = Math.Min(Math.Min(_noteOffs.NextDueNs, _nextClockNs), nextFlushNs);
                if (_clockRunning)
                {
                    until = Math.Min(until, _lastStepWallNs + _mapping.ClockStopAfterNs);
                }

                Wait(until - MonotonicClock.NowNs());
            }

            Drain();
        }
#pragma warning disable CA1031 // the MIDI thread must never take the process down; the fault is reported
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _fault, ex);
        }
        finally
        {
            _output.Dispose();
        }
    }

    private void Drain()
    {
        while (_input.TryRead(out FootfallEvent footfall))
        {
            Process(footfall);
        }

        while (_noteOffs.TryPopDue(long.MaxValue, out PendingNoteOff off))
        {
            SendNoteOff(off);
        }

        if (_clockRunning)
        {
            StopClock();
        }

        _output.Flush();
    }

    private void Wait(long ns)
    {
        if (ns <= 0)
        {
            return;
        }

        Interlocked.Exchange(ref _waiting, 1); // full fence before re-checking the queue (see TryEnqueue)
        if (_input.Count == 0 && !_stop)
        {
            if (ns < 1_000_000)
            {
                // Sub-millisecond deadline (clock tick, note-off): a timed wait would overshoot by up to 1 ms.
                Thread.Yield();
            }
            else
            {
                _signal.Wait((int)Math.Min(ns / 1_000_000, _options.MaxIdleWaitMs));
            }
        }

        Volatile.Write(ref _waiting, 0);
    }

    private void Process(in FootfallEvent footfall)
    {
        CompiledMidiMapping mapping = Volatile.Read(ref _mapping);
        CompiledSensorMapping sensor = mapping.For(footfall.SensorId);
        // Note-offs whose session time this footfall has passed go out first. In real time the wall
        // clock has released them already; in a replay faster than real time this keeps the output
        // (a MIDI file) the same as a real-time run's instead of dropping re-triggered notes' offs.
        while (_noteOffs.TryPopPassed(footfall.FootfallTimeNs, out PendingNoteOff passed))
        {
            SendNoteOff(passed);
        }

        int key = (sensor.Channel * 128) + sensor.Note;
        long serial = ++_serial;
        _noteOnSerial[key] = serial;
        _output.Send(MidiMessage.NoteOn(sensor.Channel, sensor.Note, sensor.Velocity(footfall.Strength)), footfall.FootfallTimeNs);
        long writeNs = MonotonicClock.NowNs();
        FootfallEvent stamped = footfall.WithMidiWriteTime(writeNs);

        if (_noteOffs.IsFull && _noteOffs.TryPopDue(long.MaxValue, out PendingNoteOff early))
        {
            Interlocked.Increment(ref _noteOffOverflow);
            SendNoteOff(early);
        }

        _noteOffs.Schedule(new PendingNoteOff(writeNs + sensor.NoteLengthNs, footfall.FootfallTimeNs + sensor.NoteLengthNs, sensor.Channel, sensor.Note, serial));

        if (mapping.LatencyStamps)
        {
            _output.Send(LatencyStampMessage.Encode(stamped), footfall.FootfallTimeNs);
        }

        bool newWalk = _cadence.AddStep(footfall.FootfallTimeNs, mapping.CadenceSmoothing, mapping.ClockStopAfterNs);
        _lastStepWallNs = writeNs;
        _lastFootfallNs = footfall.FootfallTimeNs;
        double spm = _cadence.StepsPerMinute;
        if (mapping.CadenceEnabled && spm > 0)
        {
            int value = Math.Clamp((int)Math.Round(spm) - mapping.CadenceMinStepsPerMinute, 0, 127);
            _output.Send(MidiMessage.ControlChange(mapping.CadenceChannel, mapping.CadenceController, value), footfall.FootfallTimeNs);
        }

        UpdateClock(mapping, newWalk, spm, writeNs);
        Written.TryWrite(stamped);
        Interlocked.Increment(ref _processed);
    }

    // Clock: 24 per beat, beat = StepsPerBeat steps at the smoothed cadence. Start goes out on the
    // second step of a walk (the first interval gives the tempo); Stop after StopAfterMs without a step.
    private void UpdateClock(CompiledMidiMapping mapping, bool newWalk, double stepsPerMinute, long nowNs)
    {
        if (!mapping.ClockEnabled)
        {
            if (_clockRunning)
            {
                StopClock();
            }

            return;
        }

        if (newWalk && _clockRunning)
        {
            StopClock();
        }

        if (stepsPerMinute <= 0)
        {
            return;
        }

        double beatsPerMinute = stepsPerMinute / mapping.ClockStepsPerBeat;
        _clockIntervalNs = (long)(60e9 / (beatsPerMinute * 24));
        if (!_clockRunning)
        {
            _output.Send(MidiMessage.Start(), _lastFootfallNs);
            _clockRunning = true;
            _nextClockNs = nowNs; // first clock right after Start
            RunClock(nowNs);
        }
    }

    private void RunClock(long nowNs)
    {
        if (!_clockRunning)
        {
            return;
        }

        CompiledMidiMapping mapping = Volatile.Read(ref _mapping);
        if (!mapping.ClockEnabled || nowNs - _lastStepWallNs > mapping.ClockStopAfterNs)
        {
            StopClock();
            _cadence.Reset();
            return;
        }

        if (nowNs >= _nextClockNs)
        {
            _output.Send(MidiMessage.Clock(), _lastFootfallNs + (nowNs - _lastStepWallNs));
            Interlocked.Increment(ref _clockMessages);
            _nextClockNs += _clockIntervalNs;
            if (_nextClockNs <= nowNs)
            {
                _nextClockNs = nowNs + _clockIntervalNs; // fell behind (tempo change, stall): no burst of catch-up clocks
            }
        }
    }

    private void StopClock()
    {
        _output.Send(MidiMessage.Stop(), _lastFootfallNs);
        _clockRunning = false;
        _nextClockNs = long.MaxValue;
    }

    private void SendDueNoteOffs(long nowNs)
    {
        while (_noteOffs.TryPopDue(nowNs, out PendingNoteOff off))
        {
            SendNoteOff(off);
        }
    }

    private void SendNoteOff(in PendingNoteOff off)
    {
        // A newer note-on on the same key took over: its own note-off ends the sound.
        if (_noteOnSerial[(off.Channel * 128) + off.Note] == off.NoteOnSerial)
        {
            _output.Send(MidiMessage.NoteOff(off.Channel, off.Note), off.EventTimeNs);
        }
    }
}

/// <summary>Options of the <see cref="MidiEngine"/> (configuration section <c>Midi:Engine</c>).</summary>
public sealed class MidiEngineOptions
{
    /// <summary>Footfalls the pipeline→MIDI queue and the stamped-event queue hold, 16..65536 (default 1024).</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Notes that can wait for their note-off at once, 1..4096 (default 256).</summary>
    public int MaxPendingNotes { get; set; } = 256;

    /// <summary>How often outputs are flushed (a MIDI file is valid after each), ms, 10..60000 (default 500).</summary>
    public int FlushIntervalMs { get; set; } = 500;

    /// <summary>Longest idle sleep of the MIDI thread, ms, 1..1000 (default 100).</summary>
    public int MaxIdleWaitMs { get; set; } = 100;

    /// <summary>SCHED_FIFO priority of the MIDI thread, 0 (off, default) or 1..98; needs root or CAP_SYS_NICE,
    /// otherwise <see cref="MidiEngine.RealtimeError"/> says why and the thread runs normally.</summary>
    public int RealtimePriority { get; set; }

    internal long FlushIntervalNs => FlushIntervalMs * 1_000_000L;

    /// <summary>Throws <see cref="MidiConfigurationException"/> naming each bad key.</summary>
    public void ValidateOrThrow(string section = "Midi:Engine")
    {
        var errors = new List<string>();
        MidiMappingOptions.Check(errors, $"{section}:QueueCapacity", QueueCapacity, 16, 65536);
        MidiMappingOptions.Check(errors, $"{section}:MaxPendingNotes", MaxPendingNotes, 1, 4096);
        MidiMappingOptions.Check(errors, $"{section}:FlushIntervalMs", FlushIntervalMs, 10, 60000);
        MidiMappingOptions.Check(errors, $"{section}:MaxIdleWaitMs", MaxIdleWaitMs, 1, 1000);
        MidiMappingOptions.Check(errors, $"{section}:RealtimePriority", RealtimePriority, 0, 98);
        if (errors.Count > 0)
        {
            throw new MidiConfigurationException(errors);
        }
    }
}
