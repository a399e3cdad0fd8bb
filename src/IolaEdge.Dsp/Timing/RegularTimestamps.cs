namespace IolaEdge.Dsp.Timing;

/// <summary>
/// The <see cref="SampleClock"/>'s recogniser of sample-time timestamps (the regular model): decides, online and
/// only from steps already seen, whether a stream's timestamps lie on a grid of whole periods, keeps them then, and
/// counts the losses between them; it also counts the losses between sensor times that samples carry.
/// </summary>
/// <remarks>
/// <para>From the first sample, while every step is on the grid, timestamps are kept tentatively (a bursty source
/// breaks the run at its first burst); after <see cref="SampleClock.AcquireSteps"/> on-grid steps in a row the
/// stream is regular and the run's steps fix the period, possibly a multiple of the nominal one. Off-grid steps then
/// add 2 strikes, on-grid ones remove 1, and past <see cref="SampleClock.MaxStrikes"/> the stream hands over to
/// the <see cref="Dejitterer"/>.</para>
/// <para>Allocation-free, O(1); owned by the clock (a mutable struct held in a field, never copied).</para>
/// </remarks>
internal struct RegularTimestamps
{
    // A regular stretch this long (in periods) has measured the period well enough to replace the nominal one.
    private const long TrustedEstimatePeriods = 1000;

    private SampleGrid _grid;
    private bool _detect;
    private bool _useSequenceGaps;
    private long _resyncGapNs;
    private bool _regular;
    private bool _tentative;
    private bool _knownConfirmed;
    private int _strikes;

    /// <summary>Whether timestamps are currently kept as sample times.</summary>
    public readonly bool IsRegular => _regular;

    /// <summary>Whether the recogniser runs at all (<see cref="SampleClockOptions.DetectRegularTimestamps"/>).</summary>
    public readonly bool Enabled => _detect;

    /// <summary>Period estimated from the steps on the grid (the nominal one until some have been seen), in ns.</summary>
    public readonly double PeriodNs => _grid.PeriodNs;

    /// <summary>Greatest common divisor of the current run's steps, in nominal periods (0 before a step).</summary>
    public readonly long RunGcd => _grid.RunGcd;

    /// <summary>Times the stream was recognised as regular.</summary>
    public long Entries { get; private set; }

    /// <summary>Times a regular stream turned bursty and was handed over.</summary>
    public long Exits { get; private set; }

    /// <summary>Times the steps' own grid replaced the nominal period (a sensor at a rate that is no whole fraction of it).</summary>
    public readonly int AdoptedRates => _grid.ForeignAdoptions;

    /// <summary>Stalls (arrival gaps beyond the resync gap) seen while regular.</summary>
    public long Resyncs { get; private set; }

    /// <summary>Applies the clock's options, keeping what was learned; <paramref name="started"/>: whether samples have been seen.</summary>
    public void Configure(SampleClockOptions options, long nominalPeriodNs, bool started)
    {
        _detect = options.DetectRegularTimestamps;
        _useSequenceGaps = options.UseSequenceGaps;
        _resyncGapNs = (long)(options.ResyncGapMs * 1e6);
        _grid.Configure(nominalPeriodNs, options.RegularToleranceMs * 1e6);
        if (!_detect)
        {
            _regular = _tentative = false;
        }
        else if (!started)
        {
            _tentative = true;
        }
    }

    /// <summary>Forgets the grid, the period estimate and the counters.</summary>
    public void Reset()
    {
        _regular = _knownConfirmed = false;
        _tentative = _detect;
        _strikes = 0;
        _grid.Reset();
        Entries = Exits = Resyncs = 0;
    }

    /// <summary>The stream's first sample, arriving at <paramref name="arrival"/>, starts the grid.</summary>
    public void Start(long arrival) => _grid.Observe(arrival, confirmed: false, out _);

    /// <summary>
    /// The regular model for a sample arriving at <paramref name="arrival"/>: true when its timestamp is kept as
    /// its sample <paramref name="time"/>. False otherwise, with <paramref name="handOverPeriodNs"/> ≥ 0 when a
    /// regular stream has just turned bursty (the period a long regular stretch measured, or 0).
    /// </summary>
    public bool TryKeep(long arrival, long skipped, long lastTimeNs, long lastArrivalNs, ref LossCount loss,
        out long time, out long handOverPeriodNs)
    {
        long periods = _grid.Observe(arrival, _regular, out bool onGrid);
        time = 0;
        handOverPeriodNs = -1;
        if (!_regular)
        {
            if (!onGrid)
            {
                if (_tentative && OpensOnForeignGrid(ref loss))
                {
                    // Every step so far keeps to one grid of its own: keep the timestamps while deciding, as on the
                    // nominal grid.
                    time = Math.Max(arrival, lastTimeNs);
                    return true;
                }

                // Not (or no longer) a candidate: what the opening run counted stands as it is.
                _tentative = false;
                loss.CommitPending(1);
                AdoptForeignGrid();
                return false;
            }

            if (_tentative && _useSequenceGaps)
            {
                loss.Count(skipped);
            }
            else if (_tentative)
            {
                loss.AddPending(periods);
            }

            if (_grid.Run < SampleClock.AcquireSteps)
            {
                // From the very first sample, every step so far on the grid: keep the timestamps while
                // deciding (a bursty source breaks this at its first burst), so a regular file is exact
                // from its start. After a de-jittered stretch, keep de-jittering until the run is long enough.
                if (!_tentative)
                {
                    return false;
                }

                time = Math.Max(arrival, lastTimeNs);
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
                loss.CommitPending(m);
                _tentative = false;
                periods = 1; // counted above
            }
            else
            {
                // The de-jittered stretch may have fallen behind the timestamps by uncounted losses: the
                // step from its last time to this timestamp says how many periods passed.
                periods = Math.Max(1, (long)Math.Round((arrival - lastTimeNs) / _grid.PeriodNs));
            }

            _regular = true;
            _strikes = 0;
            Entries++;
        }
        else if (!onGrid)
        {
            _strikes += 2;
            if (_strikes > SampleClock.MaxStrikes)
            {
                // Bursts or jitter: hand over to the de-jitter model at the current time base.
                _regular = false;
                _strikes = 0;
                Exits++;
                handOverPeriodNs = _grid.ConfirmedPeriods >= TrustedEstimatePeriods || _grid.ForeignAdoptions > 0 ? (long)Math.Round(_grid.PeriodNs) : 0;
                return false;
            }
        }
        else
        {
            _strikes = Math.Max(0, _strikes - 1);
        }

        if (arrival - lastArrivalNs > _resyncGapNs)
        {
            Resyncs++;
        }

        loss.Count(_useSequenceGaps ? skipped : periods - 1);
        time = Math.Max(arrival, lastTimeNs);
        return true;
    }

    // Steps off the nominal grid that keep to a grid of their own come from a sensor at another rate: that grid becomes
    // the prior, and the run that follows is recognised on it as usual.
    private bool AdoptForeignGrid()
    {
        if (_grid.ForeignRun < SampleClock.ForeignAcquireSteps || !_grid.ForeignIsOffGrid)
        {
            return false;
        }

        _grid.AdoptForeignPeriod();
        return true;
    }

    // While every step since the first keeps to one grid of its own, the opening's pending losses (measured on the nominal
    // grid) mean nothing: once that grid becomes the period, the losses are the ones it saw. True while the opening holds.
    private bool OpensOnForeignGrid(ref LossCount loss)
    {
        if (_grid.ForeignRun != _grid.Steps)
        {
            return false;
        }

        long lost = _grid.ForeignLost;
        if (AdoptForeignGrid())
        {
            loss.DropPending();
            loss.Count(lost);
        }

        return true;
    }

    /// <summary>
    /// Losses between two known sample times: the step in periods − 1. Until <see cref="SampleClock.AcquireSteps"/>
    /// steps have confirmed the grid, steps wait (pending) so that a period that is a multiple of the nominal one is
    /// found first.
    /// </summary>
    public void CountKnownStep(long known, ref LossCount loss)
    {
        long periods = _grid.Observe(known, _knownConfirmed, out bool onGrid);
        if (_knownConfirmed)
        {
            loss.Count(periods - 1);
            return;
        }

        if (!onGrid)
        {
            if (OpensOnForeignGrid(ref loss))
            {
                return;
            }

            loss.CommitPending(1);
            loss.Count(periods - 1);
            AdoptForeignGrid();
            return;
        }

        loss.AddPending(periods);
        if (_grid.Run >= SampleClock.AcquireSteps)
        {
            loss.CommitPending(_grid.Acquire());
            _knownConfirmed = true;
        }
    }
}
