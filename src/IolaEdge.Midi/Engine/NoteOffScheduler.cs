namespace IolaEdge.Midi.Engine;

/// <summary>
/// Pending note-offs in a preallocated binary min-heap ordered by due time (monotonic ns): no
/// allocation per note. Owned by the MIDI thread.
/// </summary>
internal sealed class NoteOffScheduler
{
    private readonly PendingNoteOff[] _heap;

    public NoteOffScheduler(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _heap = new PendingNoteOff[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _heap.Length;

    public bool IsFull => Count == _heap.Length;

    /// <summary>Due time of the earliest note-off, or long.MaxValue when none is pending.</summary>
    public long NextDueNs => Count == 0 ? long.MaxValue : _heap[0].DueNs;

    public void Schedule(in PendingNoteOff item)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("Note-off scheduler is full; pop due items first.");
        }

        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (_heap[parent].DueNs <= item.DueNs)
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = item;
    }

    /// <summary>
    /// Pops the earliest note-off if its session-clock time is at or before <paramref name="eventTimeNs"/>
    /// (a later footfall proves it is over, whatever the wall clock says).
    /// </summary>
    public bool TryPopPassed(long eventTimeNs, out PendingNoteOff item)
    {
        if (Count == 0 || _heap[0].EventTimeNs > eventTimeNs)
        {
            item = default;
            return false;
        }

        return TryPopDue(long.MaxValue, out item);
    }

    /// <summary>Pops the earliest note-off if it is due at <paramref name="nowNs"/> (or pass long.MaxValue to pop any).</summary>
    public bool TryPopDue(long nowNs, out PendingNoteOff item)
    {
        if (Count == 0 || _heap[0].DueNs > nowNs)
        {
            item = default;
            return false;
        }

        item = _heap[0];
        PendingNoteOff last = _heap[--Count];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && _heap[child + 1].DueNs < _heap[child].DueNs)
            {
                child++;
            }

            if (_heap[child].DueNs >= last.DueNs)
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        _heap[i] = last;
        return true;
    }
}

/// <summary>A note-off waiting for its time.</summary>
/// <param name="DueNs">Monotonic time to send it.</param>
/// <param name="EventTimeNs">Session time it belongs to (footfall + note length), for files.</param>
/// <param name="Channel">0..15.</param>
/// <param name="Note">0..127.</param>
/// <param name="NoteOnSerial">Serial of the note on it ends: a newer note on the same key supersedes it.</param>
internal readonly record struct PendingNoteOff(long DueNs, long EventTimeNs, int Channel, int Note, long NoteOnSerial);
