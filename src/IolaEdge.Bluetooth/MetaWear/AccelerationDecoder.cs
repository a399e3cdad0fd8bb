using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// Turns accelerometer notifications of one sensor into <see cref="ImuSample"/>s delivered to a
/// sink, counting everything it rejects. A second instance decodes the gyroscope's counted stream
/// (same layout, another scale; <see cref="SixAxisPairer"/> joins the two). Allocation-free; single writer (the bus thread), counters
/// readable from any thread.
/// </summary>
/// <remarks>
/// <para>Packed or plain stream: samples carry <c>ArrivalTimeNs</c> = arrival of their notification
/// (all samples of a packed notification share it), a running per-sensor <c>Sequence</c> that
/// continues across reconnects, and <c>SensorTimeNs</c> = 0: the pipeline's sample clock
/// reconstructs it from arrivals.</para>
/// <para>Sample-counter stream (accounter outputs of n samples each: n = 2 behind the packer, the live
/// chain; n = 1 on the plain signal): the board's count numbers notifications, so a step of k says
/// exactly that (k − 1) × n samples were lost between two notifications (<see cref="LostSamples"/>);
/// <c>Sequence</c> advances by step × n and so skips them, and a sample clock run here on the counter (its
/// gaps trusted, arrivals only bounding the time base) gives <c>SensorTimeNs</c>, one period apart
/// inside a notification and the counted periods apart, within a quarter period, between notifications,
/// so the pipeline's clock keeps those times and counts the same losses from their steps. Notifications
/// read in a burst behind a late one (a busy bus thread) show the base ran ahead of the arrivals: it is
/// pulled back a quarter period per notification, so for a while a time may lie after its arrival.</para>
/// </remarks>
internal sealed class AccelerationDecoder
{
    private readonly long[] _rejected = new long[Enum.GetValues<PacketRejectReason>().Length];
    private readonly int _sensorId;
    private IImuSampleSink? _sink;
    private byte _register;
    private int _maxSamples;
    private float _gPerLsb;
    private long _gapThresholdNs;
    private int _counterId = -1;
    private int _perCount = 1;
    private readonly SampleClock _counterClock = new(new SampleClockOptions
    {
        NominalRateHz = 200,
        UseSequenceGaps = true,
        DetectRegularTimestamps = false,
    });

    // Bus-thread-owned; published with Volatile for snapshot readers.
    private bool _counting;
    private uint _lastCount;
    private long _sequence;
    private long _samples;
    private long _lostSamples;
    private long _packets;
    private long _sinkDrops;
    private long _arrivalGaps;
    private long _pullBacks;
    private long _lastArrivalNs;

    /// <summary>Creates a decoder for one sensor; call <c>Configure</c> before use.</summary>
    public AccelerationDecoder(int sensorId) => _sensorId = sensorId;

    /// <summary>Samples delivered so far (to the sink, including those it refused).</summary>
    public long Samples => Volatile.Read(ref _samples);

    /// <summary>Samples the board counted but that never arrived (sample-counter stream only; exact).</summary>
    public long LostSamples => Volatile.Read(ref _lostSamples);

    /// <summary>Whether the stream is the sample-counter one.</summary>
    public bool Counted => _counterId >= 0;

    /// <summary>Notifications accepted.</summary>
    public long Packets => Volatile.Read(ref _packets);

    /// <summary>Samples the sink refused (ring full).</summary>
    public long SinkDrops => Volatile.Read(ref _sinkDrops);

    /// <summary>Inter-notification intervals longer than the gap threshold (lost packets or link stalls).</summary>
    public long ArrivalGaps => Volatile.Read(ref _arrivalGaps);

    /// <summary>
    /// Counted notifications that arrived before the time the counter gave their first sample: the time base had run
    /// ahead of the arrivals (notifications read in a burst behind a late one) and was pulled back towards them.
    /// </summary>
    public long TimeBasePullBacks => Volatile.Read(ref _pullBacks);

    /// <summary>Notifications rejected, all reasons.</summary>
    public long RejectedTotal
    {
        get
        {
            long sum = 0;
            for (int i = 1; i < _rejected.Length; i++)
            {
                sum += Volatile.Read(ref _rejected[i]);
            }

            return sum;
        }
    }

    /// <summary>Notifications rejected for <paramref name="reason"/>.</summary>
    public long Rejected(PacketRejectReason reason) => Volatile.Read(ref _rejected[(int)reason]);

    /// <summary>Sets the stream shape (on (re)configuration, bus thread or before streaming).</summary>
    /// <param name="sink">Where samples go.</param>
    /// <param name="register">Data register streamed (0x04 plain, 0x1c/0x05 packed).</param>
    /// <param name="rangeG">Configured range: the packets do not carry it.</param>
    /// <param name="gapThreshold">An inter-arrival interval above this counts as a gap.</param>
    /// <param name="counterProcessorId">The accounter's id for a sample-counter stream (then <paramref name="register"/> is unused); −1 otherwise.</param>
    /// <param name="samplesPerCount">Samples per counted notification: 2 behind the packer, 1 on the plain signal.</param>
    public void Configure(IImuSampleSink sink, byte register, int rangeG, TimeSpan gapThreshold, int counterProcessorId = -1, int samplesPerCount = 1) =>
        Configure(sink, register, 1f / AccelerometerRange.LsbPerG(rangeG), gapThreshold, counterProcessorId, samplesPerCount);

    /// <summary>
    /// Sets the stream shape with the value of one LSB: the same int16 × 3 layouts carry the gyroscope's
    /// rotation (then the samples' X/Y/Z are °/s, 1 / 16.4 at ±2000 °/s, and a pairing stage moves them into
    /// the angular-velocity components).
    /// </summary>
    public void Configure(IImuSampleSink sink, byte register, float unitsPerLsb, TimeSpan gapThreshold, int counterProcessorId, int samplesPerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samplesPerCount, MetaWearCommands.PackedPerCount);
        _sink = sink;
        _register = register;
        _counterId = counterProcessorId;
        _perCount = samplesPerCount;
        _counting = false; // a new accounter counts from its own start: the first count only anchors
        _counterClock.Reset();
        _maxSamples = register == MetaWearCommands.PlainDataRegister ? 1 : 3;
        _gPerLsb = unitsPerLsb;
        _gapThresholdNs = gapThreshold.Ticks * 100;
        _lastArrivalNs = 0; // a reconnect is counted by the sensor link, not as an arrival gap
    }

    /// <summary>Decodes one notification; returns false (and counts the reason) when it is rejected. Never throws.</summary>
    public bool TryDecode(ReadOnlySpan<byte> packet, long arrivalNs, out PacketRejectReason reason)
    {
        if (_counterId >= 0)
        {
            return TryDecodeCounted(packet, arrivalNs, out reason);
        }

        IImuSampleSink? sink = _sink;
        if (!AccelerationPacket.TryRead(packet, _register, _maxSamples, out AccelerationPacket samples, out reason) || sink is null)
        {
            if (reason == PacketRejectReason.None)
            {
                reason = PacketRejectReason.UnexpectedHeader; // not configured yet
            }

            Count(reason);
            return false;
        }

        if (_lastArrivalNs != 0 && arrivalNs - _lastArrivalNs > _gapThresholdNs)
        {
            Volatile.Write(ref _arrivalGaps, _arrivalGaps + 1);
        }

        _lastArrivalNs = arrivalNs;
        long sequence = _sequence;
        for (int i = 0; i < samples.Count; i++)
        {
            (short x, short y, short z) = samples.Raw(i);
            var sample = new ImuSample(_sensorId, sequence++, 0, arrivalNs, x * _gPerLsb, y * _gPerLsb, z * _gPerLsb);
            if (!sink.OnSample(in sample))
            {
                Volatile.Write(ref _sinkDrops, _sinkDrops + 1);
            }
        }

        Volatile.Write(ref _sequence, sequence);
        Volatile.Write(ref _samples, _samples + samples.Count);
        Volatile.Write(ref _packets, _packets + 1);
        return true;
    }

    private bool TryDecodeCounted(ReadOnlySpan<byte> packet, long arrivalNs, out PacketRejectReason reason)
    {
        IImuSampleSink? sink = _sink;
        int perCount = _perCount;
        if (!CountedSamplePacket.TryRead(packet, (byte)_counterId, perCount, out CountedSamplePacket counted, out reason) || sink is null)
        {
            Count(reason == PacketRejectReason.None ? PacketRejectReason.UnexpectedHeader : reason);
            return false;
        }

        uint count = counted.Count;
        long sequence = _sequence;
        if (_counting)
        {
            uint step = unchecked(count - _lastCount); // wraps with the board's u32
            if (step == 0 || step > int.MaxValue)
            {
                reason = PacketRejectReason.CounterOutOfOrder;
                Count(reason);
                return false;
            }

            // The count numbers notifications (the accounter's inputs): each one missed held perCount samples.
            long lost = (step - 1L) * perCount;
            sequence += lost;
            Volatile.Write(ref _lostSamples, _lostSamples + lost);
        }

        _counting = true;
        _lastCount = count;
        if (_lastArrivalNs != 0 && arrivalNs - _lastArrivalNs > _gapThresholdNs)
        {
            Volatile.Write(ref _arrivalGaps, _arrivalGaps + 1);
        }

        _lastArrivalNs = arrivalNs;
        // The clock places the notification's first sample, bounded by arrival − (n − 1) periods (the newest
        // was taken by the arrival at the latest); the others follow one period apart and are handed to the
        // clock as known times, so its slews of the time base fall between notifications, never inside one.
        long periodNs = _counterClock.PeriodNs;
        long firstTime = 0;
        for (int i = 0; i < perCount; i++)
        {
            (short x, short y, short z) = counted.RawAt(i);
            long known = i == 0 ? 0 : firstTime + (i * periodNs);
            long bound = arrivalNs - ((perCount - 1 - i) * periodNs);
            var raw = new ImuSample(_sensorId, sequence + i, known, bound, x * _gPerLsb, y * _gPerLsb, z * _gPerLsb);
            long clamps = _counterClock.AheadClamps;
            long sensorTime = _counterClock.Stamp(raw).SensorTimeNs;
            if (i == 0)
            {
                firstTime = sensorTime;
                if (_counterClock.AheadClamps != clamps)
                {
                    Volatile.Write(ref _pullBacks, _pullBacks + 1);
                }
            }

            var sample = new ImuSample(_sensorId, sequence + i, sensorTime, arrivalNs, x * _gPerLsb, y * _gPerLsb, z * _gPerLsb);
            if (!sink.OnSample(in sample))
            {
                Volatile.Write(ref _sinkDrops, _sinkDrops + 1);
            }
        }

        Volatile.Write(ref _sequence, sequence + perCount);
        Volatile.Write(ref _samples, _samples + perCount);
        Volatile.Write(ref _packets, _packets + 1);
        return true;
    }

    /// <summary>Counts a rejection found before decoding (e.g. a malformed D-Bus message).</summary>
    public void Count(PacketRejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);
}
