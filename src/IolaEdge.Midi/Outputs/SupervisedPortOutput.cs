using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// Runs a live port (rtmidi, raw device) on its own sender thread behind a lock-free queue, with a
/// watchdog and automatic reopen: the MIDI thread only enqueues and never blocks on the port.
/// </summary>
/// <remarks>
/// <para>States: <see cref="SupervisedPortState.Absent"/> (not open; the sender thread retries
/// <c>open</c> every <see cref="SupervisedPortOptions.RescanInterval"/>), <see cref="SupervisedPortState.Ready"/>,
/// and back to Absent when a send throws or the port's <see cref="IMidiPresenceProbe"/> misses the port twice
/// in a row (hot-plug; see <see cref="PortPresence"/>). Messages offered while not Ready are counted in <see cref="AbsentMessages"/>,
/// never queued.</para>
/// <para>Watchdog: a send in flight for more than <see cref="SupervisedPortOptions.StuckSendTimeout"/>
/// (rtmidi's JACK send spins forever once the server is gone) marks the port dead. The stuck thread
/// cannot be stopped, so it and its port are abandoned (counted in <see cref="AbandonedPorts"/>, left at
/// lowest priority, never touched by anyone else; if its send ever returns, the thread closes its port and ends) and a
/// fresh sender thread reopens the port.</para>
/// <para>Abandoning is a claim on the send in flight, settled by one compare-and-swap that the sender thread
/// also makes when its send returns: a message is then either sent or lost with its worker, never both. The
/// watchdog and <see cref="Dispose"/> retire workers under one lock, so a worker is abandoned once and no
/// fresh sender thread starts after disposal.</para>
/// </remarks>
public sealed class SupervisedPortOutput : IMidiOutput
{
    private readonly Func<IMidiOutput> _open;
    private readonly SupervisedPortOptions _options;
    private readonly Timer _watchdogTimer;
    private Worker _worker; // replaced by the watchdog; read by the MIDI thread with Volatile
    private long _absentMessages;
    private long _abandoned;
    private long _deaths;
    private long _totalOpens;
    private long _openFailures;
    private long _sendFailures;
    private long _disappearances;
    private long _sent;
    private long _offered;
    private long _failedMessages;
    private long _staleMessages;
    private readonly Lock _retiring = new(); // the watchdog's worker swap and Dispose exclude each other
    private readonly List<Worker> _abandonedWorkers = []; // guarded by itself; touched by the watchdog and the counters
    private long _lastSendDoneNs;
    private string? _lastError;
    private volatile bool _disposed;
    private readonly IDisposable? _openerState;

    /// <summary>Starts the sender thread, which opens the port with <paramref name="open"/> (and reopens it after a loss).</summary>
    /// <param name="name">Name for logs, e.g. "rtmidi:jack:synth".</param>
    /// <param name="open">Opens the port; throws when it is not available. Called on the sender thread only.</param>
    /// <param name="options">Timeouts and queue size; null for defaults.</param>
    /// <param name="openerState">What <paramref name="open"/> keeps between calls (a client waiting for the port), closed with
    /// this output after its sender thread; <paramref name="open"/> may still be called by an abandoned sender thread.</param>
    public SupervisedPortOutput(string name, Func<IMidiOutput> open, SupervisedPortOptions? options = null, IDisposable? openerState = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(open);
        Name = name;
        _open = open;
        _openerState = openerState;
        _options = options ?? new SupervisedPortOptions();
        _options.Validate();
        _worker = new Worker(this);
        TimeSpan tick = _options.StuckSendTimeout < TimeSpan.FromMilliseconds(20) ? _options.StuckSendTimeout : TimeSpan.FromMilliseconds(20);
        _watchdogTimer = new Timer(_ => CheckWatchdog(MonotonicClock.NowNs()), null, tick, tick);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Current state.</summary>
    public SupervisedPortState State => _disposed ? SupervisedPortState.Disposed : Volatile.Read(ref _worker).State;

    /// <summary>Messages offered while the port was absent or dead (dropped, not queued).</summary>
    public long AbsentMessages => Interlocked.Read(ref _absentMessages);

    /// <summary>Messages dropped because the sender queue was full (every sender thread so far).</summary>
    /// <remarks>Summed live over every queue, as <see cref="AbandonedMessages"/> is: a message the MIDI thread offers
    /// to a worker just as it is abandoned is counted on that worker's queue, whichever way it goes.</remarks>
    public long QueueDrops
    {
        get
        {
            Worker current = Volatile.Read(ref _worker);
            lock (_abandonedWorkers)
            {
                long dropped = _abandonedWorkers.Contains(current) ? 0 : current.Queue.Dropped;
                foreach (Worker worker in _abandonedWorkers)
                {
                    dropped += worker.Queue.Dropped;
                }

                return dropped;
            }
        }
    }

    /// <summary>Messages offered to <c>Send</c>.</summary>
    /// <remarks>At the end (after <see cref="Dispose"/>) <c>Offered = MessagesSent + AbsentMessages + QueueDrops +
    /// FailedMessages + StaleMessages + AbandonedMessages</c>; while running, <see cref="PendingMessages"/> are still queued.</remarks>
    public long Offered => Interlocked.Read(ref _offered);

    /// <summary>Messages whose send threw (the port was closed and is reopened).</summary>
    public long FailedMessages => Interlocked.Read(ref _failedMessages);

    /// <summary>Messages queued before the port failed and discarded unsent (stale at the reopen, or left at shutdown).</summary>
    public long StaleMessages => Interlocked.Read(ref _staleMessages);

    /// <summary>Messages lost with abandoned sender threads: the stuck one and those queued behind it.</summary>
    public long AbandonedMessages
    {
        get
        {
            lock (_abandonedWorkers)
            {
                long lost = 0;
                foreach (Worker worker in _abandonedWorkers)
                {
                    lost += worker.LostWithWorker + worker.Queue.Count;
                }

                return lost;
            }
        }
    }

    /// <summary>Messages queued for the sender thread and not yet sent.</summary>
    public long PendingMessages => _disposed ? 0 : Volatile.Read(ref _worker).Queue.Count;

    /// <summary>Every message offered and not sent, whatever the reason.</summary>
    public long LostMessages => AbsentMessages + QueueDrops + FailedMessages + StaleMessages + AbandonedMessages;

    /// <summary>Messages the port accepted.</summary>
    public long MessagesSent => Interlocked.Read(ref _sent);

    /// <summary>Times the watchdog found a send stuck and declared the port dead.</summary>
    public long StuckSends => Interlocked.Read(ref _deaths);

    /// <summary>Sender threads (and their ports) abandoned because a send never returned, or, at <see cref="Dispose"/>, a send or an open.</summary>
    public long AbandonedPorts => Interlocked.Read(ref _abandoned);

    /// <summary>Successful opens (1 after the first open; more after each reopen).</summary>
    public long Opens => Interlocked.Read(ref _totalOpens);

    /// <summary>Failed open attempts.</summary>
    public long OpenFailures => Interlocked.Read(ref _openFailures);

    /// <summary>Sends that threw (the port is closed and reopened).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Times the presence probe found the port gone.</summary>
    public long Disappearances => Interlocked.Read(ref _disappearances);

    /// <summary>Monotonic time the latest send returned (0 before the first).</summary>
    public long LastSendDoneNs => Interlocked.Read(ref _lastSendDoneNs);

    /// <summary>Latest open/send failure text, or null.</summary>
    /// <remarks>Written before the counter it explains is raised: whoever sees a failure counted also sees why.</remarks>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Enqueues for the sender thread; never blocks. Counts the message if the port is not ready.</summary>
    public void Send(in MidiMessage message, long eventTimeNs) => Send(message, eventTimeNs, default);

    /// <summary>Enqueues for the sender thread with its stamp request, which the sender thread completes when the port's
    /// own send returned (or marks unsent when the message is dropped); never blocks.</summary>
    public void Send(in MidiMessage message, long eventTimeNs, in SendStamp stamp)
    {
        Interlocked.Increment(ref _offered);
        Worker worker = Volatile.Read(ref _worker);
        if (worker.State != SupervisedPortState.Ready)
        {
            Interlocked.Increment(ref _absentMessages);
            stamp.MarkUnsent();
            return;
        }

        if (worker.Queue.TryWrite(new TimedMessage(message, eventTimeNs, stamp)))
        {
            worker.Wake();
        }
        else
        {
            stamp.MarkUnsent();
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        // Live ports have nothing to flush; the sender thread writes as soon as it is woken.
    }

    /// <summary>Blocks until the port is Ready or <paramref name="timeout"/> passes (for start-up and tests).</summary>
    public bool WaitUntilReady(TimeSpan timeout)
    {
        long deadline = MonotonicClock.NowNs() + (long)timeout.TotalMilliseconds * 1_000_000;
        while (State != SupervisedPortState.Ready)
        {
            if (MonotonicClock.NowNs() > deadline)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    /// <summary>Checks for a stuck send (also run by an internal timer); public for tests.</summary>
    public void CheckWatchdog(long nowNs)
    {
        Worker worker = Volatile.Read(ref _worker);
        long since = worker.SendStartedNs;
        if (_disposed || since <= 0 || nowNs - since <= _options.StuckSendTimeout.Ticks * 100)
        {
            return;
        }

        lock (_retiring)
        {
            // Dispose may have run, or another check retired this worker, since the look above; and the send may have
            // returned in the meantime, which the claim sees.
            if (_disposed || !ReferenceEquals(Volatile.Read(ref _worker), worker) || !worker.TryAbandonStuckSend(since))
            {
                return;
            }

            lock (_abandonedWorkers)
            {
                _abandonedWorkers.Add(worker);
            }

            Volatile.Write(ref _worker, new Worker(this));
        }

        // Reason first, stuck count last: whoever sees the count must also see why (and the abandoned port).
        Volatile.Write(ref _lastError, $"{Name}: a send was stuck for more than {_options.StuckSendTimeout.TotalMilliseconds} ms; port marked dead and rebuilt");
        Interlocked.Increment(ref _abandoned);
        Interlocked.Increment(ref _deaths);
    }

    /// <summary>Sends what is still queued, stops the sender thread and closes the port (unless its thread is stuck in a send).</summary>
    public void Dispose()
    {
        lock (_retiring)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true; // from here on the watchdog swaps no worker: the one read below is the last
        }

        _watchdogTimer.Dispose();
        Worker last = Volatile.Read(ref _worker);
        if (last.Stop(_options.StuckSendTimeout + TimeSpan.FromSeconds(2)))
        {
            // Whatever the stopped thread could not send (port closed, send failed at shutdown) is lost: count it.
            while (last.Queue.TryRead(out TimedMessage stale))
            {
                stale.Stamp.MarkUnsent();
                Interlocked.Increment(ref _staleMessages);
            }
        }
        else
        {
            // Stuck in a send or an open (a FIFO without a reader) at shutdown: abandoned like a watchdog victim.
            last.AbandonAtShutdown();
            lock (_abandonedWorkers)
            {
                _abandonedWorkers.Add(last);
            }

            Interlocked.Increment(ref _abandoned);
        }

        _openerState?.Dispose();
    }

    private readonly record struct TimedMessage(MidiMessage Message, long EventTimeNs, SendStamp Stamp);

    /// <summary>One sender thread with its queue and port; replaced wholesale when it gets stuck.</summary>
    /// <remarks>Not disposable: an abandoned worker's stuck thread may still touch it, and a SemaphoreSlim
    /// whose AvailableWaitHandle is never read owns no OS handle.</remarks>
#pragma warning disable CA1001
    private sealed class Worker
    {
        private readonly SupervisedPortOutput _owner;
        private readonly Thread _thread;
        private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
        private volatile bool _stop;
        private volatile bool _abandoned;
        private int _waiting;
        private volatile SupervisedPortState _state = SupervisedPortState.Absent;

        // Start of the send in flight (0: none; Claimed: abandoned). The sender thread sets it from 0 and clears it
        // back with compare-and-swap; whoever abandons the worker swaps in Claimed, so exactly one side owns the message.
        private const long Claimed = -1;
        private long _sendStartedNs;
        private int _lostWithWorker;

        public Worker(SupervisedPortOutput owner)
        {
            _owner = owner;
            Queue = new SpscRing<TimedMessage>(owner._options.QueueCapacity);
            _thread = new Thread(Run) { IsBackground = true, Name = "midi-port " + owner.Name, Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public SpscRing<TimedMessage> Queue { get; }

        public SupervisedPortState State => _abandoned ? SupervisedPortState.Dead : _state;

        /// <summary>Start of the send in flight, 0 when none, negative once abandoned.</summary>
        public long SendStartedNs => Interlocked.Read(ref _sendStartedNs);

        /// <summary>Messages taken off the queue and never sent because the worker was abandoned (the send in flight,
        /// or one taken just as it was).</summary>
        public int LostWithWorker => Volatile.Read(ref _lostWithWorker);

        public void Wake()
        {
            Interlocked.MemoryBarrier(); // the queued item must be visible before _waiting is read (mirror in SleepOrWake)
            if (Volatile.Read(ref _waiting) != 0)
            {
                _signal.Release();
            }
        }

        /// <summary>Abandons the worker if the send that started at <paramref name="startedNs"/> is still in flight.</summary>
        public bool TryAbandonStuckSend(long startedNs)
        {
            if (Interlocked.CompareExchange(ref _sendStartedNs, Claimed, startedNs) != startedNs)
            {
                return false; // it returned after all
            }

            Interlocked.Increment(ref _lostWithWorker);
            MarkAbandoned();
            return true;
        }

        /// <summary>Abandons the worker whatever it is doing (its thread did not stop in time).</summary>
        public void AbandonAtShutdown()
        {
            long started;
            do
            {
                started = Interlocked.Read(ref _sendStartedNs);
                if (started == Claimed)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref _sendStartedNs, Claimed, started) != started);

            if (started != 0)
            {
                Interlocked.Increment(ref _lostWithWorker);
            }

            MarkAbandoned();
        }

        private void MarkAbandoned()
        {
            _abandoned = true;
            _stop = true;
            try
            {
                _thread.Priority = ThreadPriority.Lowest;
            }
#pragma warning disable CA1031 // lowering priority is best effort
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        /// <returns>True when the thread ended (its queue may then be read by the caller).</returns>
        public bool Stop(TimeSpan timeout)
        {
            _stop = true;
            _signal.Release();
            return _thread.Join(timeout);
        }

        private void Run()
        {
            IMidiOutput? port = null;
            SupervisedPortOptions options = _owner._options;
            PortPresence presence = new(options.RescanInterval);
            try
            {
                while (!_stop)
                {
                    long now = MonotonicClock.NowNs();
                    if (port is null)
                    {
                        port = TryOpen();
                        if (port is null)
                        {
                            SleepOrWake(options.RescanInterval);
                            continue;
                        }

                        presence.Restart(now);
                    }

                    while (!_stop && Queue.TryRead(out TimedMessage item))
                    {
                        if (!TryBeginSend(item, out long started))
                        {
                            return;
                        }

                        try
                        {
                            // The port stamps the request itself, right after its send returned (IMidiOutput's default).
                            port.Send(item.Message, item.EventTimeNs, item.Stamp);
                        }
#pragma warning disable CA1031 // any port failure closes the port; the supervisor reopens it
                        catch (Exception ex)
#pragma warning restore CA1031
                        {
                            if (!TryEndSend(started))
                            {
                                return; // abandoned while in the send: the message was counted with the worker
                            }

                            item.Stamp.MarkUnsent();

                            Interlocked.Increment(ref _owner._sendFailures);
                            Volatile.Write(ref _owner._lastError, $"{_owner.Name}: send failed: {ex.Message}");
                            Interlocked.Increment(ref _owner._failedMessages);
                            port = Close(port);
                            break;
                        }

                        long done = MonotonicClock.NowNs();
                        if (!TryEndSend(started))
                        {
                            return; // the watchdog gave up on us while we were stuck; touch nothing
                        }

                        Interlocked.Increment(ref _owner._sent);
                        Interlocked.Exchange(ref _owner._lastSendDoneNs, done);
                    }

                    long probeNs = MonotonicClock.NowNs();
                    if (port is IMidiPresenceProbe probe && presence.IsDue(probeNs) && presence.IsGone(probeNs, probe.IsTargetPresent))
                    {
                        Volatile.Write(ref _owner._lastError, $"{_owner.Name}: port disappeared; waiting for it to return");
                        Interlocked.Increment(ref _owner._disappearances);
                        port = Close(port);
                        continue;
                    }

                    SleepOrWake(port is IMidiPresenceProbe ? presence.UntilNextProbe(MonotonicClock.NowNs()) : options.RescanInterval);
                }
            }
            finally
            {
                if (port is not null)
                {
                    if (!_abandoned)
                    {
                        DrainOnStop(port);
                    }

                    // An abandoned sender whose send or open came back after all is its port's only user, so it closes the
                    // port itself. Left open, the native client would be freed by the finalizer on another thread, maybe
                    // after libjack has dropped it (a server restart frees every client still allocated in the process).
                    Close(port);
                }
            }
        }

        // Shutdown: what the MIDI thread queued last (final note-offs, Stop) still goes out.
        private void DrainOnStop(IMidiOutput port)
        {
            while (!_abandoned && Queue.TryRead(out TimedMessage item))
            {
                if (!TryBeginSend(item, out long started))
                {
                    return;
                }

                bool sent;
                string? failure = null;
                try
                {
                    port.Send(item.Message, item.EventTimeNs, item.Stamp);
                    sent = true;
                }
#pragma warning disable CA1031 // best effort at shutdown
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    sent = false;
                    failure = ex.Message;
                }

                if (!TryEndSend(started))
                {
                    return; // Dispose gave up waiting and counted this message with the worker
                }

                if (sent)
                {
                    Interlocked.Increment(ref _owner._sent);
                    continue;
                }

                item.Stamp.MarkUnsent();
                Volatile.Write(ref _owner._lastError, $"{_owner.Name}: send failed at shutdown: {failure}");
                Interlocked.Increment(ref _owner._failedMessages);
                return;
            }
        }

        // Marks the send in flight, unless the worker was abandoned while idle: then the message just taken is lost with it.
        private bool TryBeginSend(in TimedMessage item, out long started)
        {
            started = Math.Max(1, MonotonicClock.NowNs());
            if (Interlocked.CompareExchange(ref _sendStartedNs, started, 0) == 0)
            {
                return true;
            }

            item.Stamp.MarkUnsent();
            Interlocked.Increment(ref _lostWithWorker);
            return false;
        }

        // False when the worker was abandoned during the send: the abandoner counted the message as lost.
        private bool TryEndSend(long started) => Interlocked.CompareExchange(ref _sendStartedNs, 0, started) == started;

        private IMidiOutput? TryOpen()
        {
            try
            {
                IMidiOutput port = _owner._open();
                while (Queue.TryRead(out TimedMessage stale))
                {
                    // Discard anything queued before the (re)open: it is stale, and counted.
                    stale.Stamp.MarkUnsent();
                    Interlocked.Increment(ref _owner._staleMessages);
                }

                Interlocked.Increment(ref _owner._totalOpens);
                _state = SupervisedPortState.Ready;
                return port;
            }
#pragma warning disable CA1031 // an unavailable port is an expected state, retried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Volatile.Write(ref _owner._lastError, $"{_owner.Name}: open failed: {ex.Message}");
                Interlocked.Increment(ref _owner._openFailures);
                return null;
            }
        }

        private IMidiOutput? Close(IMidiOutput port)
        {
            _state = SupervisedPortState.Absent;
            try
            {
                port.Dispose();
            }
#pragma warning disable CA1031 // closing a broken port may fail; it is dropped either way
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            return null;
        }

        private void SleepOrWake(TimeSpan timeout)
        {
            Interlocked.Exchange(ref _waiting, 1);
            if (Queue.Count == 0 && !_stop)
            {
                _signal.Wait(timeout);
            }

            Volatile.Write(ref _waiting, 0);
        }
    }
}

#pragma warning restore CA1001

/// <summary>State of a <see cref="SupervisedPortOutput"/>.</summary>
public enum SupervisedPortState
{
    /// <summary>Not open; reopen attempts run every rescan interval.</summary>
    Absent,

    /// <summary>Open and accepting messages.</summary>
    Ready,

    /// <summary>A send got stuck; a new sender is being started.</summary>
    Dead,

    /// <summary>Disposed.</summary>
    Disposed,
}

/// <summary>Options of a <see cref="SupervisedPortOutput"/>.</summary>
public sealed class SupervisedPortOptions
{
    /// <summary>
    /// A send taking longer than this marks the port dead (default 250 ms; allowed 1 ms..10 s). Far above a sender
    /// preempted under load (at 5 ms, two busy cores made JACK ports rebuild in tests), far below a send that never returns.
    /// </summary>
    public TimeSpan StuckSendTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Interval of reopen attempts and presence probes (default 1 s; allowed 10 ms..60 s).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages the sender queue holds (default 1024; allowed 2..65536).</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Throws naming the option, its value and its range when one is out of range.</summary>
    public void Validate()
    {
        if (StuckSendTimeout < TimeSpan.FromMilliseconds(1) || StuckSendTimeout > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(StuckSendTimeout), StuckSendTimeout, $"StuckSendTimeout = {StuckSendTimeout} is outside 1 ms..10 s.");
        }

        if (RescanInterval < TimeSpan.FromMilliseconds(10) || RescanInterval > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(RescanInterval), RescanInterval, $"RescanInterval = {RescanInterval} is outside 10 ms..60 s.");
        }

        if (QueueCapacity < 2 || QueueCapacity > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, $"QueueCapacity = {QueueCapacity} is outside 2..65536.");
        }
    }
}
