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

    private readonly SpscRing<StampedSample> _ring;
    private readonly ISensorPipeline[] _sensors;
    private readonly IFootfallOutput _output;
    private readonly bool _restampArrival;
    private readonly StampedSample[] _batch = new StampedSample[BatchSize];
    private readonly FootfallEvent[] _events;

    private long _samples;
    private long _footfalls;
    private long _rejected;

    /// <summary>Creates the chains for sensors 0..<paramref name="maxSensorId"/>.</summary>
    /// <param name="ring">Ring the sources write into.</param>
    /// <param name="factory">Builds each sensor's chain.</param>
    /// <param name="maxSensorId">Highest accepted sensor id; samples of others are counted and skipped.</param>
    /// <param name="output">MIDI handoff (never blocks).</param>
    /// <param name="arrivalIsMonotonic">
    /// False for replayed sources, whose arrival stamps are on the file's clock: events then take the
    /// monotonic time the completing sample entered the ring as their packet arrival.
    /// </param>
    public PipelineCore(SpscRing<StampedSample> ring, ISensorPipelineFactory factory, int maxSensorId, IFootfallOutput output, bool arrivalIsMonotonic)
    {
        _ring = ring;
        _output = output;
        _restampArrival = !arrivalIsMonotonic;
        _sensors = new ISensorPipeline[maxSensorId + 1];
        int maxEvents = 1;
        for (int i = 0; i < _sensors.Length; i++)
        {
            _sensors[i] = factory.Create(i);
            maxEvents = Math.Max(maxEvents, _sensors[i].MaxEventsPerSample);
        }

        _events = new FootfallEvent[maxEvents];
    }

    /// <summary>Samples processed.</summary>
    public long Samples => Volatile.Read(ref _samples);

    /// <summary>Footfalls detected (predictions, also handed to the MIDI output, are not counted here).</summary>
    public long Footfalls => Volatile.Read(ref _footfalls);

    /// <summary>Samples skipped because their sensor id was out of range.</summary>
    public long Rejected => Volatile.Read(ref _rejected);

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
        foreach (ISensorPipeline sensor in _sensors)
        {
            sensor.Dispose();
        }
    }

    private void ProcessOne(in StampedSample stamped)
    {
        int sensorId = stamped.Sample.SensorId;
        if ((uint)sensorId >= (uint)_sensors.Length)
        {
            Volatile.Write(ref _rejected, _rejected + 1);
            return;
        }

        Volatile.Write(ref _samples, _samples + 1);
        ImuSample sample = stamped.Sample;
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
