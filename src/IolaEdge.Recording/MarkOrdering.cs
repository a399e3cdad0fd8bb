namespace IolaEdge.Recording;

/// <summary>
/// Holds ground-truth marks until the samples around them are written, so a file lists its rows in time order
/// although marks (button, key, control socket) arrive on other threads and at other latencies than samples.
/// </summary>
/// <remarks>Writer thread only. Marks are rare: a sorted list is enough.</remarks>
internal sealed class MarkOrdering
{
    private readonly List<(RecorderRow Row, long HeldSince)> _held = new(64);

    /// <summary>Marks waiting for their place.</summary>
    public int Count => _held.Count;

    /// <summary>Holds <paramref name="mark"/>, in time order, from timestamp <paramref name="now"/>.</summary>
    public void Hold(in RecorderRow mark, long now)
    {
        int i = _held.Count;
        while (i > 0 && _held[i - 1].Row.TimeNs > mark.TimeNs)
        {
            i--;
        }

        _held.Insert(i, (mark, now));
    }

    /// <summary>The earliest held mark at or before <paramref name="timeNs"/> (a sample about to be written), if any.</summary>
    public bool TryReleaseUpTo(long timeNs, out RecorderRow mark) => TryRelease(_held.Count > 0 && _held[0].Row.TimeNs <= timeNs, out mark);

    /// <summary>
    /// The earliest held mark once it has waited <paramref name="hold"/> (samples may stop: a lost sensor must not hold a
    /// mark back for ever), or any held mark when <paramref name="final"/>.
    /// </summary>
    public bool TryReleaseExpired(TimeProvider time, long now, TimeSpan hold, bool final, out RecorderRow mark) =>
        TryRelease(_held.Count > 0 && (final || time.GetElapsedTime(_held[0].HeldSince, now) >= hold), out mark);

    private bool TryRelease(bool due, out RecorderRow mark)
    {
        if (!due)
        {
            mark = default;
            return false;
        }

        mark = _held[0].Row;
        _held.RemoveAt(0);
        return true;
    }
}
