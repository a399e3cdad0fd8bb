using IolaEdge.Dsp.Gait;
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
/// stamps each event and hands it back through <see cref="Written"/>.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="TryEnqueue"/> is called by exactly one producer (the pipeline thread);
/// <see cref="Written"/> is drained by exactly one consumer (the daemon's log/histogram thread);
/// everything else runs on the engine's own thread. <see cref="UpdateMapping"/> and the counters are
/// safe from any thread.</para>
/// <para>Stamps: <see cref="FootfallEvent.MidiQueuedTimeNs"/> is the monotonic time right after the MIDI thread handed the
/// note-on to the output; <see cref="FootfallEvent.MidiWriteTimeNs"/> the time the bytes left the process, taken by the
/// output that sends them right after its call returned (rtmidi send, <c>write(2)</c>, the MIDI file writer), on the
/// port's sender thread for a <see cref="SupervisedPortOutput"/>. The note-on carries a <see cref="SendStamp"/> token;
/// the output leaves the time on a <see cref="SentTimeBoard"/>, and <see cref="Written"/>'s reader joins the two, so
/// the MIDI thread neither waits nor allocates for it.</para>
/// </remarks>
public sealed class MidiEngine : IDisposable
{
    private readonly IMidiOutput _output;
    private readonly MidiEngineOptions _options;
    private readonly SpscRing<FootfallEvent> _input;
    private readonly NoteOffScheduler _noteOffs;
    private readonly PredictiveTrigger[] _triggers = new PredictiveTrigger[CompiledMidiMapping.MaxSensors];
    private readonly float[] _lastStrength = new float[CompiledMidiMapping.MaxSensors];
    private readonly long[] _sessionOffsetNs = new long[CompiledMidiMapping.MaxSensors]; // monotonic − session time, per sensor
    private readonly long[] _noteOnSerial = new long[16 * 128]; // latest note-on serial per channel*128+note
    private readonly SentTimeBoard _board;
    private readonly PredictedNoteTokens _predictedTokens = new(CompiledMidiMapping.MaxSensors);
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly Thread _thread;
    private CompiledMidiMapping _mapping; // replaced whole by UpdateMapping; read once per event
    private int _waiting; // 1 while the MIDI thread is about to sleep or sleeping; fenced on both sides
    private volatile bool _stop;
    private long _serial;

    // Clock: the grid moves halfway onto each footfall; a tick may be at most 5 % shorter or longer than the
    // tempo's (a 5 % tempo wobble for one tick is below what sequencers smooth away).
    private const double PhaseGain = 0.5;
    private const double MaxTickChange = 0.05;

    // MIDI-thread state: predicted notes, clock, cadence CC.
    private CompiledMidiMapping? _appliedMapping;
    private ulong _pendingSensors; // bit per sensor with predictions waiting
    private bool _clockRunning;
    private bool _clockStartPending;
    private long _nextClockNs = long.MaxValue;
    private double _beatNs;
    private double _beatStartNs;
    private int _tickIndex;
    private long _songClocks;
    private long _lastStepWallNs;
    private long _lastFootfallNs;
    private double _ccStepsPerMinute;
    private long _predictedNotes;
    private long _unconfirmed;

    private long _processed;
    private long _noteOffOverflow;
    private long _midiThreadAllocated;
    private long _clockMessages;
    private Exception? _fault;

    /// <summary>Creates the engine and starts its thread.</summary>
    /// <param name="output">Where messages go (taken over: disposed with the engine). Usually a <see cref="FanOutMidiOutput"/>.</param>
    /// <param name="mapping">Initial mapping; validated (throws <see cref="MidiConfigurationException"/> naming bad keys).</param>
    /// <param name="options">Queue sizes and timing; null for defaults.</param>
    /// <param name="createThread">Creates the MIDI thread around the engine's loop, or null for a plain background thread.
    /// The daemon's real-time owner passes its own, which applies the scheduling policy before the loop runs.</param>
    public MidiEngine(IMidiOutput output, MidiMappingOptions mapping, MidiEngineOptions? options = null, Func<ThreadStart, Thread>? createThread = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(mapping);
        _options = options ?? new MidiEngineOptions();
        _options.ValidateOrThrow();
        _mapping = new CompiledMidiMapping(mapping);
        _output = output;
        _input = new SpscRing<FootfallEvent>(_options.QueueCapacity);
        // Sent times stay readable for many queues' worth of notes: the consumer reads at most QueueCapacity events
        // behind, each naming one note, and a predicted note is named again within its confirmation window.
        _board = new SentTimeBoard(Math.Max(4 * _options.QueueCapacity, 16_384));
        Written = new StampedEvents(_options.QueueCapacity, _board, _options.SentStampTimeoutMs * 1_000_000L);
        _noteOffs = new NoteOffScheduler(_options.MaxPendingNotes);
        for (int i = 0; i < _triggers.Length; i++)
        {
            CompiledSensorMapping sensor = _mapping.For(i);
            _triggers[i] = new PredictiveTrigger(sensor.OutputLatencyMs, sensor.ConfirmWindowMs, sensor.MaxLateMs);
        }

        _appliedMapping = _mapping;
        _thread = createThread?.Invoke(Run) ?? new Thread(Run) { IsBackground = true, Name = "iolaedge-midi" };
        _thread.Start();
    }

    /// <summary>Stamped events (queued and write times set), for the daemon's log and histograms; one consumer.</summary>
    public StampedEvents Written { get; }

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

    /// <summary>Notes sent for predicted footfalls (the <c>Predict</c> trigger).</summary>
    public long PredictedNotes => Interlocked.Read(ref _predictedNotes);

    /// <summary>Predicted notes sent whose footfall was not detected within the confirmation window.</summary>
    public long UnconfirmedNotes => Interlocked.Read(ref _unconfirmed);

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
        try
        {
            long nextFlushNs = MonotonicClock.NowNs() + _options.FlushIntervalNs;
            while (!_stop)
            {
                long now = MonotonicClock.NowNs();
                SendDueNoteOffs(now);
                RunPredictions(now);
                RunClock(now);
                while (_input.TryRead(out FootfallEvent footfall))
                {
                    Process(footfall);
                    SendDueNoteOffs(MonotonicClock.NowNs());
                    RunPredictions(MonotonicClock.NowNs());
                }

                now = MonotonicClock.NowNs();
                if (now >= nextFlushNs)
                {
                    _output.Flush();
                    nextFlushNs = now + _options.FlushIntervalNs;
                }

                Interlocked.Exchange(ref _midiThreadAllocated, GC.GetAllocatedBytesForCurrentThread());
                long until = Math.Min(Math.Min(Math.Min(_noteOffs.NextDueNs, _nextClockNs), nextFlushNs), NextPredictionDueNs());
                if (_pendingSensors != 0)
                {
                    until = Math.Min(until, now + 50_000_000); // look for unconfirmed predictions now and then
                }

                if (_clockRunning || _clockStartPending)
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
            Written.Close(); // the outputs are closed: no sent time comes any more
        }
    }

    private void Drain()
    {
        while (_input.TryRead(out FootfallEvent footfall))
        {
            Process(footfall);
        }

        // Predicted notes still waiting are not sent at shutdown (their footfall is in the future); sent ones that no
        // detection confirmed are reported.
        for (int i = 0; i < _triggers.Length; i++)
        {
            ExpirePredictions(i, _triggers[i], long.MaxValue);
        }

        while (_noteOffs.TryPopDue(long.MaxValue, out PendingNoteOff off))
        {
            SendNoteOff(off);
        }

        if (_clockRunning || _clockStartPending)
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
        ApplyToTriggers(mapping);
        CompiledSensorMapping sensor = mapping.For(footfall.SensorId);
        PredictiveTrigger? trigger = mapping.SendNotes && (uint)footfall.SensorId < CompiledMidiMapping.MaxSensors && sensor.Trigger == NoteTriggerMode.Predict
            ? _triggers[footfall.SensorId] : null;

        // Note-offs whose session time this footfall has passed go out first. In real time the wall
        // clock has released them already; in a replay faster than real time this keeps the output
        // (a MIDI file) the same as a real-time run's instead of dropping re-triggered notes' offs.
        while (_noteOffs.TryPopPassed(footfall.FootfallTimeNs, out PendingNoteOff passed))
        {
            SendNoteOff(passed);
        }

        // Where this footfall lies on the monotonic clock: the packet's arrival minus the sensor time since the footfall.
        long footfallWallNs = footfall.PacketArrivalTimeNs - (footfall.DecisionTimeNs - footfall.FootfallTimeNs);
        long nowNs = MonotonicClock.NowNs();
        if (trigger is not null)
        {
            _sessionOffsetNs[footfall.SensorId] = footfall.PacketArrivalTimeNs - footfall.DecisionTimeNs;
            ExpirePredictions(footfall.SensorId, trigger, footfall.DecisionTimeNs);
        }

        if (footfall.Kind == FootfallEventKind.Predicted)
        {
            // A prediction: the clock locks its beat to it; the predict trigger schedules its note.
            OnStep(mapping, footfallWallNs, footfall.Gait, nowNs);
            if (trigger is not null)
            {
                trigger.Schedule(new GaitPrediction(footfall.FootfallTimeNs, footfall.DecisionTimeNs, footfall.PacketArrivalTimeNs, footfall.Gait),
                    footfall.PacketArrivalTimeNs);
                _pendingSensors |= 1UL << footfall.SensorId;
            }

            Interlocked.Increment(ref _processed);
            return;
        }

        _lastStrength[footfall.SensorId & (CompiledMidiMapping.MaxSensors - 1)] = footfall.Strength;
        FootfallEvent stamped;
        long token = 0;
        long queuedNs;
        DetectionOutcome outcome = trigger?.OnDetection(footfall.FootfallTimeNs, footfall.DecisionTimeNs, out PredictedNote matched)
            ?? Detected(mapping, out matched);
        switch (outcome)
        {
            case DetectionOutcome.Confirmed:
                _predictedTokens.Find(footfall.SensorId, matched.PredictedTimeNs, out token, out queuedNs);
                stamped = footfall.WithNote(NoteTrigger.Predicted, 0, matched.PredictedTimeNs) with { MidiQueuedTimeNs = queuedNs };
                break;
            case DetectionOutcome.ConfirmedEarly:
                queuedNs = PlayNote(mapping, sensor, footfall.Strength, footfall.FootfallTimeNs, true, in footfall, out token);
                stamped = footfall.WithNote(NoteTrigger.Predicted, 0, matched.PredictedTimeNs) with { MidiQueuedTimeNs = queuedNs };
                break;
            case DetectionOutcome.TooLate: // also every footfall while notes are muted (SendNotes false)
                stamped = footfall.WithNote(NoteTrigger.None, 0, 0);
                break;
            default:
                queuedNs = PlayNote(mapping, sensor, footfall.Strength, footfall.FootfallTimeNs, true, in footfall, out token);
                stamped = footfall.WithNote(NoteTrigger.Detected, 0, 0) with { MidiQueuedTimeNs = queuedNs };
                break;
        }

        _lastStepWallNs = Math.Max(_lastStepWallNs, nowNs);
        _lastFootfallNs = footfall.FootfallTimeNs;
        double spm = footfall.Gait.State == GaitState.Stopped ? 0 : footfall.Gait.StepsPerMinute;
        if (mapping.CadenceEnabled && spm > 0)
        {
            _ccStepsPerMinute = _ccStepsPerMinute == 0 ? spm : _ccStepsPerMinute + (mapping.CadenceSmoothing * (spm - _ccStepsPerMinute));
            int value = Math.Clamp((int)Math.Round(_ccStepsPerMinute) - mapping.CadenceMinStepsPerMinute, 0, 127);
            _output.Send(MidiMessage.ControlChange(mapping.CadenceChannel, mapping.CadenceController, value), footfall.FootfallTimeNs);
        }

        OnStep(mapping, footfallWallNs, footfall.Gait, nowNs);
        Written.TryWrite(stamped, token);
        Interlocked.Increment(ref _processed);
    }

    // No predictive trigger: the detected footfall plays its note, unless notes are muted (then it goes on without one).
    private static DetectionOutcome Detected(CompiledMidiMapping mapping, out PredictedNote matched)
    {
        matched = default;
        return mapping.SendNotes ? DetectionOutcome.Fallback : DetectionOutcome.TooLate;
    }

    // Note on now (mapping's channel/note/velocity), its note-off scheduled, the latency SysEx after it when asked.
    // Returns the time the output took the note-on (queued); token names it on the sent-time board.
    private long PlayNote(CompiledMidiMapping mapping, CompiledSensorMapping sensor, float strength, long eventTimeNs, bool stamp, in FootfallEvent stampSource, out long token)
    {
        int key = (sensor.Channel * 128) + sensor.Note;
        long serial = ++_serial;
        token = serial;
        _noteOnSerial[key] = serial;
        _output.Send(MidiMessage.NoteOn(sensor.Channel, sensor.Note, sensor.Velocity(strength)), eventTimeNs, SendStamp.ForNote(_board, serial));
        long writeNs = MonotonicClock.NowNs();
        if (_noteOffs.IsFull && _noteOffs.TryPopDue(long.MaxValue, out PendingNoteOff early))
        {
            Interlocked.Increment(ref _noteOffOverflow);
            SendNoteOff(early);
        }

        _noteOffs.Schedule(new PendingNoteOff(writeNs + sensor.NoteLengthNs, eventTimeNs + sensor.NoteLengthNs, sensor.Channel, sensor.Note, serial));
        if (mapping.LatencyStamps && stamp)
        {
            // Encoded with the hand-off time; the output that sends the note rewrites it with the note's sent time.
            _output.Send(LatencyStampMessage.Encode(stampSource.WithMidiWriteTime(writeNs)), eventTimeNs,
                SendStamp.ForLatencyStamp(_board, serial, stampSource.PacketArrivalTimeNs));
        }

        return writeNs;
    }

    // Predicted notes due now go out; predictions whose footfall cannot come any more are reported unconfirmed.
    private void RunPredictions(long nowNs)
    {
        ApplyToTriggers(Volatile.Read(ref _mapping)); // a mapping that mutes notes must not let a waiting prediction play
        ulong pending = _pendingSensors;
        while (pending != 0)
        {
            int id = System.Numerics.BitOperations.TrailingZeroCount(pending);
            pending &= pending - 1;
            PredictiveTrigger trigger = _triggers[id];
            CompiledMidiMapping mapping = Volatile.Read(ref _mapping);
            CompiledSensorMapping sensor = mapping.For(id);
            while (trigger.TryTakeDue(nowNs, out PredictedNote due))
            {
                FootfallEvent unused = default;
                long queuedNs = PlayNote(mapping, sensor, _lastStrength[id], due.SendTimeNs, false, in unused, out long token);
                _predictedTokens.Remember(id, due.PredictedTimeNs, token, queuedNs);
                Interlocked.Increment(ref _predictedNotes);
            }

            ExpirePredictions(id, trigger, nowNs - _sessionOffsetNs[id]);
            if (!trigger.HasPending)
            {
                _pendingSensors &= ~(1UL << id);
            }
        }
    }

    private void ExpirePredictions(int sensorId, PredictiveTrigger trigger, long sessionNowNs)
    {
        while (trigger.TryExpire(sessionNowNs, out PredictedNote lost))
        {
            Interlocked.Increment(ref _unconfirmed);
            _predictedTokens.Find(sensorId, lost.PredictedTimeNs, out long token, out long queuedNs);
            Written.TryWrite(new FootfallEvent(sensorId, -1, lost.PredictedTimeNs, 0, lost.CueTimeNs, 0, _lastStrength[sensorId], 0,
                FootfallEventKind.Unconfirmed, lost.PredictedTimeNs, NoteTrigger.Predicted, lost.Gait) { MidiQueuedTimeNs = queuedNs }, token);
        }
    }

    private long NextPredictionDueNs()
    {
        long next = long.MaxValue;
        ulong pending = _pendingSensors;
        while (pending != 0)
        {
            int id = System.Numerics.BitOperations.TrailingZeroCount(pending);
            pending &= pending - 1;
            next = Math.Min(next, _triggers[id].NextDueNs);
        }

        return next;
    }

    private void ApplyToTriggers(CompiledMidiMapping mapping)
    {
        if (ReferenceEquals(mapping, _appliedMapping))
        {
            return;
        }

        _appliedMapping = mapping;
        for (int i = 0; i < _triggers.Length; i++)
        {
            CompiledSensorMapping sensor = mapping.For(i);
            _triggers[i].Change(sensor.OutputLatencyMs, sensor.ConfirmWindowMs, sensor.MaxLateMs);
            if (!mapping.SendNotes)
            {
                // Notes muted: predictions not yet sent are dropped, sent ones are reported unconfirmed (as at shutdown).
                ExpirePredictions(i, _triggers[i], long.MaxValue);
            }
        }

        if (!mapping.SendNotes)
        {
            _pendingSensors = 0;
        }
    }

    // Step-locked clock. The beat grid is (_beatStartNs, _beatNs): tick n of the current beat is due at
    // _beatStartNs + n·_beatNs/24, sent ClockLatency early so it is heard with the foot. Every footfall (predicted
    // ones before they happen, detected ones after) pulls the grid's nearest step boundary halfway onto itself
    // (phase lock); the tempo is the gait tracker's stride period. Ticks move towards the grid by at most
    // MaxTickChange of a tick per tick, so tempo and phase changes are smooth. Start (or Song Position + Continue)
    // goes out on a footfall once the tracker knows the period; Stop after StopAfterMs without a step.
    private void OnStep(CompiledMidiMapping mapping, long footfallWallNs, GaitStamp gait, long nowNs)
    {
        if (!mapping.ClockEnabled)
        {
            if (_clockRunning || _clockStartPending)
            {
                StopClock();
            }

            return;
        }

        _lastStepWallNs = Math.Max(_lastStepWallNs, nowNs);
        if (gait.StridePeriodNs <= 0 || gait.State == GaitState.Stopped)
        {
            return;
        }

        double beatNs = mapping.ClockStepsPerBeat * gait.StridePeriodNs / 2.0;
        double stepNs = gait.StridePeriodNs / 2.0;
        double target = footfallWallNs - mapping.ClockLatencyNs;
        if (!_clockRunning && !_clockStartPending)
        {
            // Start on this footfall if it is still ahead, else on the next step the period puts ahead of now.
            double start = target;
            while (start < nowNs)
            {
                start += stepNs;
            }

            _beatNs = beatNs;
            _beatStartNs = start;
            _tickIndex = 0;
            _clockStartPending = true;
            _nextClockNs = (long)start;
            return;
        }

        _beatNs = beatNs;
        double error = target - _beatStartNs;
        error -= Math.Round(error / stepNs) * stepNs;
        _beatStartNs += PhaseGain * error;
    }

    private void RunClock(long nowNs)
    {
        if (!_clockRunning && !_clockStartPending)
        {
            return;
        }

        CompiledMidiMapping mapping = Volatile.Read(ref _mapping);
        if (!mapping.ClockEnabled || nowNs - _lastStepWallNs > mapping.ClockStopAfterNs)
        {
            StopClock();
            return;
        }

        if (nowNs < _nextClockNs)
        {
            return;
        }

        long sessionNs = _lastFootfallNs + (nowNs - _lastStepWallNs);
        if (_clockStartPending)
        {
            _clockStartPending = false;
            _clockRunning = true;
            if (mapping.ClockSongPosition && _songClocks > 0)
            {
                // Resume on a whole beat: Song Position counts sixteenths (6 clocks), a beat is 4 of them.
                long beats = (_songClocks + 23) / 24;
                int position = (int)Math.Min(beats * 4, 16383);
                _songClocks = position * 6L;
                _output.Send(MidiMessage.SongPosition(position), sessionNs);
                _output.Send(MidiMessage.Continue(), sessionNs);
            }
            else
            {
                _songClocks = 0;
                _output.Send(MidiMessage.Start(), sessionNs);
            }
        }

        _output.Send(MidiMessage.Clock(), sessionNs);
        Interlocked.Increment(ref _clockMessages);
        _songClocks++;
        long sentAt = _nextClockNs;
        _tickIndex++;
        if (_tickIndex == 24)
        {
            _tickIndex = 0;
            _beatStartNs += _beatNs;
        }

        double tick = _beatNs / 24;
        double ideal = _beatStartNs + (_tickIndex * tick);
        double interval = Math.Clamp(ideal - sentAt, (1 - MaxTickChange) * tick, (1 + MaxTickChange) * tick);
        _nextClockNs = sentAt + (long)interval;
        if (_nextClockNs <= nowNs)
        {
            _nextClockNs = nowNs + (long)(interval / 2); // fell behind (a stall): no burst of catch-up clocks
        }
    }

    private void StopClock()
    {
        if (_clockRunning)
        {
            _output.Send(MidiMessage.Stop(), _lastFootfallNs);
        }

        _clockRunning = false;
        _clockStartPending = false;
        _nextClockNs = long.MaxValue;
        _ccStepsPerMinute = 0;
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

    /// <summary>How long a stamped event waits for its note's sent time from a live port before it is passed on without
    /// one (counted in <see cref="StampedEvents.StampsExpired"/>), ms, 10..60000 (default 1000).</summary>
    public int SentStampTimeoutMs { get; set; } = 1000;

    internal long FlushIntervalNs => FlushIntervalMs * 1_000_000L;

    /// <summary>Throws <see cref="MidiConfigurationException"/> naming each bad key.</summary>
    public void ValidateOrThrow(string section = "Midi:Engine")
    {
        var errors = new List<string>();
        MidiMappingOptions.Check(errors, $"{section}:QueueCapacity", QueueCapacity, 16, 65536);
        MidiMappingOptions.Check(errors, $"{section}:MaxPendingNotes", MaxPendingNotes, 1, 4096);
        MidiMappingOptions.Check(errors, $"{section}:FlushIntervalMs", FlushIntervalMs, 10, 60000);
        MidiMappingOptions.Check(errors, $"{section}:MaxIdleWaitMs", MaxIdleWaitMs, 1, 1000);
        MidiMappingOptions.Check(errors, $"{section}:SentStampTimeoutMs", SentStampTimeoutMs, 10, 60000);
        if (errors.Count > 0)
        {
            throw new MidiConfigurationException(errors);
        }
    }
}
