using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Outputs;

/// <summary>
/// A request travelling with one message through the outputs: "say when these bytes left" (a note-on), or "put the
/// processing latency of the note before you into this latency SysEx" (its stamp). <c>default</c> requests nothing.
/// </summary>
/// <remarks>
/// The output that actually hands the bytes to the OS or the MIDI library completes the request, right after that call
/// returned (<see cref="IMidiOutput.Send(in MidiMessage, long, in SendStamp)"/>'s default does exactly that); a wrapper that
/// queues (<see cref="SupervisedPortOutput"/>) carries the request across its queue, and one that drops the message calls
/// <see cref="MarkUnsent"/>. A plain struct with one reference: copying it allocates nothing.
/// </remarks>
public readonly struct SendStamp
{
    private readonly SentTimeBoard? _board;
    private readonly long _token;
    private readonly long _arrivalNs; // latency SysEx only: the event's packet arrival, to recompute its processing latency

    private SendStamp(SentTimeBoard board, long token, long arrivalNs, bool isLatencySysEx)
    {
        _board = board;
        _token = token;
        _arrivalNs = arrivalNs;
        IsLatencyStamp = isLatencySysEx;
    }

    /// <summary>True when the message carries a request.</summary>
    public bool IsRequested => _board is not null;

    /// <summary>True for a latency SysEx to be rewritten with the sent time of its note (token).</summary>
    public bool IsLatencyStamp { get; }

    /// <summary>The token of the note-on this request is about.</summary>
    public long Token => _token;

    /// <summary>A note-on whose sent time goes to <paramref name="board"/> under <paramref name="token"/>.</summary>
    public static SendStamp ForNote(SentTimeBoard board, long token)
    {
        ArgumentNullException.ThrowIfNull(board);
        return new SendStamp(board, token, 0, isLatencySysEx: false);
    }

    /// <summary>The latency SysEx after note <paramref name="token"/>, for an event whose packet arrived at <paramref name="arrivalNs"/>.</summary>
    public static SendStamp ForLatencyStamp(SentTimeBoard board, long token, long arrivalNs)
    {
        ArgumentNullException.ThrowIfNull(board);
        return new SendStamp(board, token, arrivalNs, isLatencySysEx: true);
    }

    /// <summary>The bytes to send: a latency SysEx gets the processing latency up to its note's sent time, if that is
    /// known by now (its note went out before it on the same path); anything else is returned unchanged.</summary>
    public MidiMessage Prepare(in MidiMessage message)
    {
        if (IsLatencyStamp && _board!.Read(_token, out long sentNs) == SentState.Sent)
        {
            return LatencyStampMessage.WithProcessingLatency(message, sentNs - _arrivalNs);
        }

        return message;
    }

    /// <summary>The note's bytes left at monotonic <paramref name="sentNs"/> (no-op for a SysEx or no request).</summary>
    public void MarkSent(long sentNs)
    {
        if (_board is not null && !IsLatencyStamp)
        {
            _board.MarkSent(_token, sentNs);
        }
    }

    /// <summary>The note was dropped and will never leave (no-op for a SysEx or no request).</summary>
    public void MarkUnsent()
    {
        if (_board is not null && !IsLatencyStamp)
        {
            _board.MarkUnsent(_token);
        }
    }
}
