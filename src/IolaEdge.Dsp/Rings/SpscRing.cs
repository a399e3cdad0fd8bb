using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IolaEdge.Dsp.Rings;

/// <summary>
/// A preallocated, bounded, lock-free single-producer/single-consumer ring of value types.
/// </summary>
/// <remarks>
/// The producer never waits: <see cref="TryWrite"/> returns false when the ring is full and the
/// drop is counted in <see cref="Dropped"/>. Exactly one thread may write and exactly one thread
/// may read; neither allocates. Capacity is rounded up to a power of two.
/// </remarks>
/// <typeparam name="T">The element type (a struct, copied in and out).</typeparam>
public sealed class SpscRing<T>
    where T : struct
{
    private readonly T[] _items;
    private readonly int _mask;

    // Producer-owned: next slot to write. Read by the consumer with acquire semantics.
    private PaddedLong _tail;

    // Consumer-owned: next slot to read. Read by the producer with acquire semantics.
    private PaddedLong _head;

    // Producer-owned counter of rejected writes.
    private long _dropped;

    /// <summary>Creates a ring holding at least <paramref name="capacity"/> items.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Capacity below 2 or above 2^30.</exception>
    public SpscRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 30);
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _items = new T[size];
        _mask = size - 1;
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => _items.Length;

    /// <summary>Items currently queued (a snapshot; exact only on the consumer or producer thread).</summary>
    public int Count => (int)(Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value));

    /// <summary>Writes rejected because the ring was full, since creation.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Total items written since creation.</summary>
    public long Written => Volatile.Read(ref _tail.Value);

    /// <summary>Producer side: appends <paramref name="item"/> unless the ring is full.</summary>
    /// <returns>False (and one more drop counted) when full.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(in T item)
    {
        long tail = _tail.Value;
        if (tail - Volatile.Read(ref _head.Value) >= _items.Length)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        _items[(int)tail & _mask] = item;
        Volatile.Write(ref _tail.Value, tail + 1); // publish after the item is stored
        return true;
    }

    /// <summary>Consumer side: takes the oldest item if there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out T item)
    {
        long head = _head.Value;
        if (head == Volatile.Read(ref _tail.Value))
        {
            item = default;
            return false;
        }

        int index = (int)head & _mask;
        item = _items[index];
        _items[index] = default; // do not keep references alive in reference-holding structs
        Volatile.Write(ref _head.Value, head + 1); // free the slot after the item is copied
        return true;
    }

    /// <summary>Consumer side: copies up to <paramref name="destination"/>.Length items; returns how many.</summary>
    public int ReadBatch(Span<T> destination)
    {
        int n = 0;
        while (n < destination.Length && TryRead(out destination[n]))
        {
            n++;
        }

        return n;
    }
}

/// <summary>A long alone on its cache line, so two threads' indexes never share one (no false sharing).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    /// <summary>The value.</summary>
    [FieldOffset(64)]
    public long Value;
}
