namespace IolaEdge.Dsp.Timing;

/// <summary>
/// Watches a stream of timestamps for the shape of true sample times: every step a whole number of
/// periods (one, or more where samples were lost), within a tolerance that covers whole-millisecond
/// quantisation. Estimates the period from the steps it accepts. Used by <see cref="SampleClock"/>.
/// </summary>
/// <remarks>
/// The estimate is the prior (nominal) period worth <see cref="PriorWeight"/> steps blended with the
/// accepted span: Σ step / Σ periods over on-grid steps of at most <see cref="MaxEstimateStep"/>
/// periods (longer steps are counted as losses but kept out of the estimate: a wrongly rounded long
/// gap must not bias it). Sums of consecutive steps telescope, so integer-ms quantisation does not
/// accumulate: after n periods the estimate is within about 1 ms / n of the truth. A 204.8 Hz sensor
/// given as 200 Hz is found within a few dozen samples.
/// <para>The steps are also watched for a grid of their own (<see cref="ForeignRun"/>): a 128 Hz sensor given as 200 Hz
/// steps 7.8 ms, which is no whole number of 5 ms periods, so without it every step would look like a burst or a loss.
/// <see cref="AdoptForeignPeriod"/> makes that grid the prior.</para>
/// <para>Allocation-free, O(1).</para>
/// </remarks>
internal struct SampleGrid
{
    /// <summary>Weight of the prior period, in steps.</summary>
    public const int PriorWeight = 16;

    /// <summary>Longest step (in periods) that feeds the estimate.</summary>
    public const int MaxEstimateStep = 3;

    private double _nominalNs;
    private double _priorNs;
    private double _toleranceNs;
    private double _maxToleranceNs;
    private double _foreignSpanNs;
    private long _foreignPeriods;
    private double _spanNs;
    private long _periods;
    private double _runSpanNs;
    private long _runPeriods;
    private long _lastNs;
    private bool _started;
    private long _runGcd;

    /// <summary>Consecutive on-grid steps up to the last one.</summary>
    public int Run { get; private set; }

    /// <summary>Greatest common divisor of the current run's steps, in prior periods (0 before a step).</summary>
    public readonly long RunGcd => _runGcd;

    /// <summary>Steps observed since the first timestamp.</summary>
    public long Steps { get; private set; }

    /// <summary>
    /// Consecutive steps, up to the last one, that lie on a grid of their own (whole numbers of one period), whatever the
    /// prior; watched only while the source is not taken as regular.
    /// </summary>
    public long ForeignRun { get; private set; }

    /// <summary>Period of the steps' own grid in ns (0 without a <see cref="ForeignRun"/>).</summary>
    public readonly double ForeignPeriodNs => _foreignPeriods > 0 ? _foreignSpanNs / _foreignPeriods : 0;

    /// <summary>Samples missing in the <see cref="ForeignRun"/> (its steps of more than one of its periods).</summary>
    public readonly long ForeignLost => _foreignPeriods - ForeignRun;

    /// <summary>Whether the steps' own grid is another than the prior's: its period is no whole number of prior periods.</summary>
    public readonly bool ForeignIsOffGrid
    {
        get
        {
            double foreign = ForeignPeriodNs;
            return foreign > 0 && IsOffGrid(foreign, out _);
        }
    }

    /// <summary>Times <see cref="AdoptForeignPeriod"/> replaced the prior.</summary>
    public int ForeignAdoptions { get; private set; }

    /// <summary>Current period estimate in ns.</summary>
    public readonly double PeriodNs => (_spanNs + _runSpanNs + (PriorWeight * _priorNs)) / (_periods + _runPeriods + PriorWeight);

    /// <summary>Periods behind the confirmed part of the estimate (how much data it rests on).</summary>
    public readonly long ConfirmedPeriods => _periods;

    /// <summary>Sets the prior period and the tolerance; forgets the estimate when the prior changes.</summary>
    public void Configure(double priorPeriodNs, double toleranceNs)
    {
        if (priorPeriodNs != _nominalNs)
        {
            _spanNs = _runSpanNs = 0;
            _periods = _runPeriods = 0;
            _priorNs = priorPeriodNs;
        }

        _nominalNs = priorPeriodNs;
        _maxToleranceNs = toleranceNs;

        // Never more than 0.3 of a period: a looser bound would accept any step at high rates.
        _toleranceNs = Math.Min(toleranceNs, 0.3 * priorPeriodNs);
    }

    /// <summary>Forgets the last timestamp, the run and the estimate.</summary>
    public void Reset()
    {
        _priorNs = _nominalNs;
        _spanNs = _runSpanNs = 0;
        _periods = _runPeriods = 0;
        _toleranceNs = Math.Min(_maxToleranceNs, 0.3 * _nominalNs);
        _lastNs = 0;
        _started = false;
        _runGcd = 0;
        Run = 0;
        Steps = 0;
        EndForeignRun();
        ForeignAdoptions = 0;
    }

    /// <summary>
    /// Makes the steps' own grid (<see cref="ForeignPeriodNs"/>) the prior period, forgetting the estimate and the run: the
    /// sensor runs at a rate that is no whole fraction of the nominal one. The steps that follow are on the grid.
    /// </summary>
    public void AdoptForeignPeriod()
    {
        _priorNs = ForeignPeriodNs;
        _toleranceNs = Math.Min(_maxToleranceNs, 0.3 * _priorNs);
        _spanNs = _runSpanNs = 0;
        _periods = _runPeriods = 0;
        _runGcd = 0;
        Run = 0;
        EndForeignRun();
        ForeignAdoptions++;
    }

    /// <summary>
    /// The source has been recognised as regular: keeps the run's steps in the estimate. When every step
    /// of the run was a multiple of m ≥ 2 prior periods (their greatest common divisor), the sensor runs at
    /// 1/m of the nominal rate (a 100 Hz file given as 200 Hz): the period becomes m priors, so its steps
    /// are not counted as losses.
    /// </summary>
    /// <returns>m (1 when the prior stands): divide the step just observed by it.</returns>
    public long Acquire()
    {
        long m = Math.Max(1, _runGcd);
        if (m >= 2)
        {
            _priorNs *= m;
            _runPeriods /= m;
            _spanNs = 0;
            _periods = 0;
        }

        Confirm();
        return m;
    }

    /// <summary>Keeps the current run's steps in the estimate.</summary>
    public void Confirm()
    {
        _spanNs += _runSpanNs;
        _periods += _runPeriods;
        _runSpanNs = 0;
        _runPeriods = 0;
    }

    /// <summary>
    /// Takes the next timestamp; returns the step rounded to whole periods, and whether it lies on the grid
    /// (at least one period, within the tolerance of a whole number).
    /// </summary>
    /// <param name="timeNs">The timestamp (never before the previous one).</param>
    /// <param name="confirmed">True while the source is taken as regular: accepted steps go straight into the estimate.</param>
    /// <param name="onGrid">Whether the step lies on the grid.</param>
    public long Observe(long timeNs, bool confirmed, out bool onGrid)
    {
        onGrid = false;
        if (!_started)
        {
            _started = true;
            _lastNs = timeNs;
            return 0;
        }

        long step = timeNs - _lastNs;
        _lastNs = timeNs;
        Steps++;
        if (!confirmed)
        {
            WatchForeignStep(step);
        }
        else if (ForeignRun > 0)
        {
            EndForeignRun(); // a regular stream needs no other grid; one that turns bursty starts afresh
        }
        if (IsOffGrid(step, out long periods))
        {
            Run = 0;
            _runGcd = 0;
            if (!confirmed)
            {
                _runSpanNs = 0;
                _runPeriods = 0;
            }

            return Math.Max(0, periods);
        }

        onGrid = true;
        _runGcd = Gcd(_runGcd, periods);
        Run++;
        if (periods <= MaxEstimateStep)
        {
            _runSpanNs += step;
            _runPeriods += periods;
            if (confirmed)
            {
                Confirm();
            }
        }

        return periods;
    }

    // Whether a span is no whole number (at least one) of the current period within the tolerance; periods: the span
    // rounded to whole periods.
    private readonly bool IsOffGrid(double spanNs, out long periods)
    {
        double period = PeriodNs;
        periods = (long)Math.Round(spanNs / period);
        return periods < 1 || Math.Abs(spanNs - (periods * period)) > _toleranceNs;
    }

    // A step extends the foreign run when it is a whole number (1..MaxEstimateStep) of the run's period, within the
    // tolerance; otherwise it starts a new run as its first period. Steps under a quarter of the prior (bursts) never
    // start one.
    private void WatchForeignStep(long step)
    {
        double foreign = ForeignPeriodNs;
        if (ForeignRun > 0)
        {
            long k = (long)Math.Round(step / foreign);
            if (k is >= 1 and <= MaxEstimateStep && Math.Abs(step - (k * foreign)) <= Math.Min(_maxToleranceNs, 0.3 * foreign))
            {
                _foreignSpanNs += step;
                _foreignPeriods += k;
                ForeignRun++;
                return;
            }
        }

        EndForeignRun();
        if (step >= 0.25 * _priorNs)
        {
            _foreignSpanNs = step;
            _foreignPeriods = 1;
            ForeignRun = 1;
        }
    }

    private void EndForeignRun()
    {
        _foreignSpanNs = 0;
        _foreignPeriods = 0;
        ForeignRun = 0;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
