namespace IolaEdge.Dsp.Timing;

/// <summary>Parameters of the <see cref="SampleClock"/> de-jitter model; validated by <see cref="Validate"/>.</summary>
public sealed class SampleClockOptions
{
    /// <summary>
    /// Sensor output data rate in Hz (MetaMotion accelerometer: 200); non-integer rates such as 204.8 are
    /// fine. The period of regular timestamps is estimated from the stream, so a rate a little off is
    /// corrected there. Allowed 1..10000.
    /// </summary>
    public double NominalRateHz { get; set; } = 200;

    /// <summary>
    /// An arrival this many nominal periods after the previous one starts a new burst (BLE connection
    /// event). Samples inside one notification burst arrive within a few ms of each other; the seed walk's
    /// bursts are 40–50 ms apart. Allowed 1..100.
    /// </summary>
    public double BurstGapPeriods { get; set; } = 2.5;

    /// <summary>
    /// When the newest sample of a burst was already older than this many periods on arrival, the
    /// clock has fallen behind (lost samples, or a sensor faster than nominal) and jumps forward by whole
    /// periods. Allowed 1..100.
    /// </summary>
    public double LossSlackPeriods { get; set; } = 1.5;

    /// <summary>An arrival gap longer than this (ms) restarts the clock at the arrival time (a stall or reconnect). Allowed 10..600000.</summary>
    public double ResyncGapMs { get; set; } = 1000;

    /// <summary>
    /// Trust gaps in <c>Sequence</c> as lost samples. Off by default: the seed app's sequence counts
    /// footfall rows too. Turn on for sources whose sequence is the sensor's sample counter.
    /// </summary>
    public bool UseSequenceGaps { get; set; }

    /// <summary>
    /// Recognise timestamps that are true sample times (whole-period steps) and keep them instead of
    /// de-jittering. On by default; off for a source whose arrivals are never sample times.
    /// </summary>
    public bool DetectRegularTimestamps { get; set; } = true;

    /// <summary>
    /// Without a sample counter, take a bursty stream that delivers at most half the nominal rate for 2 s for a sensor at
    /// a whole fraction of it (a file of unknown rate). On by default; off for a source whose rate is known because it was
    /// configured (a live sensor), where so few samples mean a bad link, not a slower sensor.
    /// </summary>
    public bool InferSlowerRate { get; set; } = true;

    /// <summary>
    /// How far (ms) a step may be from a whole number of periods and still count as regular: covers
    /// whole-millisecond timestamps (at 204.8 Hz the steps are 4 and 5 ms). Capped at 0.3 periods.
    /// Allowed 0.01..100.
    /// </summary>
    public double RegularToleranceMs { get; set; } = 1.2;

    /// <summary>Nominal sample period in ns.</summary>
    public long PeriodNs => (long)Math.Round(1e9 / NominalRateHz);

    /// <summary>Throws naming the first bad key, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public SampleClockOptions Validate()
    {
        OptionRange.Check(nameof(NominalRateHz), NominalRateHz, 1, 10_000);
        OptionRange.Check(nameof(BurstGapPeriods), BurstGapPeriods, 1, 100);
        OptionRange.Check(nameof(LossSlackPeriods), LossSlackPeriods, 1, 100);
        OptionRange.Check(nameof(ResyncGapMs), ResyncGapMs, 10, 600_000);
        OptionRange.Check(nameof(RegularToleranceMs), RegularToleranceMs, 0.01, 100);
        return this;
    }
}
