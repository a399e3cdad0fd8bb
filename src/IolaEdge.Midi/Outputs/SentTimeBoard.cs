using System.Numerics;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// Where outputs leave the time a stamped message's bytes left the process, for the MIDI engine's reader of stamped
/// events to pick up: one slot per message token, preallocated, lock-free, no allocation.
/// </summary>
/// <remarks>
/// <para>Threads: a token is completed once, by whichever thread sent (or dropped) its message: the MIDI thread for
/// synchronous outputs, a port's sender thread for a <see cref="SupervisedPortOutput"/>. One consumer reads. Each slot is
/// a small seqlock (token negated while the time is written), so a read never sees a torn or foreign value.</para>
/// <para>Tokens are positive and increasing; slot = token modulo <see cref="Capacity"/>. A token is readable until the
/// token <see cref="Capacity"/> later reuses its slot; a reader that far behind gets <see cref="SentState.Lost"/>.</para>
/// </remarks>
public sealed class SentTimeBoard
{
    private const long UnsentMarker = long.MinValue;

    private readonly long[] _tokens;
    private readonly long[] _times;
    private readonly int _mask;

    /// <summary>Creates a board with at least <paramref name="capacity"/> slots (rounded up to a power of two).</summary>
    public SentTimeBoard(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _tokens = new long[size];
        _times = new long[size];
        _mask = size - 1;
    }

    /// <summary>Number of slots: how many tokens back a stamp can still be read.</summary>
    public int Capacity => _tokens.Length;

    /// <summary>Records that the bytes of <paramref name="token"/>'s message left at monotonic <paramref name="sentNs"/>.</summary>
    public void MarkSent(long token, long sentNs) => Write(token, sentNs);

    /// <summary>Records that <paramref name="token"/>'s message will never leave (port absent, queue full, send failed).</summary>
    public void MarkUnsent(long token) => Write(token, UnsentMarker);

    /// <summary>Reads the outcome of <paramref name="token"/>; <paramref name="sentNs"/> is set for <see cref="SentState.Sent"/>.</summary>
    public SentState Read(long token, out long sentNs)
    {
        sentNs = 0;
        int i = (int)(token & _mask);
        long seen = Volatile.Read(ref _tokens[i]);
        if (seen == token)
        {
            long time = Volatile.Read(ref _times[i]);
            if (Volatile.Read(ref _tokens[i]) != token)
            {
                return SentState.Lost; // a token Capacity later took the slot while we read
            }

            if (time == UnsentMarker)
            {
                return SentState.Unsent;
            }

            sentNs = time;
            return SentState.Sent;
        }

        return Math.Abs(seen) > token ? SentState.Lost : SentState.Pending;
    }

    private void Write(long token, long value)
    {
        if (token <= 0)
        {
            return; // 0: the message carried no stamp request
        }

        int i = (int)(token & _mask);
        Volatile.Write(ref _tokens[i], -token); // "being written": a reader seeing it waits
        Volatile.Write(ref _times[i], value);
        Volatile.Write(ref _tokens[i], token);
    }
}

/// <summary>What a <see cref="SentTimeBoard"/> knows about a token.</summary>
public enum SentState
{
    /// <summary>Not reported yet (still queued or being sent).</summary>
    Pending,

    /// <summary>The bytes left; the time is known.</summary>
    Sent,

    /// <summary>The message was dropped and will never leave.</summary>
    Unsent,

    /// <summary>The slot was reused by a later token before it was read.</summary>
    Lost,
}
