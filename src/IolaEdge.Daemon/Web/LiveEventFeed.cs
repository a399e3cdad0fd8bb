using System.Runtime.InteropServices;
using IolaEdge.Daemon.Output;
using IolaEdge.Dsp;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Daemon.Web;

/// <summary>
/// The page's view of stamped footfalls: a fan-out consumer (its own bounded ring and thread, drop and
/// count) that keeps the recent events for the scope and a minute of latencies for the percentiles.
/// </summary>
/// <remarks>The lock is shared by this consumer's thread and the frame builder only; the pipeline never sees it.</remarks>
internal sealed class LiveEventFeed : IFootfallEventConsumer
{
    private const int RecentCapacity = 256;
    private const int LatencyCapacity = 8192; // a minute of footfalls from many sensors at a run
    private static readonly long s_windowNs = 60_000_000_000;

    private readonly Lock _lock = new();
    private readonly FootfallEvent[] _recent = new FootfallEvent[RecentCapacity];
    private readonly long[] _latencyAt = new long[LatencyCapacity];
    private readonly long[] _processingNs = new long[LatencyCapacity];
    private readonly long[] _algorithmicNs = new long[LatencyCapacity];
    private readonly Action<FootfallEvent>? _observer;
    private long _events;
    private long _latencies;

    /// <summary>Creates the feed; <paramref name="observer"/> also sees every event (metrics), on this consumer's thread.</summary>
    public LiveEventFeed(Action<FootfallEvent>? observer = null) => _observer = observer;

    /// <inheritdoc/>
    public string Name => "web";

    /// <summary>Events seen.</summary>
    public long Events
    {
        get
        {
            lock (_lock)
            {
                return _events;
            }
        }
    }

    /// <inheritdoc/>
    public void OnFootfall(in FootfallEvent footfall)
    {
        _observer?.Invoke(footfall);
        long now = MonotonicClock.NowNs();
        lock (_lock)
        {
            _recent[_events % RecentCapacity] = footfall;
            _events++;
            int slot = (int)(_latencies % LatencyCapacity);
            _latencyAt[slot] = now;
            _processingNs[slot] = footfall.MidiWriteTimeNs == 0 ? -1 : footfall.ProcessingLatencyNs;
            _algorithmicNs[slot] = footfall.AlgorithmicLatencyNs;
            _latencies++;
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }

    /// <summary>Copies the events seen since <paramref name="cursor"/> (at most the ring) and moves the cursor.</summary>
    public int ReadSince(ref long cursor, Span<FootfallEvent> into)
    {
        lock (_lock)
        {
            long start = Math.Max(cursor, Math.Max(_events - RecentCapacity, _events - into.Length));
            int n = (int)(_events - start);
            for (int i = 0; i < n; i++)
            {
                into[i] = _recent[(start + i) % RecentCapacity];
            }

            cursor = _events;
            return n;
        }
    }

    /// <summary>Percentiles (ms) of the footfalls of the last minute; NaN when there were none.</summary>
    public LatencyWindow LastMinute()
    {
        long now = MonotonicClock.NowNs();
        List<long> processing = [];
        List<long> algorithmic = [];
        lock (_lock)
        {
            long first = Math.Max(0, _latencies - LatencyCapacity);
            for (long i = _latencies - 1; i >= first; i--)
            {
                int slot = (int)(i % LatencyCapacity);
                if (now - _latencyAt[slot] > s_windowNs)
                {
                    break;
                }

                algorithmic.Add(_algorithmicNs[slot]);
                if (_processingNs[slot] >= 0)
                {
                    processing.Add(_processingNs[slot]);
                }
            }
        }

        processing.Sort();
        algorithmic.Sort();
        return new LatencyWindow(algorithmic.Count, Ms(processing, 50), Ms(processing, 99), Ms(algorithmic, 50), Ms(algorithmic, 99));
    }

    /// <summary>The percentile of ascending nanoseconds, in ms (NaN when empty).</summary>
    private static double Ms(List<long> sortedNs, double percent) => Percentile.OfSorted<long>(CollectionsMarshal.AsSpan(sortedNs), percent) / 1e6;
}

/// <summary>Latency percentiles over a window, in ms.</summary>
/// <param name="Footfalls">Footfalls in the window.</param>
/// <param name="ProcessingP50">Processing latency (MIDI write − packet arrival) p50.</param>
/// <param name="ProcessingP99">… p99.</param>
/// <param name="AlgorithmicP50">Algorithmic latency (decision sample − footfall sample) p50.</param>
/// <param name="AlgorithmicP99">… p99.</param>
internal readonly record struct LatencyWindow(int Footfalls, double ProcessingP50, double ProcessingP99, double AlgorithmicP50, double AlgorithmicP99);
