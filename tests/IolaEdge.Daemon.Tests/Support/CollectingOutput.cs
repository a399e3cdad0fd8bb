using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>An output that stamps the write time, keeps detected footfalls in a preallocated array and forwards them to an optional fan-out.</summary>
internal sealed class CollectingOutput(int capacity, EventFanOut? fanOut = null) : IFootfallOutput
{
    private readonly FootfallEvent[] _events = new FootfallEvent[capacity];
    private int _count;
    private long _dropped;

    public string Description => "collecting";

    public long Dropped => _dropped;

    public string? MidiFilePath => null;

    public IolaEdge.Midi.Engine.MidiEngine? Engine => null;

    public Exception? Fault => null;

    public bool Completed { get; private set; }

    public ReadOnlySpan<FootfallEvent> Events => _events.AsSpan(0, _count);

    /// <summary>Predictions the chains emitted: counted, neither kept nor published (as <c>Midi:Backend none</c> does).</summary>
    public long Predictions { get; private set; }

    public bool TryEnqueue(in FootfallEvent footfall)
    {
        if (footfall.Kind != FootfallEventKind.Detected)
        {
            Predictions++;
            return true;
        }

        if (_count == _events.Length)
        {
            _dropped++;
            return false;
        }

        FootfallEvent written = footfall.WithMidiWriteTime(MonotonicClock.NowNs());
        _events[_count++] = written;
        fanOut?.Publish(written);
        return true;
    }

    public void Reset() => _count = 0;

    public void Complete() => Completed = true;

    public void Dispose()
    {
    }
}
