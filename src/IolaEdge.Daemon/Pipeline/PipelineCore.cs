using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// The work of the pipeline thread: drains the sample ring, runs each sensor's chain and hands every
/// footfall to the MIDI output. Everything is allocated in the constructor; <see cref="Drain"/> allocates
/// nothing, takes no lock and never waits.
/// </summary>
/// <remarks>Counters are written by the pipeline thread only and read elsewhere as snapshots.</remarks>
internal sealed class PipelineCore : IDisposable
{
    private const int BatchSize = 64;

    /// <summary>Largest acceleration a foot-mounted IMU can report, g. The MetaMotion's widest range is ±16 g; a value
    /// beyond this (or NaN, ∞) is a corrupt row or packet, and fed to a detector it would wreck its adaptive thresholds
    /// for the rest of the walk.</summary>
    public const float MaxPlausibleG = 256f;

    /// <summary>A jump in a sensor's arrival time larger than this starts its chain afresh (sample clock, detector,
    /// gate): what came before says nothing about the walk after, ns.</summary>
    public const long GapResetNs = 5_000_000_000;

    private readonly SpscRing<StampedSample> _ring;
    private readonly SensorChain[] _sensors;
    private readonly IFootfallOutput _output;
    private readonly bool _restampArrival;
    private readonly StampedSample[] _batch = new StampedSample[BatchSize];
    private readonly FootfallEvent[] _events;

    private long _samples;
    private long _footfalls;
    private long _rejected;
    private long _implausible;
    private long _backwards;
    private long _gapResets;
    private readonly long[] _lastArrivalNs; // per sensor, pipeline thread only; long.MinValue before the first sample

    /// <summary>Creates the chains for sensors 0..<paramref name="maxSensorId"/>.</summary>
    /// <param name="ring">Ring the sources write into.</param>
    /// <param name="factory">Builds each sensor's chain.</param>
    /// <param name="maxSensorId">Highest accepted sensor id; samples of others are counted and skipped.</param>
    /// <param name="output">MIDI handoff (never blocks).</param>
    /// <param name="arrivalIsMonotonic">
    /// False for replayed sources, whose arrival stamps are on the file's clock: events then take the
    /// monotonic time the completing sample entered the ring as their packet arrival.
    /// </param>
    public PipelineCore(SpscRing<StampedSample> ring, SensorChainFactory factory, int maxSensorId, IFootfallOutput output, bool arrivalIsMonotonic)
    {
        _ring = ring;
        _output = output;
        _restampArrival = !arrivalIsMonotonic;
        _sensors = new SensorChain[maxSensorId + 1];
        int maxEvents = 1;
        for (int i = 0; i < _sensors.Length; i++)
        {
            _sensors[i] = factory.Create(i);
            maxEvents = Math.Max(maxEvents, _sensors[i].MaxEventsPerSample);
        }

        _events = new FootfallEvent[maxEvents];
        _lastArrivalNs = new long[_sensors.Length];
        Array.Fill(_lastArrivalNs, long.MinValue);
    }

    /// <summary>Samples processed.</summary>
    public long Samples => Volatile.Read(ref _samples);

    /// <summary>Footfalls detected (predictions, also handed to the MIDI output, are not counted here).</summary>
    public long Footfalls => Volatile.Read(ref _footfalls);

    /// <summary>Samples skipped because their sensor id was out of range.</summary>
    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>Samples skipped because an axis was not finite or beyond ±<see cref="MaxPlausibleG"/> g (never fed to a detector).</summary>
    public long Implausible => Volatile.Read(ref _implausible);

    /// <summary>Samples whose arrival time went backwards (a spliced or corrupt file): each restarts its sensor's chain.</summary>
    public long BackwardsSteps => Volatile.Read(ref _backwards);

    /// <summary>Arrival gaps over <see cref="GapResetNs"/>: each restarts its sensor's chain.</summary>
    public long GapResets => Volatile.Read(ref _gapResets);

    /// <summary>Samples taken from the ring: processed, or skipped for their sensor id or an implausible value.</summary>
    public long Taken => Samples + Rejected + Implausible;

    /// <summary>Pipeline thread: processes everything queued now.</summary>
    /// <returns>How many samples were processed.</returns>
    public int Drain()
    {
        int total = 0;
        int n;
        while ((n = _ring.ReadBatch(_batch)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                ProcessOne(in _batch[i]);
            }

            total += n;
        }

        return total;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (SensorChain sensor in _sensors)
        {
            sensor.Dispose();
        }
    }

    // Written so that NaN fails too (every comparison with NaN is false).
    private static bool IsPlausible(float value) => value is >= -MaxPlausibleG and <= MaxPlausibleG;

    private void ProcessOne(in StampedSample stamped)
    {
        int sensorId = stamped.Sample.SensorId;
        if ((uint)sensorId >= (uint)_sensors.Length)
        {
            Volatile.Write(ref _rejected, _rejected + 1);
            return;
        }

        ImuSample sample = stamped.Sample;
        if (!IsPlausible(sample.X) || !IsPlausible(sample.Y) || !IsPlausible(sample.Z))
        {
            Volatile.Write(ref _implausible, _implausible + 1);
            return;
        }

        long last = _lastArrivalNs[sensorId];
        if (last != long.MinValue && (sample.ArrivalTimeNs < last || sample.ArrivalTimeNs - last > GapResetNs))
        {
            if (sample.ArrivalTimeNs < last)
            {
                Volatile.Write(ref _backwards, _backwards + 1);
            }
            else
            {
                Volatile.Write(ref _gapResets, _gapResets + 1);
            }

            _sensors[sensorId].Reset();
        }

        _lastArrivalNs[sensorId] = sample.ArrivalTimeNs;
        Volatile.Write(ref _samples, _samples + 1);
        int count = _sensors[sensorId].Process(in sample, _events);
        for (int e = 0; e < count; e++)
        {
            FootfallEvent footfall = _events[e];
            if (_restampArrival)
            {
                footfall = footfall.WithArrival(stamped.EnqueuedNs);
            }

            if (footfall.Kind == FootfallEventKind.Detected)
            {
                Volatile.Write(ref _footfalls, _footfalls + 1);
            }

            _output.TryEnqueue(in footfall);
        }
    }
}
