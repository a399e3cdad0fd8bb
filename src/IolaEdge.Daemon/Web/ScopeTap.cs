using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Daemon.Web;

/// <summary>Reads one plotted value from a sample (source thread: must not allocate or block).</summary>
internal delegate float ScopeChannelReader(in ImuSample sample);

/// <summary>One trace of the scope.</summary>
/// <param name="Name">Label on the page.</param>
/// <param name="Unit">Unit on the page.</param>
/// <param name="Read">Reads the value.</param>
internal sealed record ScopeChannel(string Name, string Unit, ScopeChannelReader Read)
{
    /// <summary>|a| in g, and |ω| in °/s (NaN for a sample without angular velocity: an acceleration-only sensor or file).</summary>
    public static IReadOnlyList<ScopeChannel> Default { get; } =
    [
        new("|a|", "g", static (in ImuSample s) => s.AccelerationMagnitude),
        new("|ω|", "°/s", static (in ImuSample s) => s.AngularSpeed),
    ];
}

/// <summary>
/// Passes every sample and annotation on to the pipeline's sink and keeps a copy of each sample's scope
/// channels in a preallocated ring per sensor, which the page's frame builder reads.
/// </summary>
/// <remarks>
/// Writer: the source thread (single producer), which only stores values and publishes its count with a
/// volatile write: no lock, no allocation, no wait. Reader: the frame builder, which copies what is new
/// and discards whatever the writer may have overwritten meanwhile (it re-reads the count after copying).
/// </remarks>
internal sealed class ScopeTap : IImuSampleSink
{
    private readonly IImuSampleSink _next;
    private readonly IReadOnlyList<ScopeChannel> _channels;
    private readonly SensorRing[] _rings;

    /// <summary>Creates rings of <paramref name="capacity"/> samples for sensors 0..<paramref name="sensorCount"/>-1.</summary>
    public ScopeTap(IImuSampleSink next, int sensorCount, IReadOnlyList<ScopeChannel> channels, int capacity = 2048)
    {
        _next = next;
        _channels = channels;
        _rings = new SensorRing[sensorCount];
        for (int i = 0; i < sensorCount; i++)
        {
            _rings[i] = new SensorRing(capacity, channels.Count);
        }
    }

    /// <summary>The channels, in the order values are stored.</summary>
    public IReadOnlyList<ScopeChannel> Channels => _channels;

    /// <summary>How many sensors the tap keeps.</summary>
    public int SensorCount => _rings.Length;

    /// <inheritdoc/>
    public bool OnSample(in ImuSample sample)
    {
        if ((uint)sample.SensorId < (uint)_rings.Length)
        {
            SensorRing ring = _rings[sample.SensorId];
            long written = ring.Written;
            int slot = (int)(written % ring.Capacity);
            ring.Times[slot] = ring.Deburst(sample.SensorTimeNs != 0 ? sample.SensorTimeNs : sample.ArrivalTimeNs);
            int baseIndex = slot * _channels.Count;
            for (int c = 0; c < _channels.Count; c++)
            {
                ring.Values[baseIndex + c] = _channels[c].Read(in sample);
            }

            Volatile.Write(ref ring.Written, written + 1);
        }

        return _next.OnSample(in sample);
    }

    /// <inheritdoc/>
    public void OnFootfallAnnotation(int sensorId, long timeNs) => _next.OnFootfallAnnotation(sensorId, timeNs);

    /// <summary>
    /// Reader (one thread): copies the samples of <paramref name="sensorId"/> written since <paramref name="cursor"/>
    /// into <paramref name="times"/> and <paramref name="values"/> (channel-interleaved), at most their length.
    /// </summary>
    /// <returns>How many samples were copied; <paramref name="cursor"/> moves past them.</returns>
    public int ReadSince(int sensorId, ref long cursor, Span<long> times, Span<float> values)
    {
        SensorRing ring = _rings[sensorId];
        int channels = _channels.Count;
        long end = Volatile.Read(ref ring.Written);
        long start = Math.Max(cursor, end - ring.Capacity + 1);
        start = Math.Max(start, end - Math.Min(times.Length, values.Length / Math.Max(1, channels)));
        int n = (int)(end - start);
        for (int i = 0; i < n; i++)
        {
            int slot = (int)((start + i) % ring.Capacity);
            times[i] = ring.Times[slot];
            for (int c = 0; c < channels; c++)
            {
                values[(i * channels) + c] = ring.Values[(slot * channels) + c];
            }
        }

        // Slots the writer reused while we copied hold newer values: drop them from the front.
        long after = Volatile.Read(ref ring.Written);
        int stale = (int)Math.Clamp(after - ring.Capacity + 1 - start, 0, n);
        if (stale > 0)
        {
            times[stale..n].CopyTo(times);
            values[(stale * channels)..(n * channels)].CopyTo(values);
            n -= stale;
        }

        cursor = end;
        return n;
    }

    private sealed class SensorRing(int capacity, int channels)
    {
        // BLE delivers samples in bursts that share one arrival time; drawn at that time they would stack into
        // a comb. Samples closer than half a nominal period follow the previous one by a period instead (the
        // trace may then run up to a burst's length late; the sample clock, not this, times the detections).
        private const long NominalPeriodNs = (long)(1e9 / Pipeline.SensorChainFactory.NominalRateHz);
        private long _lastNs = long.MinValue / 2;

        public readonly int Capacity = capacity;
        public readonly long[] Times = new long[capacity];
        public readonly float[] Values = new float[capacity * channels];
        public long Written; // source thread writes (volatile), reader reads

        public long Deburst(long timeNs)
        {
            _lastNs = timeNs - _lastNs < NominalPeriodNs / 2 && timeNs - _lastNs > -NominalPeriodNs * 20 ? _lastNs + NominalPeriodNs : timeNs;
            return _lastNs;
        }
    }
}
