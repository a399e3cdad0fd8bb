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
/// given as 200 Hz is found within a few dozen samples. Allocation-free, O(1).
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

        // Never more than 0.3 of a period: a looser bound would accept any step at high rates.
        _toleranceNs = Math.Min(toleranceNs, 0.3 * priorPeriodNs);
    }

    /// <summary>Forgets the last timestamp, the run and the estimate.</summary>
    public void Reset()
    {
        _priorNs = _nominalNs;
        _spanNs = _runSpanNs = 0;
        _periods = _runPeriods = 0;
        _lastNs = 0;
        _started = false;
        _runGcd = 0;
        Run = 0;
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
        double period = PeriodNs;
        long periods = (long)Math.Round(step / period);
        if (periods < 1 || Math.Abs(step - (periods * period)) > _toleranceNs)
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

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
