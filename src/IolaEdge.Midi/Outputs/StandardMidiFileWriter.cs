using System.Buffers.Binary;
using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// Writes a Standard MIDI File, format 0 (one track), placing each message at its session time.
/// The file is valid after every <see cref="Flush"/> (track length and End of Track rewritten each
/// time), so a process killed between flushes leaves a readable file ending at the last flush.
/// </summary>
/// <remarks>
/// <para>Time base: <see cref="TicksPerQuarter"/> ticks per quarter note at a fixed tempo of
/// <see cref="MicrosecondsPerQuarter"/> (120 bpm), written as the tempo map at tick 0, so one tick is
/// 520 833 ns. Tick of a message = round((eventTimeNs - origin) / 520 833.3); the origin is the
/// constructor's, or the first message's time.</para>
/// <para>Ordering: a note off belongs at footfall + note length but reaches the writer after later
/// footfalls when replaying faster than real time, so messages wait in a preallocated min-heap and are
/// written once they are <see cref="ReorderWindowNs"/> older than the newest time seen (or on
/// close). System real-time messages (clock, start, stop) are not allowed in a SMF and are skipped.</para>
/// </remarks>
public sealed class StandardMidiFileWriter : IMidiOutput
{
    /// <summary>Ticks per quarter note (the header's division).</summary>
    public const int TicksPerQuarter = 960;

    /// <summary>Tempo of the tempo map: 500 000 µs per quarter (120 bpm).</summary>
    public const int MicrosecondsPerQuarter = 500_000;

    private const int HeaderLength = 14;
    private const int TrackLengthOffset = HeaderLength + 4;
    private const int TrackDataOffset = HeaderLength + 8;
    private static readonly byte[] s_endOfTrack = [0x00, 0xFF, 0x2F, 0x00];

    private readonly FileStream _file;
    private readonly string _path;
    private readonly PendingHeap _pending;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _buffered;
    private long _trackBytesInFile; // event bytes on disk before End of Track
    private long _originNs;
    private bool _hasOrigin;
    private long _lastTick;
    private long _newestTimeNs = long.MinValue;
    private long _sequence;
    private bool _disposed;

    /// <summary>Creates (or truncates) <paramref name="path"/> and writes the header and tempo map.</summary>
    /// <param name="path">File to write.</param>
    /// <param name="originNs">Session time of tick 0; null: the first message's time.</param>
    /// <param name="reorderWindowNs">How long messages wait for earlier ones (at least the longest note length).</param>
    /// <param name="pendingCapacity">Messages that can wait at once; beyond it the oldest is written early.</param>
    public StandardMidiFileWriter(string path, long? originNs = null, long reorderWindowNs = 2_000_000_000, int pendingCapacity = 4096)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(reorderWindowNs);
        ArgumentOutOfRangeException.ThrowIfLessThan(pendingCapacity, 1);
        _path = path;
        ReorderWindowNs = reorderWindowNs;
        _pending = new PendingHeap(pendingCapacity);
        if (originNs is long origin)
        {
            _originNs = origin;
            _hasOrigin = true;
        }

        _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        Span<byte> header = stackalloc byte[TrackDataOffset];
        "MThd"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], 6);
        BinaryPrimitives.WriteInt16BigEndian(header[8..], 0); // format 0
        BinaryPrimitives.WriteInt16BigEndian(header[10..], 1); // one track
        BinaryPrimitives.WriteInt16BigEndian(header[12..], TicksPerQuarter);
        "MTrk"u8.CopyTo(header[HeaderLength..]);
        _file.Write(header);

        // Tempo map and metadata at tick 0.
        AppendBytes([0x00, 0xFF, 0x03, 0x08, .. "IolaEdge"u8]); // track name
        AppendBytes([0x00, 0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08]); // 4/4, 24 clocks per click, 8 32nds per quarter
        AppendBytes([0x00, 0xFF, 0x51, 0x03, (MicrosecondsPerQuarter >> 16) & 0xFF, (MicrosecondsPerQuarter >> 8) & 0xFF, MicrosecondsPerQuarter & 0xFF]);
        Flush();
    }

    /// <inheritdoc/>
    public string Name => "smf:" + _path;

    /// <summary>Nanoseconds of session time per tick.</summary>
    public static double NanosecondsPerTick => MicrosecondsPerQuarter * 1000.0 / TicksPerQuarter;

    /// <summary>How long a message waits for earlier-timed ones before it is written.</summary>
    public long ReorderWindowNs { get; }

    /// <summary>Real-time messages skipped (not allowed in a SMF).</summary>
    public long SkippedRealTime { get; private set; }

    /// <summary>Messages that arrived earlier than one already written and were placed at the last written tick.</summary>
    public long LateMessages { get; private set; }

    /// <summary>Messages written to the track (tempo map excluded).</summary>
    public long MessagesWritten { get; private set; }

    /// <summary>Converts a session time to this file's tick (the origin must be known).</summary>
    public long ToTick(long eventTimeNs) => (long)Math.Round((eventTimeNs - _originNs) / NanosecondsPerTick);

    /// <inheritdoc/>
    public void Send(in MidiMessage message, long eventTimeNs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (message.IsRealTime || message.IsSongPosition)
        {
            SkippedRealTime++;
            return;
        }

        if (!_hasOrigin)
        {
            _originNs = eventTimeNs;
            _hasOrigin = true;
        }

        if (_pending.IsFull)
        {
            WriteOldest();
        }

        _pending.Push(eventTimeNs, _sequence++, message);
        _newestTimeNs = Math.Max(_newestTimeNs, eventTimeNs);
        while (_pending.Count > 0 && _pending.PeekTime() <= _newestTimeNs - ReorderWindowNs)
        {
            WriteOldest();
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushBuffer();
    }

    /// <summary>Writes every waiting message, the final lengths, and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            while (_pending.Count > 0)
            {
                WriteOldest();
            }

            FlushBuffer();
        }
        finally
        {
            _disposed = true;
            _file.Dispose();
        }
    }

    private void WriteOldest()
    {
        _pending.Pop(out long timeNs, out MidiMessage message);
        long tick = ToTick(timeNs);
        if (tick < _lastTick)
        {
            LateMessages++;
            tick = _lastTick;
        }

        long delta = tick - _lastTick;
        _lastTick = tick;
        EnsureRoom(4 + 4 + MidiMessage.MaxLength);
        _buffered += WriteVariableLength(_buffer.AsSpan(_buffered), delta);
        ReadOnlySpan<byte> bytes = message.Bytes;
        if (message.IsSystemExclusive)
        {
            // SMF SysEx event: F0, length of what follows (including the F7), the data.
            _buffer[_buffered++] = MidiStatus.SysExStart;
            _buffered += WriteVariableLength(_buffer.AsSpan(_buffered), bytes.Length - 1);
            bytes = bytes[1..];
        }

        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
        MessagesWritten++;
    }

    private void AppendBytes(ReadOnlySpan<byte> bytes)
    {
        EnsureRoom(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
    }

    private void EnsureRoom(int bytes)
    {
        if (_buffered + bytes > _buffer.Length)
        {
            FlushBuffer();
        }
    }

    // Appends the buffered events over the previous End of Track, then a new End of Track, in one
    // write; then the new track length. Between the two writes (microseconds) a kill would leave the
    // old length, which still ends inside valid data but without End of Track.
    private void FlushBuffer()
    {
        EnsureEndOfTrackRoom();
        s_endOfTrack.CopyTo(_buffer.AsSpan(_buffered));
        _file.Position = TrackDataOffset + _trackBytesInFile;
        _file.Write(_buffer, 0, _buffered + s_endOfTrack.Length);
        _trackBytesInFile += _buffered;
        _buffered = 0;
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, checked((int)(_trackBytesInFile + s_endOfTrack.Length)));
        _file.Position = TrackLengthOffset;
        _file.Write(length);
    }

    private void EnsureEndOfTrackRoom()
    {
        if (_buffered + s_endOfTrack.Length > _buffer.Length)
        {
            throw new InvalidOperationException("SMF buffer invariant broken: no room for End of Track.");
        }
    }

    private static int WriteVariableLength(Span<byte> destination, long value)
    {
        // SMF variable-length quantity: 7 bits per byte, most significant first, bit 7 set on all but the last.
        if (value > 0x0FFF_FFFF)
        {
            value = 0x0FFF_FFFF; // the format's maximum (about 38 hours at this tempo)
        }

        int count = 1;
        long rest = value >> 7;
        while (rest > 0)
        {
            count++;
            rest >>= 7;
        }

        for (int i = count - 1; i >= 0; i--)
        {
            byte b = (byte)(value & 0x7F);
            destination[i] = i == count - 1 ? b : (byte)(b | 0x80);
            value >>= 7;
        }

        return count;
    }

    /// <summary>Preallocated binary min-heap of (time, arrival order, message).</summary>
    private sealed class PendingHeap(int capacity)
    {
        private readonly long[] _times = new long[capacity];
        private readonly long[] _orders = new long[capacity];
        private readonly MidiMessage[] _messages = new MidiMessage[capacity];

        public int Count { get; private set; }

        public bool IsFull => Count == _times.Length;

        public long PeekTime() => _times[0];

        public void Push(long time, long order, in MidiMessage message)
        {
            int i = Count++;
            while (i > 0)
            {
                int parent = (i - 1) / 2;
                if (!Less(time, order, _times[parent], _orders[parent]))
                {
                    break;
                }

                Move(parent, i);
                i = parent;
            }

            _times[i] = time;
            _orders[i] = order;
            _messages[i] = message;
        }

        public void Pop(out long time, out MidiMessage message)
        {
            time = _times[0];
            message = _messages[0];
            int last = --Count;
            long lt = _times[last], lo = _orders[last];
            MidiMessage lm = _messages[last];
            int i = 0;
            while (true)
            {
                int child = (2 * i) + 1;
                if (child >= last)
                {
                    break;
                }

                if (child + 1 < last && Less(_times[child + 1], _orders[child + 1], _times[child], _orders[child]))
                {
                    child++;
                }

                if (!Less(_times[child], _orders[child], lt, lo))
                {
                    break;
                }

                Move(child, i);
                i = child;
            }

            _times[i] = lt;
            _orders[i] = lo;
            _messages[i] = lm;
        }

        private static bool Less(long t1, long o1, long t2, long o2) => t1 < t2 || (t1 == t2 && o1 < o2);

        private void Move(int from, int to)
        {
            _times[to] = _times[from];
            _orders[to] = _orders[from];
            _messages[to] = _messages[from];
        }
    }
}
