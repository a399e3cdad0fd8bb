using System.Runtime.CompilerServices;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Timing;

/// <summary>
/// Per-sensor sample clock: gives every sample a sensor time on the session clock and counts lost
/// samples. Sources whose timestamps are true sample times keep them; bursty arrivals are de-jittered.
/// </summary>
/// <remarks>
/// <para>Two models, chosen online from the stream itself (causal, no look-ahead):</para>
/// <para><b>Regular</b> (sample-time timestamps: a recording whose clock is the sensor's, a simulator without
/// a link). Every step between timestamps is a whole number of periods, within
/// <see cref="SampleClockOptions.RegularToleranceMs"/> (whole-ms timestamps at 204.8 Hz step 4 or 5 ms).
/// After <see cref="AcquireSteps"/> such steps in a row the clock keeps the timestamps as sample times
/// and counts a step of k periods as k − 1 lost samples; from the very first sample, while every step is
/// on the grid, it keeps them already (a bursty source breaks that run at its first burst), so a regular
/// file is exact from its start. If every step of that opening run was a multiple m of the nominal
/// period, the period is m nominal ones (a 100 Hz file given as 200 Hz). Steps that keep to no whole number of
/// nominal periods but to a grid of their own, <see cref="ForeignAcquireSteps"/> in a row, make that grid the period
/// (a 128 Hz file given as 200 Hz); while every step from the first keeps to it, the timestamps are kept from the
/// start, as on the nominal grid. The period is estimated from the accepted
/// steps (<see cref="SampleGrid"/>), so a sensor a little off its nominal rate is counted right. The
/// check goes on: off-grid steps (bursts, duplicates) add strikes, on-grid steps take one away, and
/// past <see cref="MaxStrikes"/> the clock falls back to the de-jitter model.</para>
/// <para><b>De-jitter</b> (the default until a stream proves regular; live BLE). The sensor samples on a
/// regular grid of period T; BLE delivers late, in bursts, and loses some. So (1) consecutive samples are
/// one period apart: sample time = previous + T; (2) a sample cannot be taken after it arrived: sample
/// time ≤ arrival; (3) when a burst ends, the age of its newest sample at arrival shows whether samples
/// were lost: beyond <see cref="SampleClockOptions.LossSlackPeriods"/> periods the grid jumps forward by
/// whole periods and the skipped periods are counted as lost; (4) a stream without bursts still cannot
/// fall behind: when, over <see cref="LagWindowNs"/> (or 10 periods) without a burst, the newest sample
/// of every notification was older than the slack, the grid jumps the same way. T is the nominal period,
/// or the estimated one once a regular stretch has measured it; without a sample counter (and with
/// <see cref="SampleClockOptions.InferSlowerRate"/>), a stream that delivers at most half the nominal rate over
/// <see cref="RateWindowNs"/> makes it the whole multiple of the nominal period its
/// arrivals leave room for (<see cref="SlowerRates"/>: a 100 Hz phone recording given as 200 Hz). Fixed radio latency is invisible from
/// arrivals and stays in the reconstructed time.</para>
/// <para>A sample that already carries a sensor time keeps it and re-anchors the model; its steps are
/// checked against the grid like regular timestamps, so losses between them are counted too. With
/// <see cref="SampleClockOptions.UseSequenceGaps"/> (a sensor sample counter) the sequence gives the
/// exact losses, and the lag rules only slew the time base, a quarter period at a time (<see cref="Realigns"/>); a base
/// that ran ahead of an arrival (2) is pulled back no faster, so every step stays within a quarter period of the counted
/// one and a sample may lie after its arrival until the base is back behind the arrivals (<see cref="AheadClamps"/>).
/// A stall does not restart the base at the arrival either: the counter says how many periods it held.</para>
/// <para>Every stamped sample is counted once: <see cref="Samples"/> = <see cref="PassedThrough"/> +
/// <see cref="RegularSamples"/> + <see cref="DejitteredSamples"/>.</para>
/// <para>Three parts, each in its own file: <see cref="RegularTimestamps"/> (the regular model's recogniser, on a
/// <see cref="SampleGrid"/>), <see cref="Dejitterer"/> (the de-jitter model) and <see cref="LossCount"/> (gaps and
/// lost samples, with the opening run's pending count). This type routes each sample to one of them and keeps the
/// time base they share (the last sample's time, arrival and sequence).</para>
/// <para>Allocation-free, O(1) per sample; not thread-safe (the producer of the sensor's samples owns it).</para>
/// </remarks>
public sealed class SampleClock
{
    /// <summary>Consecutive on-grid steps that make a stream regular.</summary>
    public const int AcquireSteps = 10;

    /// <summary>
    /// Consecutive off-grid steps on a grid of their own that make it the period (a 128 Hz file given as 200 Hz): twice
    /// <see cref="AcquireSteps"/>, because a bursty link's runs of near-equal steps must not pass for one.
    /// </summary>
    public const int ForeignAcquireSteps = 2 * AcquireSteps;

    /// <summary>Strikes (2 per off-grid step, −1 per on-grid step) beyond which a regular stream turns de-jittered.</summary>
    public const int MaxStrikes = 4;

    /// <summary>Window over which the de-jitter model compares the arrival rate with the nominal one (no sample counter).</summary>
    public const long RateWindowNs = 2_000_000_000;

    /// <summary>Most samples a sensor at a period of m nominal ones delivers in a rate window, in 1/m of the nominal rate (arrival jitter at the window's ends).</summary>
    public const double MaxDeliveredFraction = 1.03;

    /// <summary>Beyond this many samples in 1/m of the nominal rate, a period of m nominal ones is too long.</summary>
    public const double OverDeliveredFraction = 1.10;

    /// <summary>Longest period, in nominal ones, that the arrival rate may show (25 Hz given as 200 Hz); the multiple is a power of two, as sensors' rate ladders halve.</summary>
    public const int MaxPeriodMultiple = 8;

    /// <summary>Notifications in a row without a burst end after which a stream counts as arriving evenly.</summary>
    public const int EvenStreamNotifications = 20;

    /// <summary>The no-drift rule's window, in periods, on a stream that arrives evenly.</summary>
    public const int EvenLagWindowPeriods = 3;

    /// <summary>
    /// On a stream that arrives evenly, a sample more than this many periods older than its arrival shows a loss: its
    /// arrivals keep within a fraction of a period of the samples (a bursty link's slack is 1.5 periods).
    /// </summary>
    public const double EvenLossSlackPeriods = 0.75;

    /// <summary>Shortest window of the no-drift rule (4) of the de-jitter model; at least 10 periods.</summary>
    public const long LagWindowNs = 100_000_000;

    private long _nominalPeriodNs;
    private bool _useSequenceGaps;
    private RegularTimestamps _regular;
    private Dejitterer _dejitter;
    private LossCount _loss;

    // The time base shared by the models: the last stamped sample.
    private bool _started;
    private long _lastTimeNs;
    private long _lastArrivalNs;
    private long _lastSequence;

    /// <summary>Creates a clock with validated <paramref name="options"/> (defaults when null).</summary>
    public SampleClock(SampleClockOptions? options = null) => Change(options ?? new SampleClockOptions());

    /// <summary>Samples stamped since the last <see cref="Reset"/>.</summary>
    public long Samples { get; private set; }

    /// <summary>Samples whose own timestamp was kept as their sample time (regular model).</summary>
    public long RegularSamples { get; private set; }

    /// <summary>Samples stamped by the de-jitter model.</summary>
    public long DejitteredSamples { get; private set; }

    /// <summary>Bursts seen (arrival gaps longer than the burst gap) while de-jittering.</summary>
    public long Bursts => _dejitter.Bursts;

    /// <summary>Detected gaps: steps of several periods, losses found at burst ends or by the lag window, sequence gaps and stalls.</summary>
    public long Gaps => _loss.Gaps;

    /// <summary>
    /// Samples lost in those gaps: exact for regular timestamps and sample counters, estimated for bursty
    /// arrivals. Includes the provisional count of an opening run of regular steps not yet confirmed.
    /// </summary>
    public long EstimatedLostSamples => _loss.Estimated(_regular.RunGcd);

    /// <summary>Samples whose predicted time lay after their arrival and were pulled back to it (with a sample counter, a quarter period towards it at most).</summary>
    public long AheadClamps => _dejitter.AheadClamps;

    /// <summary>Stalls: arrival gaps beyond the resync gap (the de-jitter model restarted at the arrival time; with a sample counter, went on by the counted periods).</summary>
    public long Resyncs => _dejitter.Resyncs + _regular.Resyncs;

    /// <summary>Arrivals earlier than the previous arrival (treated as simultaneous with it).</summary>
    public long NonMonotonicArrivals { get; private set; }

    /// <summary>Samples that came with a sensor time and kept it.</summary>
    public long PassedThrough { get; private set; }

    /// <summary>Times the stream was recognised as regular (sample-time timestamps).</summary>
    public long RegularEntries => _regular.Entries;

    /// <summary>Times a regular stream turned bursty and the de-jitter model took over.</summary>
    public long RegularExits => _regular.Exits;

    /// <summary>Times the timestamps' own grid replaced the nominal period (see <see cref="ForeignAcquireSteps"/>).</summary>
    public long AdoptedRates => _regular.AdoptedRates;

    /// <summary>Times the arrival rate changed the de-jitter model's period to another whole number of nominal ones (a 100 Hz stream given as 200 Hz).</summary>
    public long SlowerRates => _dejitter.MultipleChanges;

    /// <summary>Period the de-jitter model stamps with now, in ns: the nominal one, a multiple the arrival rate showed, or one a regular stretch measured.</summary>
    public long DejitterPeriodNs => _dejitter.PeriodNs;

    /// <summary>Forward slews of the time base not counted as losses (a sample counter said nothing was lost).</summary>
    public long Realigns => _dejitter.Realigns;

    /// <summary>Whether timestamps are currently kept as sample times.</summary>
    public bool IsRegular => _regular.IsRegular;

    /// <summary>Nominal period in ns.</summary>
    public long PeriodNs => _nominalPeriodNs;

    /// <summary>Period estimated from regular timestamps (the nominal one until some have been seen), in ns.</summary>
    public double EstimatedPeriodNs => _regular.PeriodNs;

    /// <summary>Applies new options in place, keeping the current time base (live tuning).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option outside its range (the key is named).</exception>
    public void Change(SampleClockOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _nominalPeriodNs = options.PeriodNs;
        _useSequenceGaps = options.UseSequenceGaps;
        _regular.Configure(options, _nominalPeriodNs, _started);
        _dejitter.Configure(options, _nominalPeriodNs);
    }

    /// <summary>Returns <paramref name="raw"/> with its reconstructed sensor time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ImuSample Stamp(in ImuSample raw) => raw.WithSensorTime(Next(raw));

    /// <summary>Forgets the time base, the period estimate and the counters (new recording, reconnect).</summary>
    public void Reset()
    {
        _started = false;
        _lastTimeNs = _lastArrivalNs = _lastSequence = 0;
        _regular.Reset();
        _dejitter.Reset(_nominalPeriodNs);
        _loss.Reset();
        Samples = RegularSamples = DejitteredSamples = NonMonotonicArrivals = PassedThrough = 0;
    }

    private long Next(in ImuSample raw)
    {
        Samples++;
        long arrival = raw.ArrivalTimeNs;
        if (_started && arrival < _lastArrivalNs)
        {
            NonMonotonicArrivals++;
            arrival = _lastArrivalNs;
        }

        long skipped = _started && _useSequenceGaps ? Math.Max(0, raw.Sequence - _lastSequence - 1) : 0;
        if (raw.SensorTimeNs != 0)
        {
            PassedThrough++;
            long known = raw.SensorTimeNs;
            if (_useSequenceGaps)
            {
                _loss.Count(skipped);
            }
            else if (!_started || known > _lastTimeNs)
            {
                _regular.CountKnownStep(known, ref _loss);
            }

            Anchor(known, arrival, raw.Sequence);
            return known;
        }

        if (!_started)
        {
            DejitteredSamples++;
            _dejitter.Start(arrival, _loss);
            _regular.Start(arrival);
            Anchor(arrival, arrival, raw.Sequence);
            return arrival;
        }

        long time = 0;
        if (_regular.Enabled)
        {
            if (_regular.TryKeep(arrival, skipped, _lastTimeNs, _lastArrivalNs, ref _loss, out time, out long handOverPeriodNs))
            {
                RegularSamples++;
                Anchor(time, arrival, raw.Sequence);
                return time;
            }

            if (handOverPeriodNs >= 0)
            {
                _dejitter.TakeOver(arrival, handOverPeriodNs, _loss);
            }
        }

        DejitteredSamples++;
        time = _dejitter.Next(arrival, skipped, _lastTimeNs, _lastArrivalNs, ref _loss);
        Anchor(time, arrival, raw.Sequence);
        return time;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Anchor(long time, long arrival, long sequence)
    {
        _started = true;
        _lastTimeNs = time;
        _lastArrivalNs = arrival;
        _lastSequence = sequence;
    }
}
