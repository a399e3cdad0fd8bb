namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Parameters of <see cref="DspFootfallDetector"/>, validated by <see cref="Validate"/>. Units are in
/// the names; levels are in g (the accelerometer's unit), times in ms of sensor time.
/// </summary>
/// <remarks>
/// Defaults come from gait physiology and the sensor, not from one recording: a stride lasts
/// 0.7–1.6 s, stance about 60 % of it, the swing ends with a heel-strike impact of several g, and in
/// stance a shoe-mounted accelerometer reads 1 g in a fixed direction with little jerk.
/// </remarks>
public sealed class DspDetectorOptions
{
    /// <summary>Nominal sensor rate; sets the shortest Δt used for jerk (a clamped sample must not look like a spike). 1..10000.</summary>
    public double NominalRateHz { get; set; } = 200;

    /// <summary>Time constant of the |a| deviation, jerk and direction smoothers. 1..200 ms.</summary>
    public double SmoothingMs { get; set; } = 10;

    /// <summary>Converts jerk |Δa|/Δt (g/s) to an activity level in g: 0.01 s makes 100 g/s count like 1 g. 0..1 s.</summary>
    public double JerkScaleSeconds { get; set; } = 0.01;

    /// <summary>Lowest activity threshold for "quiet" (stance), in g. 0.01..2.</summary>
    public double QuietLevelG { get; set; } = 0.15;

    /// <summary>Quiet threshold as a multiple of the tracked noise floor (minimum statistics), when that is higher. 1..20.</summary>
    public double NoiseFloorFactor { get; set; } = 3;

    /// <summary>Time constant with which the noise floor creeps up after its minimum. 100..60000 ms.</summary>
    public double NoiseFloorRiseMs { get; set; } = 15000;

    /// <summary>Stance requires the acceleration direction within this cosine of the learned stance direction. -1..1.</summary>
    public double StanceAlignmentCos { get; set; } = 0.9;

    /// <summary>Quiet this long (standing, or a stance) teaches the stance gravity direction. 50..5000 ms.</summary>
    public double StanceLearnMs { get; set; } = 300;

    /// <summary>Time constant of the stance direction update. 10..60000 ms.</summary>
    public double StanceDirectionTauMs { get; set; } = 500;

    /// <summary>The landing is where the smoothed deviation falls below this fraction of the swing's peak. 0.05..0.95.</summary>
    public double EdgeFraction { get; set; } = 0.3;

    /// <summary>The fall must last this long to be a landing: the score ramps to 1 over it. 0..500 ms.</summary>
    public double ConfirmMs { get; set; } = 30;

    /// <summary>A swing peak below this (g) never arms the landing detector. 0.05..10.</summary>
    public double MinSwingG { get; set; } = 0.5;

    /// <summary>A swing peak must also reach this fraction of the typical (confirmed) swing peak. 0..1.</summary>
    public double SwingFraction { get; set; } = 0.6;

    /// <summary>Quiet and aligned this long confirms a stance. 5..500 ms.</summary>
    public double StanceConfirmMs { get; set; } = 30;

    /// <summary>A stance starting within this time after a landing confirms that landing. 20..2000 ms.</summary>
    public double ConfirmWindowMs { get; set; } = 250;

    /// <summary>How far back a stance missed by the landing detector looks for its landing. 0..1000 ms.</summary>
    public double LookbackMs { get; set; } = 250;

    /// <summary>
    /// Scales the rhythm filter's pull of each landing towards the footfall the stride rhythm predicts
    /// (<see cref="RhythmTracker"/>): 1 = the Kalman weight for the noise measured on this walk, 0 = landings
    /// as found. 0..1.
    /// </summary>
    public double RhythmPrior { get; set; } = 1;

    /// <summary>Landing-time noise (standard deviation, ms) the rhythm filter assumes until it has measured its own. 1..200.</summary>
    public double LandingNoiseMs { get; set; } = 25;

    /// <summary>Stride-to-stride jitter (fraction of the period) the rhythm filter assumes until it has measured its own. 0.001..0.3.</summary>
    public double StrideJitterFraction { get; set; } = 0.03;

    /// <summary>Refractory period as a fraction of the tracked stride period. 0..0.95.</summary>
    public double RefractoryFraction { get; set; } = 0.7;

    /// <summary>Shortest refractory period, used before the stride period is known. 50..2000 ms.</summary>
    public double MinRefractoryMs { get; set; } = 350;

    /// <summary>Stride periods outside this range are ignored by the cadence tracker (ms). 200..3000.</summary>
    public double MinStrideMs { get; set; } = 300;

    /// <summary>Longest stride period the cadence tracker accepts (ms). 500..10000.</summary>
    public double MaxStrideMs { get; set; } = 2500;

    /// <summary>A copy (a detector keeps a reference to its options; copy before changing them for another).</summary>
    public DspDetectorOptions Clone() => (DspDetectorOptions)MemberwiseClone();

    /// <summary>Throws naming the first bad key, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public DspDetectorOptions Validate()
    {
        Check(nameof(NominalRateHz), NominalRateHz, 1, 10_000);
        Check(nameof(SmoothingMs), SmoothingMs, 1, 200);
        Check(nameof(JerkScaleSeconds), JerkScaleSeconds, 0, 1);
        Check(nameof(QuietLevelG), QuietLevelG, 0.01, 2);
        Check(nameof(NoiseFloorFactor), NoiseFloorFactor, 1, 20);
        Check(nameof(NoiseFloorRiseMs), NoiseFloorRiseMs, 100, 60_000);
        Check(nameof(StanceAlignmentCos), StanceAlignmentCos, -1, 1);
        Check(nameof(StanceLearnMs), StanceLearnMs, 50, 5000);
        Check(nameof(StanceDirectionTauMs), StanceDirectionTauMs, 10, 60_000);
        Check(nameof(EdgeFraction), EdgeFraction, 0.05, 0.95);
        Check(nameof(ConfirmMs), ConfirmMs, 0, 500);
        Check(nameof(MinSwingG), MinSwingG, 0.05, 10);
        Check(nameof(SwingFraction), SwingFraction, 0, 1);
        Check(nameof(StanceConfirmMs), StanceConfirmMs, 5, 500);
        Check(nameof(ConfirmWindowMs), ConfirmWindowMs, 20, 2000);
        Check(nameof(LookbackMs), LookbackMs, 0, 1000);
        Check(nameof(RhythmPrior), RhythmPrior, 0, 1);
        Check(nameof(LandingNoiseMs), LandingNoiseMs, 1, 200);
        Check(nameof(StrideJitterFraction), StrideJitterFraction, 0.001, 0.3);
        Check(nameof(RefractoryFraction), RefractoryFraction, 0, 0.95);
        Check(nameof(MinRefractoryMs), MinRefractoryMs, 50, 2000);
        Check(nameof(MinStrideMs), MinStrideMs, 200, 3000);
        Check(nameof(MaxStrideMs), MaxStrideMs, 500, 10_000);
        if (MaxStrideMs <= MinStrideMs)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStrideMs), MaxStrideMs,
                $"{nameof(MaxStrideMs)} = {MaxStrideMs} must be greater than {nameof(MinStrideMs)} = {MinStrideMs}");
        }

        return this;
    }

    private static void Check(string key, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(key, value, $"{key} = {value} is outside the allowed range [{min}, {max}]");
        }
    }
}
