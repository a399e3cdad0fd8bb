using IolaEdge.Dsp.Samples;

namespace IolaEdge.Simulation;

/// <summary>
/// The BLE delivery model: packs sensor samples into notifications, queues them on the sensor,
/// and releases them at connection events to the process, with the limits, losses and delays of
/// <see cref="DeliveryOptions"/>.
/// </summary>
/// <remarks>
/// Connection events happen every interval with Gaussian jitter; a two-state (good/congested)
/// Markov link caps the notifications per event; a missed event delivers nothing; a notification
/// that finds the sensor queue full is lost (tail drop), as is a delivered one with the random-loss
/// probability. Notifications of one event reach the process one spacing apart after an
/// exponential OS delay; arrival times never go backwards. Allocation-free after construction.
/// </remarks>
internal sealed class BleLink
{
    private readonly DeliveryOptions _options;
    private readonly int _samplesPerNotification;
    private readonly double _intervalNs;
    private readonly long _firstEventNs;

    // Sensor queue: whole notifications of _samplesPerNotification samples each (FIFO ring).
    private readonly GaitSample[] _queue;
    private int _queueHead;
    private int _queueCount;

    // The notification being filled by the sensor.
    private readonly GaitSample[] _pending;
    private int _pendingCount;

    private SimulationRandom _random;
    private long _eventNumber;
    private long _nextEventNs;
    private bool _congested;
    private long _lastArrivalNs;
    private long _sequence;

    public BleLink(DeliveryOptions options, long seed, long startNs)
    {
        options.Validate();
        _options = options;
        _samplesPerNotification = options.SamplesPerNotification;
        _intervalNs = options.ConnectionIntervalMs * 1e6;
        _queue = new GaitSample[options.SensorQueueCapacity * _samplesPerNotification];
        _pending = new GaitSample[_samplesPerNotification];
        _random = new SimulationRandom(seed, 10);
        _firstEventNs = startNs + (long)(_random.NextDouble() * _intervalNs);
        _nextEventNs = ScheduleEvent(0);
    }

    /// <summary>Session-clock time of the next connection event, in ns.</summary>
    public long NextEventNs => _nextEventNs;

    /// <summary>Samples lost because the sensor queue was full.</summary>
    public long OverflowLost { get; private set; }

    /// <summary>Samples lost in delivered-but-dropped notifications (random loss).</summary>
    public long RandomLost { get; private set; }

    /// <summary>Connection events that delivered nothing because they were missed.</summary>
    public long MissedEvents { get; private set; }

    /// <summary>Samples still on the sensor (queued or in a partial notification).</summary>
    public int Backlog => _queueCount + _pendingCount;

    /// <summary>The sensor took a sample (call in time order, before the events after its time).</summary>
    public void Offer(in GaitSample sample)
    {
        _pending[_pendingCount++] = sample;
        if (_pendingCount < _samplesPerNotification)
        {
            return;
        }

        _pendingCount = 0;
        if (_queueCount + _samplesPerNotification > _queue.Length)
        {
            OverflowLost += _samplesPerNotification;
            return;
        }

        for (int i = 0; i < _samplesPerNotification; i++)
        {
            _queue[(_queueHead + _queueCount) % _queue.Length] = _pending[i];
            _queueCount++;
        }
    }

    /// <summary>
    /// Runs the connection event at <see cref="NextEventNs"/>: writes delivered samples into
    /// <paramref name="output"/> (room for the good-state cap × samples per notification) and
    /// schedules the next event.
    /// </summary>
    /// <returns>Samples written.</returns>
    public int RunEvent(Span<SimulatedSample> output, int sensorId)
    {
        long eventNs = _nextEventNs;
        _eventNumber++;
        _nextEventNs = Math.Max(eventNs + 1, ScheduleEvent(_eventNumber));

        if (_random.Chance(_options.MissedEventProbability))
        {
            MissedEvents++;
            return 0;
        }

        _congested = _congested ? !_random.Chance(_options.CongestedToGood) : _random.Chance(_options.GoodToCongested);
        int cap = _congested ? _options.NotificationsPerEventCongested : _options.NotificationsPerEventGood;
        double osDelayNs = _random.Exponential(_options.OsDelayMeanMs) * 1e6;
        double spacingNs = _options.NotificationSpacingMs * 1e6;

        int written = 0;
        for (int n = 0; n < cap && _queueCount > 0; n++)
        {
            bool lost = _random.Chance(_options.RandomLossProbability);
            long arrivalNs = Math.Max(_lastArrivalNs, eventNs + (long)(osDelayNs + (n * spacingNs)));
            for (int i = 0; i < _samplesPerNotification; i++)
            {
                GaitSample s = _queue[_queueHead];
                _queueHead = (_queueHead + 1) % _queue.Length;
                _queueCount--;
                if (lost)
                {
                    RandomLost++;
                    continue;
                }

                output[written++] = new SimulatedSample(
                    s.ToImuSample(sensorId, _sequence++, arrivalNs), s.TimeNs, s.Index);
            }

            if (!lost)
            {
                _lastArrivalNs = arrivalNs;
            }
        }

        return written;
    }

    private long ScheduleEvent(long n)
    {
        double jitter = _options.IntervalJitterMs <= 0 ? 0
            : Math.Clamp(_random.Gaussian(0, _options.IntervalJitterMs), -3 * _options.IntervalJitterMs, 3 * _options.IntervalJitterMs);
        return _firstEventNs + (long)((n * _intervalNs) + (jitter * 1e6));
    }
}
