using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Midi.Engine;

/// <summary>
/// The MIDI engine's stamped events on their way to the log and histograms: each event waits here until the output
/// that sends its note has said when the bytes left (<see cref="FootfallEvent.MidiWriteTimeNs"/>), so the real-time
/// threads never wait for the consumer nor the consumer for them.
/// </summary>
/// <remarks>
/// <para>Threads: the MIDI thread writes (never blocks, never allocates; a full queue drops and counts) and wakes the
/// consumer; one consumer calls <see cref="TryRead"/>, which is allocation-free too, and <see cref="WaitForEvent"/> between
/// reads. Events come out in the order they went in: one waiting for its sent time holds back the ones behind it.</para>
/// <para>An event comes out when its note's sent time is known (<see cref="NotesSent"/>), when the output dropped the
/// note (<see cref="NotesUnsent"/>: port absent, its queue full, send failed; write time stays 0), when no sent time came
/// within the timeout or its slot was reused (<see cref="StampsExpired"/>; write time 0), or at once when it has no note
/// (<see cref="WithoutNote"/>). These four add up to the events read. After the engine stopped nothing waits any more.</para>
/// </remarks>
#pragma warning disable CA1001 // _written holds no kernel handle (its WaitHandle is never read): nothing to dispose, and a consumer that waits after the engine stopped must not meet a disposed event.
public sealed class StampedEvents
#pragma warning restore CA1001
{
    // How often the consumer looks again while the oldest event waits for its note's sent time (the output's send
    // thread leaves it on the board without waking anyone; a send takes microseconds to a few milliseconds).
    private const int SentTimePollMs = 1;

    private readonly SpscRing<Pending> _ring;
    private readonly SentTimeBoard _board;
    private readonly long _timeoutNs;
    private volatile bool _closed;

    // Wakes the consumer when an event is written, so that it sleeps while there is none instead of polling.
    private readonly ManualResetEventSlim _written = new(false, 0);

    // Consumer-owned: the head event while it waits for its sent time.
    private Pending _held;
    private bool _holding;

    // Consumer-written counters, read anywhere.
    private long _sent;
    private long _unsent;
    private long _expired;
    private long _withoutNote;

    internal StampedEvents(int capacity, SentTimeBoard board, long timeoutNs)
    {
        _ring = new SpscRing<Pending>(capacity);
        _board = board;
        _timeoutNs = timeoutNs;
    }

    /// <summary>Events dropped because the queue was full (the consumer fell behind).</summary>
    public long Dropped => _ring.Dropped;

    /// <summary>Events written by the MIDI thread since the start.</summary>
    public long Written => _ring.Written;

    /// <summary>Events read whose note's bytes left, with their time.</summary>
    public long NotesSent => Interlocked.Read(ref _sent);

    /// <summary>Events read whose note the output dropped (never sent).</summary>
    public long NotesUnsent => Interlocked.Read(ref _unsent);

    /// <summary>Events read whose sent time did not come within the timeout (a stuck port) or was overwritten.</summary>
    public long StampsExpired => Interlocked.Read(ref _expired);

    /// <summary>Events read that played no note (a fallback too late to play).</summary>
    public long WithoutNote => Interlocked.Read(ref _withoutNote);

    /// <summary>Consumer: takes the oldest event once its sent time is settled.</summary>
    /// <returns>False when there is none, or the oldest still waits for its note's sent time.</returns>
    public bool TryRead(out FootfallEvent footfall)
    {
        if (!_holding)
        {
            if (!_ring.TryRead(out _held))
            {
                footfall = default;
                return false;
            }

            _holding = true;
        }

        footfall = _held.Event;
        if (_held.Token == 0)
        {
            Interlocked.Increment(ref _withoutNote);
        }
        else
        {
            switch (_board.Read(_held.Token, out long sentNs))
            {
                case SentState.Sent:
                    footfall = footfall.WithMidiWriteTime(sentNs);
                    Interlocked.Increment(ref _sent);
                    break;
                case SentState.Unsent:
                    Interlocked.Increment(ref _unsent);
                    break;
                case SentState.Pending when !_closed && MonotonicClock.NowNs() - footfall.MidiQueuedTimeNs <= _timeoutNs:
                    footfall = default;
                    return false;
                default:
                    Interlocked.Increment(ref _expired);
                    break;
            }
        }

        _holding = false;
        _held = default;
        return true;
    }

    /// <summary>
    /// Consumer: returns when <see cref="TryRead"/> may have something: after <see cref="SentTimePollMs"/> ms while an
    /// event is queued or waits for its sent time, else once one is written, the queue is closed or
    /// <paramref name="timeout"/> has passed. Call it after <see cref="TryRead"/> returned false.
    /// </summary>
    public void WaitForEvent(TimeSpan timeout)
    {
        if (_holding || _ring.Count > 0 || _closed)
        {
            Thread.Sleep(SentTimePollMs);
            return;
        }

        _written.Reset();
        if (_ring.Count == 0 && !_closed)
        {
            _written.Wait(timeout);
        }
    }

    /// <summary>MIDI thread: queues an event whose note (if any: <paramref name="token"/> 0 for none) went to the output.</summary>
    /// <remarks>After the note was sent: waking the consumer (a futex call when it sleeps) costs the sound nothing.</remarks>
    internal bool TryWrite(in FootfallEvent footfall, long token)
    {
        bool written = _ring.TryWrite(new Pending(footfall, token));
        WakeConsumer();
        return written;
    }

    /// <summary>The engine stopped and its output is closed: every sent time that will ever come has come.</summary>
    internal void Close()
    {
        _closed = true;
        WakeConsumer();
    }

    private void WakeConsumer()
    {
        if (!_written.IsSet)
        {
            _written.Set();
        }
    }

    private readonly record struct Pending(FootfallEvent Event, long Token);
}
