using IolaEdge.Dsp.Samples;

namespace IolaEdge.Simulation;

/// <summary>
/// A seeded, deterministic simulated walk: the gait model's sensor samples passed through the BLE
/// delivery model, in arrival order, with the truth (sensor times, sample indices, heel strikes)
/// kept alongside.
/// </summary>
/// <remarks>
/// Streaming: memory does not grow with the walk's length. Delivered samples carry
/// <see cref="ImuSample.ArrivalTimeNs"/> and a running <see cref="ImuSample.Sequence"/> (gap-free,
/// as a real receiver numbers what it gets) and <see cref="ImuSample.SensorTimeNs"/> = 0, unless
/// <see cref="SetSensorTimes"/> asks for the truth. Times are session-clock ns from the start
/// given at construction. Allocation-free per sample; single-threaded.
/// </remarks>
public sealed class WalkSimulator
{
    /// <summary>The default session-clock start: 2026-01-01T00:00:00Z in epoch ns.</summary>
    public const long DefaultStartNs = 1_767_225_600_000_000_000;

    private readonly GaitModel _gait;
    private readonly BleLink? _link;
    private readonly int _sensorId;
    private readonly SimulatedSample[] _buffer;
    private int _bufferStart;
    private int _bufferCount;
    private GaitSample _lookahead;
    private bool _hasLookahead;
    private bool _gaitDone;
    private long _delivered;

    /// <summary>Creates a walk.</summary>
    /// <param name="walk">Gait and sensor parameters (validated).</param>
    /// <param name="delivery">Delivery model (validated); <see cref="DeliveryOptions.Ideal"/> for none.</param>
    /// <param name="startNs">Session-clock time of the first sensor sample, in ns.</param>
    /// <param name="sensorId">Sensor id stamped on the samples.</param>
    /// <exception cref="ArgumentNullException">An options object is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option outside its range (named in the message).</exception>
    public WalkSimulator(WalkOptions walk, DeliveryOptions delivery, long startNs = DefaultStartNs, int sensorId = 0)
    {
        ArgumentNullException.ThrowIfNull(walk);
        ArgumentNullException.ThrowIfNull(delivery);
        delivery.Validate();
        Walk = walk;
        Delivery = delivery;
        StartNs = startNs;
        _sensorId = sensorId;
        _gait = new GaitModel(walk, startNs);
        if (!delivery.Immediate)
        {
            _link = new BleLink(delivery, walk.Seed, startNs);
        }

        _buffer = new SimulatedSample[Math.Max(1, delivery.NotificationsPerEventGood * delivery.SamplesPerNotification)];
    }

    /// <summary>The walk's options.</summary>
    public WalkOptions Walk { get; }

    /// <summary>The delivery model's options.</summary>
    public DeliveryOptions Delivery { get; }

    /// <summary>Session-clock time of sample 0, in ns.</summary>
    public long StartNs { get; }

    /// <summary>Set the delivered samples' sensor time to the truth (a source that knows exact times); default false.</summary>
    public bool SetSensorTimes { get; init; }

    /// <summary>Samples the sensor has taken so far.</summary>
    public long Generated => _gait.Produced;

    /// <summary>Samples delivered so far.</summary>
    public long Delivered => _delivered;

    /// <summary>Samples lost so far (sensor queue overflow plus random loss).</summary>
    public long Lost => _link is null ? 0 : _link.OverflowLost + _link.RandomLost;

    /// <summary>Heel strikes known so far (one stride ahead of the samples).</summary>
    public long Footfalls => _gait.FootfallCount;

    /// <summary>The sensor's true sample period (clock skew included), in ns.</summary>
    public double TrueSamplePeriodNs => _gait.SamplePeriodSeconds * 1e9;

    /// <summary>Next delivered sample, in arrival order; false when the walk is over.</summary>
    public bool TryNext(out SimulatedSample sample)
    {
        while (_bufferCount == 0)
        {
            if (!Refill())
            {
                sample = default;
                return false;
            }
        }

        sample = _buffer[_bufferStart++];
        _bufferCount--;
        _delivered++;
        if (SetSensorTimes)
        {
            sample = sample with { Sample = sample.Sample.WithSensorTime(sample.TruthSensorTimeNs) };
        }

        return true;
    }

    /// <summary>
    /// Takes the oldest truth heel strike (session-clock ns) at or before <paramref name="untilNs"/>.
    /// Heel strikes are known a stride ahead of the samples, so taking them up to each delivered
    /// sample's arrival time places every one before the first sample that arrives after it.
    /// </summary>
    public bool TryTakeFootfall(long untilNs, out long timeNs)
    {
        if (_gait.TryPeekFootfall(out timeNs) && timeNs <= untilNs)
        {
            return _gait.TryTakeFootfall(out timeNs);
        }

        timeNs = 0;
        return false;
    }

    /// <summary>Takes the oldest truth heel strike not yet taken, whatever its time (to flush at the end).</summary>
    public bool TryTakeFootfall(out long timeNs) => _gait.TryTakeFootfall(out timeNs);

    private bool Refill()
    {
        _bufferStart = 0;
        if (_link is null)
        {
            if (!_gait.TryNext(out GaitSample s))
            {
                return false;
            }

            _buffer[0] = new SimulatedSample(s.ToImuSample(_sensorId, s.Index, s.TimeNs), s.TimeNs, s.Index);
            _bufferCount = 1;
            return true;
        }

        if (_gaitDone && _link.Backlog < Delivery.SamplesPerNotification)
        {
            return false;
        }

        long eventNs = _link.NextEventNs;
        while (!_gaitDone)
        {
            if (!_hasLookahead)
            {
                _hasLookahead = _gait.TryNext(out _lookahead);
                if (!_hasLookahead)
                {
                    _gaitDone = true;
                    break;
                }
            }

            if (_lookahead.TimeNs > eventNs)
            {
                break;
            }

            _link.Offer(_lookahead);
            _hasLookahead = false;
        }

        _bufferCount = _link.RunEvent(_buffer, _sensorId);
        return true;
    }
}
