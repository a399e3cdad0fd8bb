namespace IolaEdge.Dsp.Timing;

/// <summary>
/// The <see cref="SampleClock"/>'s de-jitter model for bursty arrivals (live BLE, phone recordings): rules 1–4 of
/// the clock's remarks. Consecutive samples are one period apart; a sample cannot be taken after it arrived; at a
/// burst's end, or over a lag window without bursts, a newest sample older than the slack moves the grid forward by
/// whole periods, counted as lost (or, with a sample counter, slews it a quarter period at most, and pulls it back
/// towards an arrival it ran ahead of no faster).
/// </summary>
/// <remarks>Allocation-free, O(1); owned by the clock (a mutable struct held in a field, never copied).</remarks>
internal struct Dejitterer
{
    private long _periodNs;
    private long _burstGapNs;
    private double _lossSlackPeriods;
    private long _resyncGapNs;
    private long _lagWindowNs;
    private bool _useSequenceGaps;
    private long _windowStartNs;
    private long _windowMinLagNs;

    /// <summary>Bursts seen (arrival gaps longer than the burst gap), the first sample's included.</summary>
    public long Bursts { get; private set; }

    /// <summary>Samples whose predicted time lay after their arrival and were pulled back to it (with a sample counter, a quarter period towards it at most).</summary>
    public long AheadClamps { get; private set; }

    /// <summary>Stalls (arrival gaps beyond the resync gap): the model restarted at the arrival time, or, with a sample counter, went on by the counted periods.</summary>
    public long Resyncs { get; private set; }

    /// <summary>Forward slews of the time base not counted as losses (a sample counter said nothing was lost).</summary>
    public long Realigns { get; private set; }

    /// <summary>Applies the clock's options; the period goes back to the nominal one.</summary>
    public void Configure(SampleClockOptions options, long nominalPeriodNs)
    {
        _periodNs = nominalPeriodNs;
        _burstGapNs = (long)(options.BurstGapPeriods * nominalPeriodNs);
        _lossSlackPeriods = options.LossSlackPeriods;
        _resyncGapNs = (long)(options.ResyncGapMs * 1e6);
        _lagWindowNs = Math.Max(SampleClock.LagWindowNs, 10 * nominalPeriodNs);
        _useSequenceGaps = options.UseSequenceGaps;
    }

    /// <summary>Forgets the window and the counters; the period goes back to <paramref name="nominalPeriodNs"/>.</summary>
    public void Reset(long nominalPeriodNs)
    {
        _periodNs = nominalPeriodNs;
        _windowStartNs = _windowMinLagNs = 0;
        Bursts = AheadClamps = Resyncs = Realigns = 0;
    }

    /// <summary>The stream's first sample, arriving at <paramref name="arrival"/>: a burst begins.</summary>
    public void Start(long arrival)
    {
        Bursts++;
        RestartWindow(arrival);
    }

    /// <summary>
    /// A regular stream turned bursty at <paramref name="arrival"/>: the model takes over at the current time base,
    /// with the period a long regular stretch measured (<paramref name="measuredPeriodNs"/>; 0 keeps the current one).
    /// </summary>
    public void TakeOver(long arrival, long measuredPeriodNs)
    {
        RestartWindow(arrival);
        if (measuredPeriodNs > 0)
        {
            _periodNs = measuredPeriodNs;
        }
    }

    /// <summary>
    /// The sample time of a sample arriving at <paramref name="arrival"/> after the one stamped
    /// <paramref name="lastTimeNs"/> that arrived at <paramref name="lastArrivalNs"/>, with <paramref name="skipped"/>
    /// samples the sensor's counter says were lost between them. Counts what it finds lost in <paramref name="loss"/>.
    /// </summary>
    public long Next(long arrival, long skipped, long lastTimeNs, long lastArrivalNs, ref LossCount loss)
    {
        long gap = arrival - lastArrivalNs;
        long predicted = lastTimeNs + _periodNs;
        if (gap > _resyncGapNs)
        {
            Resyncs++;
            Bursts++;
            RestartWindow(arrival);
            if (!_useSequenceGaps)
            {
                loss.CountStall((arrival - predicted) / _periodNs);
                return arrival;
            }

            // A sample counter says what the stall held: the times go on by the counted periods, and the late arrival
            // only says the link was slow (the lag rules catch up with it). Restarting at the arrival would make a step
            // the counter contradicts, which a clock downstream would count as losses.
            loss.CountStall(skipped);
            return NotAfter(arrival, predicted + (skipped * _periodNs));
        }

        if (skipped > 0)
        {
            loss.Count(skipped);
            predicted += skipped * _periodNs;
        }

        if (gap > 0)
        {
            // A new notification: the previous one's newest sample was lag old when it arrived.
            long lag = lastArrivalNs - lastTimeNs;
            long jump;
            if (gap > _burstGapNs)
            {
                // Rule 3 has seen this burst end; rule 4 only watches stretches without bursts.
                Bursts++;
                jump = Behind(lag, lastArrivalNs, ref loss);
                RestartWindow(arrival);
            }
            else
            {
                jump = 0;
                _windowMinLagNs = Math.Min(_windowMinLagNs, lag);
                if (arrival - _windowStartNs >= _lagWindowNs)
                {
                    jump = Behind(_windowMinLagNs, lastArrivalNs, ref loss);
                    RestartWindow(arrival);
                }
            }

            predicted += jump;
        }

        return NotAfter(arrival, predicted);
    }

    /// <summary>Rule 2: <paramref name="predicted"/>, unless it lies after <paramref name="arrival"/>.</summary>
    private long NotAfter(long arrival, long predicted)
    {
        if (predicted <= arrival)
        {
            return predicted;
        }

        // The time base ran ahead of this arrival. With a sample counter the times already given out were a whole
        // number of periods apart and a clock downstream counts losses from those steps, so the base is pulled back a
        // quarter period at most, as it is slewed forward; without one, it goes to the arrival.
        AheadClamps++;
        return _useSequenceGaps ? Math.Max(arrival, predicted - (_periodNs / 4)) : arrival;
    }

    /// <summary>How far the grid must jump for a sample that was <paramref name="lag"/> old on arrival (0 within the slack).</summary>
    private long Behind(long lag, long lastArrivalNs, ref LossCount loss)
    {
        if (lag <= _lossSlackPeriods * _periodNs)
        {
            return 0;
        }

        RestartWindow(lastArrivalNs);
        if (_useSequenceGaps)
        {
            // The counter says nothing was lost: the sensor runs faster than nominal, or the link slowed.
            // Slew by at most a quarter period, so that the step between two sample times stays within
            // half a period of the counted one (a clock downstream counts losses from those steps).
            Realigns++;
            return Math.Min(lag - (long)(_lossSlackPeriods * _periodNs), _periodNs / 4);
        }

        long periods = lag / _periodNs;
        loss.Count(periods);
        return periods * _periodNs;
    }

    private void RestartWindow(long startNs)
    {
        _windowStartNs = startNs;
        _windowMinLagNs = long.MaxValue;
    }
}
