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
/// period, the period is m nominal ones (a 100 Hz file given as 200 Hz). The period is estimated from the accepted
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
/// or the estimated one once a regular stretch has measured it. Fixed radio latency is invisible from
/// arrivals and stays in the reconstructed time.</para>
/// <para>A sample that already carries a sensor time keeps it and re-anchors the model; its steps are
/// checked against the grid like regular timestamps, so losses between them are counted too. With
/// <see cref="SampleClockOptions.UseSequenceGaps"/> (a sensor sample counter) the sequence gives the
/// exact losses, and the lag rules only slew the time base, a quarter period at a time (<see cref="Realigns"/>).</para>
/// <para>Every stamped sample is counted once: <see cref="Samples"/> = <see cref="PassedThrough"/> +
/// <see cref="RegularSamples"/> + <see cref="DejitteredSamples"/>.</para>
/// <para>Allocation-free, O(1) per sample; not thread-safe (the producer of the sensor's samples owns it).</para>
/// </remarks>
public sealed class SampleClock
{
    /// <summary>Consecutive on-grid steps that make a stream regular.</summary>
    public const int AcquireSteps = 10;

    /// <summary>Strikes (2 per off-grid step, −1 per on-grid step) beyond which a regular stream turns de-jittered.</summary>
    public const int MaxStrikes = 4;

    /// <summary>Shortest window of the no-drift rule (4) of the de-jitter model; at least 10 periods.</summary>
    public const long LagWindowNs = 100_000_000;

    // A regular stretch this long (in periods) has measured the period well enough to replace the nominal one.
    private const long TrustedEstimatePeriods = 1000;

    private long _nominalPeriodNs;
    private long _periodNs;
    private long _burstGapNs;
    private double _lossSlackPeriods;
    private long _resyncGapNs;
    private long _lagWindowNs;
    private bool _useSequenceGaps;
    private bool _detectRegular;
    private SampleGrid _grid;

    private bool _started;
    private bool _regular;
    private bool _tentative;
    private bool _knownConfirmed;
    private long _pendingPeriods;
    private long _pendingSteps;
    private long _pendingGaps1; // pending steps that are gaps if the period is the nominal one (k > 1)
    private long _pendingGaps2; // ... if it is two nominal ones (k > 2; used for larger multiples too)
    private long _lostSamples;
    private int _strikes;
    private long _lastTimeNs;
    private long _lastArrivalNs;
    private long _lastSequence;
    private long _windowStartNs;
    private long _windowMinLagNs;

    /// <summary>Creates a clock with validated <paramref name="options"/> (defaults when null).</summary>
    public SampleClock(SampleClockOptions? options = null) => Change(options ?? new SampleClockOptions());

    /// <summary>Samples stamped since the last <see cref="Reset"/>.</summary>
    public long Samples { get; private set; }

    /// <summary>Samples whose own timestamp was kept as their sample time (regular model).</summary>
    public long RegularSamples { get; private set; }

    /// <summary>Samples stamped by the de-jitter model.</summary>
    public long DejitteredSamples { get; private set; }

    /// <summary>Bursts seen (arrival gaps longer than the burst gap) while de-jittering.</summary>
    public long Bursts { get; private set; }

    /// <summary>Detected gaps: steps of several periods, losses found at burst ends or by the lag window, sequence gaps and stalls.</summary>
    public long Gaps { get; private set; }

    /// <summary>
    /// Samples lost in those gaps: exact for regular timestamps and sample counters, estimated for bursty
    /// arrivals. Includes the provisional count of an opening run of regular steps not yet confirmed.
    /// </summary>
    public long EstimatedLostSamples => _lostSamples + Math.Max(0, (_pendingPeriods / Math.Max(1, _grid.RunGcd)) - _pendingSteps);

    /// <summary>Samples whose predicted time lay after their arrival and were pulled back to it.</summary>
    public long AheadClamps { get; private set; }

    /// <summary>Stalls after which the de-jitter model restarted at the arrival time.</summary>
    public long Resyncs { get; private set; }

    /// <summary>Arrivals earlier than the previous arrival (treated as simultaneous with it).</summary>
    public long NonMonotonicArrivals { get; private set; }

    /// <summary>Samples that came with a sensor time and kept it.</summary>
    public long PassedThrough { get; private set; }

    /// <summary>Times the stream was recognised as regular (sample-time timestamps).</summary>
    public long RegularEntries { get; private set; }

    /// <summary>Times a regular stream turned bursty and the de-jitter model took over.</summary>
    public long RegularExits { get; private set; }

    /// <summary>Forward slews of the time base not counted as losses (a sample counter said nothing was lost).</summary>
    public long Realigns { get; private set; }

    /// <summary>Whether timestamps are currently kept as sample times.</summary>
    public bool IsRegular => _regular;

    /// <summary>Nominal period in ns.</summary>
    public long PeriodNs => _nominalPeriodNs;

    /// <summary>Period estimated from regular timestamps (the nominal one until some have been seen), in ns.</summary>
    public double EstimatedPeriodNs => _grid.PeriodNs;

    /// <summary>Applies new options in place, keeping the current time base (live tuning).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option outside its range (the key is named).</exception>
    public void Change(SampleClockOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _nominalPeriodNs = options.PeriodNs;
        _periodNs = _nominalPeriodNs;
        _burstGapNs = (long)(options.BurstGapPeriods * _nominalPeriodNs);
        _lossSlackPeriods = options.LossSlackPeriods;
        _resyncGapNs = (long)(options.ResyncGapMs * 1e6);
        _lagWindowNs = Math.Max(LagWindowNs, 10 * _nominalPeriodNs);
        _useSequenceGaps = options.UseSequenceGaps;
        _detectRegular = options.DetectRegularTimestamps;
        _grid.Configure(_nominalPeriodNs, options.RegularToleranceMs * 1e6);
        if (!_detectRegular)
        {
            _regular = _tentative = false;
        }
        else if (!_started)
        {
            _tentative = true;
        }
    }

    /// <summary>Returns <paramref name="raw"/> with its reconstructed sensor time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ImuSample Stamp(in ImuSample raw) => raw.WithSensorTime(Next(raw));

    /// <summary>Forgets the time base, the period estimate and the counters (new recording, reconnect).</summary>
    public void Reset()
    {
        _started = _regular = _knownConfirmed = false;
        _tentative = _detectRegular;
        _strikes = 0;
        _pendingPeriods = _pendingSteps = _pendingGaps1 = _pendingGaps2 = 0;
        _lastTimeNs = _lastArrivalNs = _lastSequence = _windowStartNs = _windowMinLagNs = 0;
        _periodNs = _nominalPeriodNs;
        _grid.Reset();
        Samples = RegularSamples = DejitteredSamples = Bursts = Gaps = _lostSamples = AheadClamps = Resyncs = 0;
        NonMonotonicArrivals = PassedThrough = RegularEntries = RegularExits = Realigns = 0;
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
                CountLoss(skipped);
            }
            else if (!_started || known > _lastTimeNs)
            {
                CountKnownStep(known);
            }

            Anchor(known, arrival, raw.Sequence);
            return known;
        }

        if (!_started)
        {
            Bursts++;
            DejitteredSamples++;
            _grid.Observe(arrival, confirmed: false, out _);
            _windowStartNs = arrival;
            _windowMinLagNs = long.MaxValue;
            Anchor(arrival, arrival, raw.Sequence);
            return arrival;
        }

        if (_detectRegular && TryRegular(arrival, skipped, out long time))
        {
            RegularSamples++;
            Anchor(time, arrival, raw.Sequence);
            return time;
        }

        DejitteredSamples++;
        time = Dejitter(arrival, skipped);
        Anchor(time, arrival, raw.Sequence);
        return time;
    }

    /// <summary>The regular model: true when <paramref name="arrival"/> is kept as the sample time.</summary>
    private bool TryRegular(long arrival, long skipped, out long time)
    {
        long periods = _grid.Observe(arrival, _regular, out bool onGrid);
        time = 0;
        if (!_regular)
        {
            if (!onGrid)
            {
                // Not (or no longer) a candidate: what the opening run counted stands as it is.
                _tentative = false;
                CommitPending(1);
                return false;
            }

            if (_tentative && _useSequenceGaps)
            {
                CountLoss(skipped);
            }
            else if (_tentative)
            {
                AddPending(periods);
            }

            if (_grid.Run < AcquireSteps)
            {
                // From the very first sample, every step so far on the grid: keep the timestamps while
                // deciding (a bursty source breaks this at its first burst), so a regular file is exact
                // from its start. After a de-jittered stretch, keep de-jittering until the run is long enough.
                if (!_tentative)
                {
                    return false;
                }

                time = Math.Max(arrival, _lastTimeNs);
                return true;
            }

            // Recognised: the timestamps are sample times. The run's steps confirm the period estimate,
            // which may turn out to be a multiple m of the nominal one.
            long m = _grid.Acquire();
            if (_tentative && _useSequenceGaps)
            {
                _tentative = false;
                skipped = 0; // counted above
            }
            else if (_tentative)
            {
                CommitPending(m);
                _tentative = false;
                periods = 1; // counted above
            }
            else
            {
                // The de-jittered stretch may have fallen behind the timestamps by uncounted losses: the
                // step from its last time to this timestamp says how many periods passed.
                periods = Math.Max(1, (long)Math.Round((arrival - _lastTimeNs) / _grid.PeriodNs));
            }

            _regular = true;
            _strikes = 0;
            RegularEntries++;
        }
        else if (!onGrid)
        {
            _strikes += 2;
            if (_strikes > MaxStrikes)
            {
                // Bursts or jitter: hand over to the de-jitter model at the current time base.
                _regular = false;
                _strikes = 0;
                RegularExits++;
                _windowStartNs = arrival;
                _windowMinLagNs = long.MaxValue;
                if (_grid.ConfirmedPeriods >= TrustedEstimatePeriods)
                {
                    _periodNs = (long)Math.Round(_grid.PeriodNs);
                }

                return false;
            }
        }
        else
        {
            _strikes = Math.Max(0, _strikes - 1);
        }

        if (arrival - _lastArrivalNs > _resyncGapNs)
        {
            Resyncs++;
        }

        CountLoss(_useSequenceGaps ? skipped : periods - 1);
        time = Math.Max(arrival, _lastTimeNs);
        return true;
    }

    /// <summary>
    /// Losses between two known sample times: the step in periods − 1. Until 10 steps have confirmed the
    /// grid, steps wait (pending) so that a period that is a multiple of the nominal one is found first.
    /// </summary>
    private void CountKnownStep(long known)
    {
        long periods = _grid.Observe(known, _knownConfirmed, out bool onGrid);
        if (_knownConfirmed)
        {
            CountLoss(periods - 1);
            return;
        }

        if (!onGrid)
        {
            CommitPending(1);
            CountLoss(periods - 1);
            return;
        }

        AddPending(periods);
        if (_grid.Run >= AcquireSteps)
        {
            CommitPending(_grid.Acquire());
            _knownConfirmed = true;
        }
    }

    /// <summary>The de-jitter model (rules 1–4 of the type remarks).</summary>
    private long Dejitter(long arrival, long skipped)
    {
        long gap = arrival - _lastArrivalNs;
        long predicted = _lastTimeNs + _periodNs;
        if (gap > _resyncGapNs)
        {
            long missed = _useSequenceGaps ? skipped : (arrival - predicted) / _periodNs;
            Resyncs++;
            Bursts++;
            Gaps++;
            _lostSamples += Math.Max(0, missed);
            _windowStartNs = arrival;
            _windowMinLagNs = long.MaxValue;
            return arrival;
        }

        if (skipped > 0)
        {
            CountLoss(skipped);
            predicted += skipped * _periodNs;
        }

        if (gap > 0)
        {
            // A new notification: the previous one's newest sample was lag old when it arrived.
            long lag = _lastArrivalNs - _lastTimeNs;
            long jump;
            if (gap > _burstGapNs)
            {
                // Rule 3 has seen this burst end; rule 4 only watches stretches without bursts.
                Bursts++;
                jump = Behind(lag);
                _windowStartNs = arrival;
                _windowMinLagNs = long.MaxValue;
            }
            else
            {
                jump = 0;
                _windowMinLagNs = Math.Min(_windowMinLagNs, lag);
                if (arrival - _windowStartNs >= _lagWindowNs)
                {
                    jump = Behind(_windowMinLagNs);
                    _windowStartNs = arrival;
                    _windowMinLagNs = long.MaxValue;
                }
            }

            predicted += jump;
        }

        long time = predicted;
        if (time > arrival)
        {
            AheadClamps++;
            time = arrival;
        }

        return time;
    }

    /// <summary>How far the grid must jump for a sample that was <paramref name="lag"/> old on arrival (0 within the slack).</summary>
    private long Behind(long lag)
    {
        if (lag <= _lossSlackPeriods * _periodNs)
        {
            return 0;
        }

        _windowStartNs = _lastArrivalNs;
        _windowMinLagNs = long.MaxValue;
        if (_useSequenceGaps)
        {
            // The counter says nothing was lost: the sensor runs faster than nominal, or the link slowed.
            // Slew by at most a quarter period, so that the step between two sample times stays within
            // half a period of the counted one (a clock downstream counts losses from those steps).
            Realigns++;
            return Math.Min(lag - (long)(_lossSlackPeriods * _periodNs), _periodNs / 4);
        }

        long periods = lag / _periodNs;
        CountLoss(periods);
        return periods * _periodNs;
    }

    /// <summary>Keeps a step of the opening run until the period (a multiple of the nominal one?) is known.</summary>
    private void AddPending(long periods)
    {
        _pendingPeriods += periods;
        _pendingSteps++;
        _pendingGaps1 += periods > 1 ? 1 : 0;
        _pendingGaps2 += periods > 2 ? 1 : 0;
    }

    /// <summary>Counts the opening run's losses with a period of <paramref name="m"/> nominal ones.</summary>
    private void CommitPending(long m)
    {
        long lost = (_pendingPeriods / m) - _pendingSteps;
        if (lost > 0)
        {
            _lostSamples += lost;
            Gaps += m == 1 ? _pendingGaps1 : _pendingGaps2;
        }

        _pendingPeriods = _pendingSteps = _pendingGaps1 = _pendingGaps2 = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountLoss(long lost)
    {
        if (lost > 0)
        {
            Gaps++;
            _lostSamples += lost;
        }
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
