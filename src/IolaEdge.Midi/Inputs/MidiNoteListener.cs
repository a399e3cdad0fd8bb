using IolaEdge.Dsp.Timing;

namespace IolaEdge.Midi.Inputs;

/// <summary>A Note On (velocity &gt; 0) received on a <see cref="MidiNoteListener"/>'s port.</summary>
/// <param name="Channel">Channel as synths show it, 1..16.</param>
/// <param name="Note">Note number, 0..127.</param>
/// <param name="Velocity">Velocity, 1..127.</param>
/// <param name="ReceivedNs">Monotonic time the listener read it.</param>
public readonly record struct MidiNoteOn(int Channel, int Note, int Velocity, long ReceivedNs);

/// <summary>State of a <see cref="MidiNoteListener"/>'s port.</summary>
public enum MidiInputState
{
    /// <summary>Not open; reopen attempts run every rescan interval.</summary>
    Absent,

    /// <summary>Open and polled.</summary>
    Ready,

    /// <summary>Disposed.</summary>
    Disposed,
}

/// <summary>
/// Listens on a MIDI input port on its own low-priority thread and hands each Note On to a handler there;
/// opens the port itself and reopens it after it vanished (hot-plug), like <see cref="Outputs.SupervisedPortOutput"/>.
/// </summary>
/// <remarks>
/// Control plane only: the port is polled every <see cref="MidiNoteListenerOptions.PollInterval"/> (rtmidi queues what
/// arrives in between), so neither JACK's process thread nor the MIDI output thread ever runs our code. Messages are
/// read and discarded even when nobody needs them, so rtmidi's queue never fills.
/// </remarks>
public sealed class MidiNoteListener : IDisposable
{
    private readonly Func<IMidiInputPort> _open;
    private readonly Action<MidiNoteOn> _onNoteOn;
    private readonly MidiNoteListenerOptions _options;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopping = new(false);
    private volatile MidiInputState _state = MidiInputState.Absent;
    private volatile bool _disposed;
    private string? _lastError;
    private string? _connectedTo;
    private long _opens;
    private long _openFailures;
    private long _disappearances;
    private long _messages;
    private long _notes;
    private long _handlerFailures;

    /// <summary>Starts the listener thread, which opens the port with <paramref name="open"/>.</summary>
    /// <param name="name">Name for logs, e.g. "rtmidi:jack:virtual:in".</param>
    /// <param name="open">Opens the port; throws when it is not available. Called on the listener thread only.</param>
    /// <param name="onNoteOn">Runs on the listener thread for each Note On with velocity &gt; 0; an exception is counted, not fatal.</param>
    /// <param name="options">Intervals; null for defaults.</param>
    public MidiNoteListener(string name, Func<IMidiInputPort> open, Action<MidiNoteOn> onNoteOn, MidiNoteListenerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _open = open ?? throw new ArgumentNullException(nameof(open));
        _onNoteOn = onNoteOn ?? throw new ArgumentNullException(nameof(onNoteOn));
        _options = options ?? new MidiNoteListenerOptions();
        _options.Validate();
        _thread = new Thread(Run) { IsBackground = true, Name = "iolaedge-midi-in", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Name for logs.</summary>
    public string Name { get; }

    /// <summary>Current state; <see cref="MidiInputState.Disposed"/> from the moment <see cref="Dispose"/> begins.</summary>
    /// <remarks>Closing the port on the way out is no loss of it: a health probe reading during shutdown must not see one.</remarks>
    public MidiInputState State => _disposed ? MidiInputState.Disposed : _state;

    /// <summary>Full name of the source port while connected to one (null: not open, or a virtual port).</summary>
    public string? ConnectedTo => Volatile.Read(ref _connectedTo);

    /// <summary>Latest open or read failure, or null.</summary>
    /// <remarks>Written before the counter it explains is raised: whoever sees a failure counted also sees why.</remarks>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Successful opens (more than 1 after a reopen).</summary>
    public long Opens => Interlocked.Read(ref _opens);

    /// <summary>Failed open attempts.</summary>
    public long OpenFailures => Interlocked.Read(ref _openFailures);

    /// <summary>Times the source vanished (or a read failed) and the port was closed for a reopen.</summary>
    public long Disappearances => Interlocked.Read(ref _disappearances);

    /// <summary>Messages read (all kinds).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Note Ons (velocity &gt; 0) handed to the handler.</summary>
    public long NotesOn => Interlocked.Read(ref _notes);

    /// <summary>Handler calls that threw.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>Blocks until the port is open or <paramref name="timeout"/> passes (start-up and tests).</summary>
    public bool WaitUntilReady(TimeSpan timeout)
    {
        long deadline = MonotonicClock.NowNs() + (long)timeout.TotalMilliseconds * 1_000_000;
        while (_state != MidiInputState.Ready)
        {
            if (MonotonicClock.NowNs() > deadline || _stopping.IsSet)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    /// <summary>Stops the thread and closes the port.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Set();
        _thread.Join();
        _stopping.Dispose();
    }

    private void Run()
    {
        byte[] buffer = new byte[1024];
        IMidiInputPort? port = null;
        PortPresence presence = new(_options.RescanInterval);
        try
        {
            while (!_stopping.IsSet)
            {
                if (port is null)
                {
                    port = TryOpen();
                    if (port is null)
                    {
                        _stopping.Wait(_options.RescanInterval);
                        continue;
                    }

                    presence.Restart(MonotonicClock.NowNs());
                }

                if (!Drain(port, buffer))
                {
                    port = Close(port);
                    continue;
                }

                long probeNs = MonotonicClock.NowNs();
                if (presence.IsDue(probeNs) && presence.IsGone(probeNs, port.IsSourcePresent))
                {
                    Volatile.Write(ref _lastError, $"{Name}: source port {port.ConnectedTo ?? port.Name} disappeared; waiting for it to return");
                    Interlocked.Increment(ref _disappearances);
                    port = Close(port);
                    continue;
                }

                _stopping.Wait(_options.PollInterval);
            }
        }
        finally
        {
            if (port is not null)
            {
                Close(port);
            }
        }
    }

    // False when the port failed (it is then closed and reopened).
    private bool Drain(IMidiInputPort port, byte[] buffer)
    {
        while (true)
        {
            int length;
            try
            {
                length = port.TryReceive(buffer);
            }
#pragma warning disable CA1031 // a failing port is closed and reopened
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Volatile.Write(ref _lastError, $"{Name}: read failed: {ex.Message}");
                Interlocked.Increment(ref _disappearances);
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            Interlocked.Increment(ref _messages);
            if (length >= 3 && (buffer[0] & 0xF0) == 0x90 && buffer[2] > 0)
            {
                Interlocked.Increment(ref _notes);
                MidiNoteOn note = new((buffer[0] & 0x0F) + 1, buffer[1] & 0x7F, buffer[2] & 0x7F, MonotonicClock.NowNs());
                try
                {
                    _onNoteOn(note);
                }
#pragma warning disable CA1031 // the handler's failure must not stop listening
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Volatile.Write(ref _lastError, $"{Name}: note handler failed: {ex.Message}");
                    Interlocked.Increment(ref _handlerFailures);
                }
            }
        }
    }

    private IMidiInputPort? TryOpen()
    {
        try
        {
            IMidiInputPort port = _open();
            Volatile.Write(ref _connectedTo, port.ConnectedTo);
            Interlocked.Increment(ref _opens);
            _state = MidiInputState.Ready;
            return port;
        }
#pragma warning disable CA1031 // an unavailable port is an expected state, retried
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _lastError, $"{Name}: open failed: {ex.Message}");
            Interlocked.Increment(ref _openFailures);
            return null;
        }
    }

    private IMidiInputPort? Close(IMidiInputPort port)
    {
        _state = MidiInputState.Absent;
        Volatile.Write(ref _connectedTo, null);
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
}

/// <summary>Options of a <see cref="MidiNoteListener"/>.</summary>
public sealed class MidiNoteListenerOptions
{
    /// <summary>How often the port is read (default 20 ms; allowed 1 ms..1 s). A person pressing a key does not notice 20 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Interval of reopen attempts and presence probes (default 1 s; allowed 10 ms..60 s).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws naming the option, its value and its range when one is out of range.</summary>
    public void Validate()
    {
        if (PollInterval < TimeSpan.FromMilliseconds(1) || PollInterval > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, $"PollInterval = {PollInterval} is outside 1 ms..1 s.");
        }

        if (RescanInterval < TimeSpan.FromMilliseconds(10) || RescanInterval > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(RescanInterval), RescanInterval, $"RescanInterval = {RescanInterval} is outside 10 ms..60 s.");
        }
    }
}
