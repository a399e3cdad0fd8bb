using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// Joins one sensor's two counted streams, acceleration and rotation, into six-axis
/// <see cref="ImuSample"/>s: each accelerometer sample gets the gyroscope sample the board took at the
/// same tick, found on the sensor clock. Single writer (the bus thread); counters readable anywhere.
/// Allocation-free after construction.
/// </summary>
/// <remarks>
/// <para>Both streams run at 200 Hz from the same chip, each numbered by its own accounter (the decoders
/// turn counts into per-stream sample sequences that skip lost samples). Within one connection the
/// accelerometer sequence minus the gyroscope sequence of the same tick is a constant, but an unknown one:
/// each accounter counts from its own start and the two sensors are started by separate commands.
/// The pairer finds it on the sensor clock: for each sample, the other stream's sample taken nearest in
/// time, within half a period, gives a candidate offset (whichever sample of a pair arrives second votes;
/// the first finds no partner yet). "Taken" is on the arrival clock: the newest sample of a notification
/// at its arrival, the other one period before. Both streams share that clock and the link, whereas each
/// decoder's own sample clock slews its time base on its own (by up to 1.5 periods when the board's
/// oscillator and the host disagree). Once one candidate has <see cref="LockAgreement"/> votes and three quarters of all votes
/// cast, the offset is locked and pairing is exact, by sequence, for the rest of the connection (jitter cannot swap
/// partners later).</para>
/// <para>Before the lock, accelerometer samples pass on without angular velocity. After it, an
/// accelerometer sample waits for its partner (at most <see cref="MaxHeld"/> samples, i.e. until the
/// gyroscope stream is that far behind) and passes on without angular velocity when the gyroscope stream
/// has moved past its partner (lost over the air) or stalled. Counters add up:
/// accelerometer samples in = <see cref="Paired"/> + <see cref="AccelerationOnly"/> + <see cref="HeldAcceleration"/>;
/// gyroscope samples in = <see cref="Paired"/> + <see cref="UnmatchedGyroscope"/> + <see cref="WaitingGyroscope"/>.</para>
/// <para><see cref="Reset"/> (a new connection) may be called from another thread: it only raises a flag,
/// and the bus thread, at the next sample, passes the held samples on and forgets the offset, so the sink
/// keeps a single producer.</para>
/// </remarks>
internal sealed class SixAxisPairer : IImuSampleSink
{
    /// <summary>Gyroscope samples kept for pairing (320 ms at 200 Hz).</summary>
    public const int GyroscopeSlots = 64;

    /// <summary>Accelerometer samples held at most while their partner is due (40 ms at 200 Hz).</summary>
    public const int MaxHeld = 8;

    /// <summary>Votes one candidate offset needs (with three quarters of all votes) to lock.</summary>
    public const int LockAgreement = 8;

    private const int HistorySlots = 64;

    private readonly ImuSample[] _gyro = new ImuSample[GyroscopeSlots];
    private readonly long[] _gyroSequence = new long[GyroscopeSlots];
    private readonly bool[] _gyroWaiting = new bool[GyroscopeSlots];
    private readonly ImuSample[] _held = new ImuSample[MaxHeld + 1];
    private readonly long[] _accSequence = new long[HistorySlots];
    private readonly long[] _accTimeNs = new long[HistorySlots];
    private readonly long[] _gyroTimeNs = new long[GyroscopeSlots];
    private readonly long _periodNs;
    private readonly long _halfPeriodNs;
    private readonly int _perNotification;
    private IImuSampleSink? _sink;
    private volatile bool _resetRequested;

    // Bus-thread state.
    private int _heldStart;
    private int _heldCount;
    private int _accHistoryCount;
    private long _accFirstSequence = long.MinValue;
    private long _gyroFirstSequence = long.MinValue;
    private long _lastGyroSequence = long.MinValue;
    private bool _locked;
    private long _offset;
    private readonly long[] _tallyCandidate = new long[8];
    private readonly int[] _tallyVotes = new int[8];
    private int _tallyCount;
    private int _votes;

    // Counters: written by the bus thread, read with Volatile.
    private long _paired;
    private long _accelerationOnly;
    private long _unmatchedGyroscope;
    private long _waitingGyroscope;
    private long _sinkDrops;
    private double _largestAngularSpeed;
    private double _largestAcceleration;
    private long _locks;

    /// <summary>Creates a pairer for streams at <paramref name="rateHz"/> with <paramref name="samplesPerNotification"/> samples per notification.</summary>
    public SixAxisPairer(double rateHz = 200, int samplesPerNotification = MetaWearCommands.PackedPerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerNotification, 1);
        _periodNs = (long)(1e9 / rateHz);
        _halfPeriodNs = _periodNs / 2;
        _perNotification = samplesPerNotification;
        Gyroscope = new GyroscopeInput(this);
        Array.Fill(_gyroSequence, long.MinValue);
    }

    /// <summary>The sink the gyroscope decoder delivers into (its samples carry °/s in X/Y/Z).</summary>
    public IImuSampleSink Gyroscope { get; }

    /// <summary>Accelerometer samples passed on with their gyroscope partner.</summary>
    public long Paired => Volatile.Read(ref _paired);

    /// <summary>Accelerometer samples passed on without angular velocity (before the lock, partner lost, or gyroscope stalled).</summary>
    public long AccelerationOnly => Volatile.Read(ref _accelerationOnly);

    /// <summary>Accelerometer samples currently waiting for their partner.</summary>
    public long HeldAcceleration => Volatile.Read(ref _heldCount);

    /// <summary>Gyroscope samples that found no accelerometer sample (before the lock, or their partner was lost).</summary>
    public long UnmatchedGyroscope => Volatile.Read(ref _unmatchedGyroscope);

    /// <summary>Gyroscope samples kept for a partner not yet seen.</summary>
    public long WaitingGyroscope => Volatile.Read(ref _waitingGyroscope);

    /// <summary>The largest |ω| of the samples passed on with angular velocity since the last reset (°/s).</summary>
    public double LargestAngularSpeedDps => Volatile.Read(ref _largestAngularSpeed);

    /// <summary>The largest |a| of those samples (g): how hard the foot moved while the gyroscope watched.</summary>
    public double LargestPairedAccelerationG => Volatile.Read(ref _largestAcceleration);

    /// <summary>Samples the downstream sink refused (ring full).</summary>
    public long SinkDrops => Volatile.Read(ref _sinkDrops);

    /// <summary>Offsets locked so far (one per connection that paired).</summary>
    public long Locks => Volatile.Read(ref _locks);

    /// <summary>The locked offset (accelerometer sequence − gyroscope sequence), or null before the lock.</summary>
    public long? Offset => _locked ? _offset : null;

    /// <summary>Sets the downstream sink (before streaming).</summary>
    public void Configure(IImuSampleSink sink) => _sink = sink;

    /// <summary>A new connection: the bus thread passes held samples on and relearns the offset at the next sample. Any thread.</summary>
    public void Reset() => _resetRequested = true;

    /// <summary>Bus thread: an accelerometer sample (g). Always accepts; downstream refusals are counted here.</summary>
    public bool OnSample(in ImuSample sample)
    {
        ApplyReset();
        if (!_locked)
        {
            if (_accFirstSequence == long.MinValue)
            {
                _accFirstSequence = sample.Sequence;
            }

            long taken = TakenTime(sample, _accFirstSequence);
            int h = _accHistoryCount++ % HistorySlots;
            _accSequence[h] = sample.Sequence;
            _accTimeNs[h] = taken;
            LearnFromAcceleration(sample.Sequence, taken);
            Emit(sample, default, paired: false);
            return true;
        }

        _held[(_heldStart + _heldCount) % _held.Length] = sample;
        Volatile.Write(ref _heldCount, _heldCount + 1);
        Drain();
        return true;
    }

    /// <inheritdoc/>
    public void OnFootfallAnnotation(int sensorId, long timeNs) => _sink?.OnFootfallAnnotation(sensorId, timeNs);

    private void OnGyroscope(in ImuSample sample)
    {
        ApplyReset();
        int slot = (int)(sample.Sequence & (GyroscopeSlots - 1));
        if (_gyroWaiting[slot])
        {
            // Evicted unused: its partner never came (lost) or came before the lock.
            Volatile.Write(ref _unmatchedGyroscope, _unmatchedGyroscope + 1);
            Volatile.Write(ref _waitingGyroscope, _waitingGyroscope - 1);
        }

        _gyro[slot] = sample;
        _gyroSequence[slot] = sample.Sequence;
        _gyroWaiting[slot] = true;
        Volatile.Write(ref _waitingGyroscope, _waitingGyroscope + 1);
        _lastGyroSequence = Math.Max(_lastGyroSequence, sample.Sequence);
        if (!_locked)
        {
            if (_gyroFirstSequence == long.MinValue)
            {
                _gyroFirstSequence = sample.Sequence;
            }

            long taken = TakenTime(sample, _gyroFirstSequence);
            _gyroTimeNs[slot] = taken;
            LearnFromGyroscope(sample.Sequence, taken);
        }

        Drain();
    }

    /// <summary>
    /// When the board took a sample, on the arrival clock: the newest sample of a notification by its arrival,
    /// the others one period apart before it. Both streams use the same arrival clock and the same link, so these
    /// times agree across streams, where each decoder's own sample clock may have slewed differently.
    /// </summary>
    private long TakenTime(in ImuSample sample, long firstSequence)
    {
        long index = (sample.Sequence - firstSequence) % _perNotification; // losses skip whole notifications
        return sample.ArrivalTimeNs - ((_perNotification - 1 - index) * _periodNs);
    }

    /// <summary>One vote for the offset from an accelerometer sample: the gyroscope sample nearest in time.</summary>
    private void LearnFromAcceleration(long sequence, long takenNs)
    {
        long bestDistance = long.MaxValue;
        long bestSequence = 0;
        for (int i = 0; i < GyroscopeSlots; i++)
        {
            if (_gyroSequence[i] != long.MinValue)
            {
                long d = Math.Abs(_gyroTimeNs[i] - takenNs);
                if (d < bestDistance)
                {
                    bestDistance = d;
                    bestSequence = _gyroSequence[i];
                }
            }
        }

        if (bestDistance <= _halfPeriodNs)
        {
            Vote(sequence - bestSequence);
        }
    }

    /// <summary>One vote for the offset from a gyroscope sample: the accelerometer sample nearest in time.</summary>
    private void LearnFromGyroscope(long sequence, long takenNs)
    {
        long bestDistance = long.MaxValue;
        long bestSequence = 0;
        int n = Math.Min(_accHistoryCount, HistorySlots);
        for (int i = 0; i < n; i++)
        {
            long d = Math.Abs(_accTimeNs[i] - takenNs);
            if (d < bestDistance)
            {
                bestDistance = d;
                bestSequence = _accSequence[i];
            }
        }

        if (bestDistance > _halfPeriodNs)
        {
            return; // its partner has not arrived yet (or was lost): no vote, and no reason to doubt the others
        }

        Vote(bestSequence - sequence);
    }

    /// <summary>
    /// Whichever sample of a pair arrives second votes. The offset locks when one candidate has
    /// <see cref="LockAgreement"/> votes and at least three quarters of all votes cast since the reset, so a
    /// few votes spoiled by bursty arrivals delay the lock instead of preventing it.
    /// </summary>
    private void Vote(long candidate)
    {
        _votes++;
        int slot = -1;
        for (int i = 0; i < _tallyCount; i++)
        {
            if (_tallyCandidate[i] == candidate)
            {
                slot = i;
                break;
            }
        }

        if (slot < 0)
        {
            if (_tallyCount == _tallyCandidate.Length)
            {
                return; // more distinct candidates than slots: the votes are noise, the total still grows
            }

            slot = _tallyCount++;
            _tallyCandidate[slot] = candidate;
            _tallyVotes[slot] = 0;
        }

        int votes = ++_tallyVotes[slot];
        if (votes >= LockAgreement && votes * 4 >= _votes * 3)
        {
            _offset = candidate;
            _locked = true;
            Volatile.Write(ref _locks, _locks + 1);
        }
    }

    private void Drain()
    {
        while (_heldCount > 0)
        {
            ref ImuSample acc = ref _held[_heldStart];
            long partner = acc.Sequence - _offset;
            int slot = (int)(partner & (GyroscopeSlots - 1));
            if (_gyroSequence[slot] == partner && _gyroWaiting[slot])
            {
                _gyroWaiting[slot] = false;
                Volatile.Write(ref _waitingGyroscope, _waitingGyroscope - 1);
                Emit(acc, _gyro[slot], paired: true);
            }
            else if (_lastGyroSequence >= partner || _heldCount > MaxHeld)
            {
                Emit(acc, default, paired: false); // partner lost over the air, or the gyroscope stream stalled
            }
            else
            {
                return; // partner still due
            }

            _heldStart = (_heldStart + 1) % _held.Length;
            Volatile.Write(ref _heldCount, _heldCount - 1);
        }
    }

    private void Emit(in ImuSample acc, in ImuSample gyro, bool paired)
    {
        ImuSample sample = paired
            ? new ImuSample(acc.SensorId, acc.Sequence, acc.SensorTimeNs, acc.ArrivalTimeNs, acc.X, acc.Y, acc.Z, gyro.X, gyro.Y, gyro.Z)
            : acc;
        if (paired)
        {
            Volatile.Write(ref _paired, _paired + 1);
            double angularSpeed = sample.AngularSpeed;
            double acceleration = sample.AccelerationMagnitude;
            if (angularSpeed > _largestAngularSpeed)
            {
                Volatile.Write(ref _largestAngularSpeed, angularSpeed);
            }

            if (acceleration > _largestAcceleration)
            {
                Volatile.Write(ref _largestAcceleration, acceleration);
            }
        }
        else
        {
            Volatile.Write(ref _accelerationOnly, _accelerationOnly + 1);
        }

        if (_sink is { } sink && !sink.OnSample(in sample))
        {
            Volatile.Write(ref _sinkDrops, _sinkDrops + 1);
        }
    }

    private void ApplyReset()
    {
        if (!_resetRequested)
        {
            return;
        }

        _resetRequested = false;
        while (_heldCount > 0)
        {
            Emit(_held[_heldStart], default, paired: false);
            _heldStart = (_heldStart + 1) % _held.Length;
            Volatile.Write(ref _heldCount, _heldCount - 1);
        }

        // A new connection: whether its gyroscope turns is judged anew.
        Volatile.Write(ref _largestAngularSpeed, 0);
        Volatile.Write(ref _largestAcceleration, 0);

        for (int i = 0; i < GyroscopeSlots; i++)
        {
            if (_gyroWaiting[i])
            {
                _gyroWaiting[i] = false;
                Volatile.Write(ref _unmatchedGyroscope, _unmatchedGyroscope + 1);
                Volatile.Write(ref _waitingGyroscope, _waitingGyroscope - 1);
            }

            _gyroSequence[i] = long.MinValue;
        }

        _heldStart = 0;
        _accHistoryCount = 0;
        _accFirstSequence = long.MinValue;
        _gyroFirstSequence = long.MinValue;
        _lastGyroSequence = long.MinValue;
        _locked = false;
        _tallyCount = 0;
        _votes = 0;
    }

    private sealed class GyroscopeInput(SixAxisPairer owner) : IImuSampleSink
    {
        public bool OnSample(in ImuSample sample)
        {
            owner.OnGyroscope(sample);
            return true;
        }

        public void OnFootfallAnnotation(int sensorId, long timeNs)
        {
        }
    }
}
