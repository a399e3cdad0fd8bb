namespace IolaEdge.Dsp.Timing;

/// <summary>
/// The <see cref="SampleClock"/>'s de-jitter model for bursty arrivals (live BLE, phone recordings): rules 1–4 of
/// the clock's remarks. Consecutive samples are one period apart; a sample cannot be taken after it arrived; at a
/// burst's end, or over a lag window without bursts, a newest sample older than the slack moves the grid forward by
/// whole periods, counted as lost (or, with a sample counter, slews it a quarter period at most, and pulls it back
/// towards an arrival it ran ahead of no faster). Without a sample counter, and unless the rate is known
/// (<see cref="SampleClockOptions.InferSlowerRate"/>), a stream that delivers at most half the nominal rate for
/// <see cref="SampleClock.RateWindowNs"/> is taken to come from a sensor running at a whole fraction of it
/// (<see cref="PeriodMultiple"/>): a 100 Hz stream given as 200 Hz would otherwise count every other period lost.
/// </summary>
/// <remarks>Allocation-free, O(1); owned by the clock (a mutable struct held in a field, never copied).</remarks>
internal struct Dejitterer
{
    private long _periodNs;
    private long _burstGapNs;
    private double _burstGapPeriods;
    private double _lossSlackPeriods;
    private long _resyncGapNs;
    private long _lagWindowNs;
    private bool _useSequenceGaps;
    private bool _inferSlowerRate;
    private long _windowStartNs;
    private long _windowMinLagNs;
    private long _evenNotifications;
    private long _nominalPeriodNs;
    private long _rateStartNs;
    private long _rateSamples;
    private long _rateLostMark;
    private long _rateGapsMark;
    private bool _rateOpening;

    /// <summary>Bursts seen (arrival gaps longer than the burst gap), the first sample's included.</summary>
    public long Bursts { get; private set; }

    /// <summary>Samples whose predicted time lay after their arrival and were pulled back to it (with a sample counter, a quarter period towards it at most).</summary>
    public long AheadClamps { get; private set; }

    /// <summary>Stalls (arrival gaps beyond the resync gap): the model restarted at the arrival time, or, with a sample counter, went on by the counted periods.</summary>
    public long Resyncs { get; private set; }

    /// <summary>Forward slews of the time base not counted as losses (a sample counter said nothing was lost).</summary>
    public long Realigns { get; private set; }

    /// <summary>The period in nominal ones that the arrival rate showed (1 until it showed another).</summary>
    public int PeriodMultiple { get; private set; }

    /// <summary>Times the arrival rate changed <see cref="PeriodMultiple"/>.</summary>
    public long MultipleChanges { get; private set; }

    /// <summary>The period samples are stamped with now, in ns.</summary>
    public readonly long PeriodNs => _periodNs;

    /// <summary>Applies the clock's options; the period goes back to the nominal one.</summary>
    public void Configure(SampleClockOptions options, long nominalPeriodNs)
    {
        _periodNs = _nominalPeriodNs = nominalPeriodNs;
        PeriodMultiple = 1;
        _burstGapPeriods = options.BurstGapPeriods;
        _burstGapNs = (long)(options.BurstGapPeriods * nominalPeriodNs);
        _lossSlackPeriods = options.LossSlackPeriods;
        _resyncGapNs = (long)(options.ResyncGapMs * 1e6);
        _lagWindowNs = Math.Max(SampleClock.LagWindowNs, 10 * nominalPeriodNs);
        _useSequenceGaps = options.UseSequenceGaps;
        _inferSlowerRate = options.InferSlowerRate && !options.UseSequenceGaps;
    }

    /// <summary>Forgets the window and the counters; the period goes back to <paramref name="nominalPeriodNs"/>.</summary>
    public void Reset(long nominalPeriodNs)
    {
        _periodNs = _nominalPeriodNs = nominalPeriodNs;
        _burstGapNs = (long)(_burstGapPeriods * nominalPeriodNs);
        PeriodMultiple = 1;
        _windowStartNs = _windowMinLagNs = _evenNotifications = 0;
        Bursts = AheadClamps = Resyncs = Realigns = MultipleChanges = 0;
    }

    /// <summary>The stream's first sample, arriving at <paramref name="arrival"/>: a burst begins.</summary>
    public void Start(long arrival, in LossCount loss)
    {
        Bursts++;
        RestartWindow(arrival);
        RestartRate(arrival, loss, opening: true);
    }

    /// <summary>
    /// A regular stream turned bursty at <paramref name="arrival"/>: the model takes over at the current time base,
    /// with the period a long regular stretch measured (<paramref name="measuredPeriodNs"/>; 0 keeps the current one).
    /// </summary>
    public void TakeOver(long arrival, long measuredPeriodNs, in LossCount loss)
    {
        RestartWindow(arrival);
        RestartRate(arrival, loss, opening: false);
        if (measuredPeriodNs > 0)
        {
            _periodNs = measuredPeriodNs;
            PeriodMultiple = (int)Math.Max(1, Math.Round((double)measuredPeriodNs / _nominalPeriodNs));
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
            RestartRate(arrival, loss, opening: false);
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

        // Samples bunched into one notification (or arriving closer than half a period) are a bursty link's; a stream whose
        // notifications keep coming about a period apart carries one sample each (timestamps with jitter, say).
        // With a sample counter the losses are known: the even-stream rules, which find them sooner, stay out of its way.
        _evenNotifications = gap < _periodNs / 2 || _useSequenceGaps ? 0 : _evenNotifications + 1;
        if (gap > 0)
        {
            if (_inferSlowerRate && lastArrivalNs - _rateStartNs >= SampleClock.RateWindowNs)
            {
                // The period may have changed; without a sample counter nothing was skipped to add back.
                WatchRate(lastArrivalNs, ref loss);
                predicted = lastTimeNs + _periodNs;
            }

            // A new notification: the previous one's newest sample was lag old when it arrived.
            long lag = lastArrivalNs - lastTimeNs;
            long jump;
            if (gap > _burstGapNs)
            {
                // Rule 3 has seen this burst end; rule 4 only watches stretches without bursts.
                Bursts++;
                jump = Behind(lag, lastArrivalNs, _lossSlackPeriods, ref loss);
                if (_evenNotifications > SampleClock.EvenStreamNotifications)
                {
                    // On an even stream the sample after a gap is alone and arrived about when it was taken: how late it
                    // is against the grid is the loss, at once (a bursty link's first sample of a burst waited in a queue).
                    jump += Behind(arrival - (predicted + jump), arrival, SampleClock.EvenLossSlackPeriods, ref loss);
                }

                RestartWindow(arrival);
            }
            else
            {
                jump = 0;
                _windowMinLagNs = Math.Min(_windowMinLagNs, lag);

                // A stream that has arrived evenly for a while (one sample a notification, timestamps with jitter) has
                // no burst ends to catch a loss at: its window shrinks to a few periods, so samples after a lost run
                // are not stamped early for a whole window.
                bool even = _evenNotifications > SampleClock.EvenStreamNotifications;
                if (arrival - _windowStartNs >= (even ? SampleClock.EvenLagWindowPeriods * _periodNs : _lagWindowNs))
                {
                    jump = Behind(_windowMinLagNs, lastArrivalNs, even ? SampleClock.EvenLossSlackPeriods : _lossSlackPeriods, ref loss);
                    RestartWindow(arrival);
                }
            }

            predicted += jump;
        }

        if (_inferSlowerRate && arrival > _rateStartNs)
        {
            _rateSamples++;
        }

        return NotAfter(arrival, predicted);
    }

    /// <summary>
    /// A rate window ended with the notification that arrived at <paramref name="endNs"/>: the samples that arrived in it
    /// show whether the sensor runs at a whole fraction of the nominal rate. A lossy link keeps well above half the
    /// rate (the seed walk kept 138 of 200 Hz), so at most half of it, steadily, is taken for a slower sensor. The
    /// multiple goes up when the arrivals leave room for a longer period, and back down only when they are clearly too
    /// many for the current one, so a link near the boundary does not flap.
    /// </summary>
    private void WatchRate(long endNs, ref LossCount loss)
    {
        double delivered = (double)_rateSamples * _nominalPeriodNs / (endNs - _rateStartNs);
        int fits = delivered > 0 ? LongestPeriodFitting(SampleClock.MaxDeliveredFraction / delivered) : PeriodMultiple;
        int multiple = fits > PeriodMultiple || delivered * PeriodMultiple > SampleClock.OverDeliveredFraction ? fits : PeriodMultiple;
        if (multiple != PeriodMultiple)
        {
            PeriodMultiple = multiple;
            MultipleChanges++;
            _periodNs = multiple * _nominalPeriodNs;
            _burstGapNs = (long)(_burstGapPeriods * _periodNs);
            if (_rateOpening)
            {
                // The opening window's losses were counted on a period that turned out wrong: count them on this one.
                long expected = (endNs - _rateStartNs) / _periodNs;
                loss.Recount(_rateLostMark, _rateGapsMark, Math.Max(0, expected - _rateSamples));
            }
        }

        RestartRate(endNs, loss, opening: false);
    }

    // The largest power of two up to the limit (and MaxPeriodMultiple): sensors' rate ladders halve (200, 100, 50, 25 Hz),
    // so a slower sensor behind a lossy link is not taken for an odd multiple (50 Hz losing 30 % is not 40 Hz).
    private static int LongestPeriodFitting(double limit)
    {
        int multiple = 1;
        while (multiple * 2 <= Math.Min(limit, SampleClock.MaxPeriodMultiple))
        {
            multiple *= 2;
        }

        return multiple;
    }

    private void RestartRate(long startNs, in LossCount loss, bool opening)
    {
        _rateStartNs = startNs;
        _rateSamples = 0;
        _rateLostMark = loss.Lost;
        _rateGapsMark = loss.Gaps;
        _rateOpening = opening;
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

    /// <summary>How far the grid must jump for a sample that was <paramref name="lag"/> old on arrival (0 within <paramref name="slackPeriods"/> periods).</summary>
    private long Behind(long lag, long lastArrivalNs, double slackPeriods, ref LossCount loss)
    {
        if (lag <= slackPeriods * _periodNs)
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
            return Math.Min(lag - (long)(slackPeriods * _periodNs), _periodNs / 4);
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
