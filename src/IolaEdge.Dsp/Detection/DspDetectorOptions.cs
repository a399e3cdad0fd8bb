namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Parameters of <see cref="DspFootfallDetector"/>, validated by <see cref="Validate"/>. Units are in
/// the names; levels are in g (the accelerometer's unit), jerk in g/s, times in ms of sensor time.
/// </summary>
/// <remarks>
/// Defaults come from gait physiology and from a corpus of real walks of several people, sensors and
/// rates (docs/detector.md), never from one recording: a stride lasts 0.7–2 s, the foot lands with an
/// impact whose jerk is the largest of the stride, and just before it the foot swings, pitched away from
/// the direction gravity has in stance.
/// </remarks>
public sealed class DspDetectorOptions
{
    /// <summary>Nominal sensor rate; sizes the sample history (a faster sensor keeps more samples for the same time). 1..10000.</summary>
    public double NominalRateHz { get; set; } = 200;

    /// <summary>Jerk is |Δa⃗|/Δt over at least this span, so it means the same at 100 and at 205 Hz. 1..50 ms.</summary>
    public double JerkSpanMs { get; set; } = 10;

    /// <summary>Jerk below this never starts an impact while the walk's level is not known (g/s); see <see cref="ImpactFloorFraction"/>. 1..10000.</summary>
    public double MinImpactJerk { get; set; } = 50;

    /// <summary>
    /// The impact floor may sink below <see cref="MinImpactJerk"/> to this fraction of the walk's hardest jerk (held,
    /// decaying with <see cref="ImpactFloorHalfLifeMs"/>): the floor follows the sensor's own filter, so a heavily
    /// low-passed sensor, whose landings reach a tenth of the jerk, still has impacts. 0..1 (0: the fixed floor only).
    /// </summary>
    public double ImpactFloorFraction { get; set; } = 0.5;

    /// <summary>Half-life of the hold <see cref="ImpactFloorFraction"/> is taken of. 1000..600000 ms.</summary>
    public double ImpactFloorHalfLifeMs { get; set; } = 3000;

    /// <summary>An impact starts when jerk reaches this fraction of the largest jerk of the last <see cref="ReferenceMs"/>. 0.05..1.</summary>
    public double TriggerFraction { get; set; } = 0.3;

    /// <summary>An impact's peak is passed when jerk falls below this fraction of it. 0.1..0.99.</summary>
    public double PeakFallFraction { get; set; } = 0.7;

    /// <summary>Longest wait after the start of an impact for its peak (bounds the decision latency). 0..200 ms.</summary>
    public double PeakWaitMs { get; set; } = 30;

    /// <summary>The footfall is placed at the first sample of the rise whose jerk is at least this fraction of the peak. 0.05..1.</summary>
    public double OnsetFraction { get; set; } = 0.45;

    /// <summary>An impact weaker than this fraction of the recent maximum is held… 0..1.</summary>
    public double WeakImpactFraction { get; set; } = 0.6;

    /// <summary>…this long before it is judged, in case a harder one (the real landing after a burst in the late swing) follows. 0..200 ms (0 = judge at once).</summary>
    public double WeakImpactHoldMs { get; set; } = 60;

    /// <summary>How far before the peak the onset may lie. 0..200 ms.</summary>
    public double OnsetLookbackMs { get; set; } = 30;

    /// <summary>Span of the recent jerk maximum that impacts are compared with. 500..10000 ms.</summary>
    public double ReferenceMs { get; set; } = 2500;

    /// <summary>An impact's peak must reach this fraction of that maximum: the landing is the stride's hardest event. 0..1.</summary>
    public double MinImpactFraction { get; set; } = 0.4;

    /// <summary>Where the locked stride rhythm expects a footfall, this fraction of the recent maximum suffices (a softer step in rhythm). 0..1.</summary>
    public double InPhaseImpactFraction { get; set; } = 0.25;

    /// <summary>The swing before an impact is judged over this window… 20..1000 ms.</summary>
    public double SwingWindowMs { get; set; } = 120;

    /// <summary>…ending this long before the impact's onset (the rise itself is not swing). 0..200 ms.</summary>
    public double SwingGapMs { get; set; } = 20;

    /// <summary>Time constant of the swing activity (deviation of |a| from gravity, or scaled jerk). 1..500 ms.</summary>
    public double SwingTauMs { get; set; } = 30;

    /// <summary>
    /// A swing: over the window the foot's acceleration points on average at most this cosine from its stance
    /// direction (a foot in stance before a push-off points along it). The mean, because a walker whose foot
    /// accelerates hard points away for a moment in any stride phase, push-off included. -1..1.
    /// </summary>
    public double SwingCosine { get; set; } = 0.85;

    /// <summary>
    /// A swing also when at some moment in the window the foot points at most this cosine from its stance direction:
    /// behind a sensor's heavy low-pass the direction turns slowly, and the mean stays near the stance. -1..1 (-1: the mean alone).
    /// </summary>
    public double SwingMomentCosine { get; set; } = 0.6;

    /// <summary>A swing also when the activity stays at least this high throughout the window (g), however the foot points. 0.01..10.</summary>
    public double StrongSwingG { get; set; } = 0.5;

    /// <summary>Before any stance direction is learned, the swing activity must stay at least this high (g). 0.01..10.</summary>
    public double MinSwingG { get; set; } = 0.25;

    /// <summary>Time constant of the smoothed jerk, deviation and acceleration vector used for "quiet". 1..200 ms.</summary>
    public double QuietTauMs { get; set; } = 20;

    /// <summary>Smoothed jerk below this is always quiet (g/s). 0.1..100.</summary>
    public double QuietJerk { get; set; } = 6;

    /// <summary>Quiet threshold as a multiple of the tracked jerk noise floor (minimum statistics), when that is higher. 1..20.</summary>
    public double NoiseFloorFactor { get; set; } = 3;

    /// <summary>Time constant with which the noise floor creeps up after its minimum. 100..60000 ms.</summary>
    public double NoiseFloorRiseMs { get; set; } = 5000;

    /// <summary>Quiet also needs |a| within this of the gravity level (g). 0.01..2.</summary>
    public double QuietDeviationG { get; set; } = 0.15;

    /// <summary>Quiet this long (standing, or a stance) teaches the stance direction of gravity in the sensor frame. 50..5000 ms.</summary>
    public double StanceLearnMs { get; set; } = 300;

    /// <summary>Quiet this long is a stance; it confirms the impact before it and anchors the stride rhythm. 20..2000 ms.</summary>
    public double StanceConfirmMs { get; set; } = 150;

    /// <summary>A stance starting within this time after an impact's onset confirms that impact. 20..2000 ms.</summary>
    public double ConfirmWindowMs { get; set; } = 300;

    /// <summary>While a rhythm is locked, an impact further than this fraction of a stride from the expected footfall is not emitted. 0.05..0.5.</summary>
    public double RhythmGateFraction { get; set; } = 0.25;

    /// <summary>An impact at least this fraction of the recent maximum… 0..1.</summary>
    public double StrongImpactFraction { get; set; } = 0.5;

    /// <summary>…after a swing pointing at most this cosine from the stance direction is emitted even out of phase (the walker changed step, e.g. in a turn). -1..1.</summary>
    public double StrongSwingCosine { get; set; } = 0.6;

    /// <summary>Refractory period after an emitted footfall as a fraction of the stride period. 0..0.95.</summary>
    public double RefractoryFraction { get; set; } = 0.5;

    /// <summary>Shortest refractory period, and the one used before the stride period is known. 50..2000 ms.</summary>
    public double MinRefractoryMs { get; set; } = 300;

    /// <summary>Shortest stride period (same foot) the rhythm accepts. 200..3000 ms.</summary>
    public double MinStrideMs { get; set; } = 700;

    /// <summary>Longest stride period (same foot) the rhythm accepts. 500..10000 ms.</summary>
    public double MaxStrideMs { get; set; } = 2000;

    /// <summary>Use the gyroscope when the samples carry angular velocity (landings from the foot's pitch rate); false keeps the acceleration path only.</summary>
    public bool UseGyro { get; set; } = true;

    /// <summary>Time over which the foot's pitch axis is learned from the angular velocity. 500..60000 ms.</summary>
    public double GyroAxisTauMs { get; set; } = 4000;

    /// <summary>Pitch-rate lobes that must have voted on the axis's sign before the gyroscope finds landings. 1..100.</summary>
    public int GyroMinLobes { get; set; } = 2;

    /// <summary>The sign vote must be at least this clear (|sum| / total weight) before the gyroscope finds landings. 0..1.</summary>
    public double GyroSignMargin { get; set; } = 0.3;

    /// <summary>A swing is pitch rate above this (°/s)… 10..1000.</summary>
    public double GyroSwingDps { get; set; } = 60;

    /// <summary>…and above this fraction of the recent swing peak… 0..1.</summary>
    public double GyroSwingFraction { get; set; } = 0.3;

    /// <summary>…for at least this long. 10..1000 ms.</summary>
    public double GyroSwingMs { get; set; } = 60;

    /// <summary>…or a swing has turned the foot this far (degrees) while above <see cref="GyroSwingDps"/> (a slow closing step or turn). 0 (off)..360.</summary>
    public double GyroSwingDegrees { get; set; } = 20;

    /// <summary>A swing ends in a landing when the pitch rate falls through minus this (°/s): the forefoot coming down. 0..1000.</summary>
    public double GyroReversalDps { get; set; } = 50;

    /// <summary>The landing's impact is looked for from this long before the reversal on. 0..200 ms.</summary>
    public double GyroImpactLookbackMs { get; set; } = 40;

    /// <summary>Longest wait after the reversal for the landing's impact (bounds the decision latency). 0..300 ms.</summary>
    public double GyroImpactWaitMs { get; set; } = 50;

    /// <summary>With no impact by <see cref="GyroImpactWaitMs"/>, the wait goes on this long after the reversal for one (a soft landing reverses early). 0..300 ms.</summary>
    public double GyroLateImpactWaitMs { get; set; } = 120;

    /// <summary>A pitch sign still not settled after this many footfalls (a healthy walker's settles within three or four) belongs to a gyroscope too gentle to follow: the acceleration path decides alone until it settles. 0 never gives up. 0..1000.</summary>
    public int GyroMaxUnsettledFootfalls { get; set; } = 6;

    /// <summary>This many acceleration-path landings in a row left to the gyroscope path without a footfall: its sign or levels are wrong for this walker (a gentle swing under the swing level, a sign voted the wrong way), and the acceleration path decides alone until the pitch sign flips or the axis turns. 0 never gives up. 0..1000.</summary>
    public int GyroMaxMissedLandings { get; set; } = 5;

    /// <summary>A swing whose pitch rate then stays within ±this level… (a foot flat on the floor) 0..500 °/s.</summary>
    public double GyroStanceDps { get; set; } = 30;

    /// <summary>…for this long is over: no later reversal ends it (it was a toe-off's heel rise). 0..1000 ms; 0 never ends it so.</summary>
    public double GyroStanceMs { get; set; } = 200;

    /// <summary>While the gyroscope path decides, an acceleration-path landing with no pitch reversal from this long before its onset on is the gyroscope path's blind spot (a flat-foot or toe-first landing). 0..300 ms.</summary>
    public double GyroUnreversedLookbackMs { get; set; } = 250;

    /// <summary>Such a landing is emitted if no reversal has come this long after its impact's peak and the foot lies flat (or twice this long after it); 0 leaves every landing to the gyroscope path. 0..300 ms.</summary>
    public double GyroUnreversedWaitMs { get; set; } = 40;

    /// <summary>A pitch lobe in the swing direction that turns the foot at least this far (degrees) with its peak above <see cref="GyroSwingDps"/>, then an impact and a still foot, is a small step the swing level never armed (a closing step, a U-turn step). 0 (off)..360.</summary>
    public double GyroSmallStepDegrees { get; set; } = 4;

    /// <summary>An impact this hard against recent landings' impacts is decided as soon as its jerk falls. 0..10.</summary>
    public double GyroHardImpactFraction { get; set; } = 0.7;

    /// <summary>An impact below this fraction of the recent jerk maximum is no impact: the footfall is placed at the reversal. 0..1.</summary>
    public double GyroMinImpactFraction { get; set; } = 0.25;

    /// <summary>While the gyroscope arrives but cannot decide yet, an acceleration-path landing is let out only if the foot's mean |ω| from this long after the onset… 0..1000 ms.</summary>
    public double GyroStillFromMs { get; set; } = 150;

    /// <summary>…until this long after it (the decision time of such a landing)… 0..1000 ms; 0 lets every landing out at once.</summary>
    public double GyroStillToMs { get; set; } = 200;

    /// <summary>…stays below this (°/s): the foot is flat, not swinging off a toe-off. 10..2000.</summary>
    public double GyroStillDps { get; set; } = 150;

    /// <summary>A copy (a detector keeps a reference to its options; copy before changing them for another).</summary>
    public DspDetectorOptions Clone() => (DspDetectorOptions)MemberwiseClone();

    /// <summary>Throws naming the first bad key, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public DspDetectorOptions Validate()
    {
        OptionRange.Check(nameof(NominalRateHz), NominalRateHz, 1, 10_000);
        OptionRange.Check(nameof(JerkSpanMs), JerkSpanMs, 1, 50);
        OptionRange.Check(nameof(MinImpactJerk), MinImpactJerk, 1, 10_000);
        OptionRange.Check(nameof(ImpactFloorFraction), ImpactFloorFraction, 0, 1);
        OptionRange.Check(nameof(ImpactFloorHalfLifeMs), ImpactFloorHalfLifeMs, 1000, 600_000);
        OptionRange.Check(nameof(TriggerFraction), TriggerFraction, 0.05, 1);
        OptionRange.Check(nameof(PeakFallFraction), PeakFallFraction, 0.1, 0.99);
        OptionRange.Check(nameof(PeakWaitMs), PeakWaitMs, 0, 200);
        OptionRange.Check(nameof(OnsetFraction), OnsetFraction, 0.05, 1);
        OptionRange.Check(nameof(WeakImpactFraction), WeakImpactFraction, 0, 1);
        OptionRange.Check(nameof(WeakImpactHoldMs), WeakImpactHoldMs, 0, 200);
        OptionRange.Check(nameof(OnsetLookbackMs), OnsetLookbackMs, 0, 200);
        OptionRange.Check(nameof(ReferenceMs), ReferenceMs, 500, 10_000);
        OptionRange.Check(nameof(MinImpactFraction), MinImpactFraction, 0, 1);
        OptionRange.Check(nameof(InPhaseImpactFraction), InPhaseImpactFraction, 0, 1);
        OptionRange.Check(nameof(SwingWindowMs), SwingWindowMs, 20, 1000);
        OptionRange.Check(nameof(SwingGapMs), SwingGapMs, 0, 200);
        OptionRange.Check(nameof(SwingTauMs), SwingTauMs, 1, 500);
        OptionRange.Check(nameof(SwingCosine), SwingCosine, -1, 1);
        OptionRange.Check(nameof(SwingMomentCosine), SwingMomentCosine, -1, 1);
        OptionRange.Check(nameof(StrongSwingG), StrongSwingG, 0.01, 10);
        OptionRange.Check(nameof(MinSwingG), MinSwingG, 0.01, 10);
        OptionRange.Check(nameof(QuietTauMs), QuietTauMs, 1, 200);
        OptionRange.Check(nameof(QuietJerk), QuietJerk, 0.1, 100);
        OptionRange.Check(nameof(NoiseFloorFactor), NoiseFloorFactor, 1, 20);
        OptionRange.Check(nameof(NoiseFloorRiseMs), NoiseFloorRiseMs, 100, 60_000);
        OptionRange.Check(nameof(QuietDeviationG), QuietDeviationG, 0.01, 2);
        OptionRange.Check(nameof(StanceLearnMs), StanceLearnMs, 50, 5000);
        OptionRange.Check(nameof(StanceConfirmMs), StanceConfirmMs, 20, 2000);
        OptionRange.Check(nameof(ConfirmWindowMs), ConfirmWindowMs, 20, 2000);
        OptionRange.Check(nameof(RhythmGateFraction), RhythmGateFraction, 0.05, 0.5);
        OptionRange.Check(nameof(StrongImpactFraction), StrongImpactFraction, 0, 1);
        OptionRange.Check(nameof(StrongSwingCosine), StrongSwingCosine, -1, 1);
        OptionRange.Check(nameof(RefractoryFraction), RefractoryFraction, 0, 0.95);
        OptionRange.Check(nameof(MinRefractoryMs), MinRefractoryMs, 50, 2000);
        OptionRange.Check(nameof(MinStrideMs), MinStrideMs, 200, 3000);
        OptionRange.Check(nameof(MaxStrideMs), MaxStrideMs, 500, 10_000);
        OptionRange.Check(nameof(GyroAxisTauMs), GyroAxisTauMs, 500, 60_000);
        OptionRange.Check(nameof(GyroMinLobes), GyroMinLobes, 1, 100);
        OptionRange.Check(nameof(GyroSignMargin), GyroSignMargin, 0, 1);
        OptionRange.Check(nameof(GyroSwingDps), GyroSwingDps, 10, 1000);
        OptionRange.Check(nameof(GyroSwingFraction), GyroSwingFraction, 0, 1);
        OptionRange.Check(nameof(GyroSwingMs), GyroSwingMs, 10, 1000);
        OptionRange.Check(nameof(GyroSwingDegrees), GyroSwingDegrees, 0, 360);
        OptionRange.Check(nameof(GyroReversalDps), GyroReversalDps, 0, 1000);
        OptionRange.Check(nameof(GyroImpactLookbackMs), GyroImpactLookbackMs, 0, 200);
        OptionRange.Check(nameof(GyroImpactWaitMs), GyroImpactWaitMs, 0, 300);
        OptionRange.Check(nameof(GyroLateImpactWaitMs), GyroLateImpactWaitMs, 0, 300);
        OptionRange.Check(nameof(GyroMaxUnsettledFootfalls), GyroMaxUnsettledFootfalls, 0, 1000);
        OptionRange.Check(nameof(GyroMaxMissedLandings), GyroMaxMissedLandings, 0, 1000);
        OptionRange.Check(nameof(GyroStanceDps), GyroStanceDps, 0, 500);
        OptionRange.Check(nameof(GyroStanceMs), GyroStanceMs, 0, 1000);
        OptionRange.Check(nameof(GyroUnreversedLookbackMs), GyroUnreversedLookbackMs, 0, 300);
        OptionRange.Check(nameof(GyroUnreversedWaitMs), GyroUnreversedWaitMs, 0, 300);
        OptionRange.Check(nameof(GyroSmallStepDegrees), GyroSmallStepDegrees, 0, 360);
        OptionRange.Check(nameof(GyroHardImpactFraction), GyroHardImpactFraction, 0, 10);
        OptionRange.Check(nameof(GyroMinImpactFraction), GyroMinImpactFraction, 0, 1);
        OptionRange.Check(nameof(GyroStillFromMs), GyroStillFromMs, 0, 1000);
        OptionRange.Check(nameof(GyroStillToMs), GyroStillToMs, 0, 1000);
        OptionRange.Check(nameof(GyroStillDps), GyroStillDps, 10, 2000);
        if (MaxStrideMs <= MinStrideMs)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStrideMs), MaxStrideMs,
                $"{nameof(MaxStrideMs)} = {MaxStrideMs} must be greater than {nameof(MinStrideMs)} = {MinStrideMs}");
        }

        if (SwingWindowMs + SwingGapMs + OnsetLookbackMs + PeakWaitMs + WeakImpactHoldMs > HistoryMs)
        {
            throw new ArgumentOutOfRangeException(nameof(SwingWindowMs), SwingWindowMs,
                $"{nameof(SwingWindowMs)} + {nameof(SwingGapMs)} + {nameof(OnsetLookbackMs)} + {nameof(PeakWaitMs)} + {nameof(WeakImpactHoldMs)} must not exceed {HistoryMs} ms");
        }

        if (GyroStillToMs > 0 && GyroStillToMs <= GyroStillFromMs)
        {
            throw new ArgumentOutOfRangeException(nameof(GyroStillToMs), GyroStillToMs,
                $"{nameof(GyroStillToMs)} = {GyroStillToMs} must be 0 or greater than {nameof(GyroStillFromMs)} = {GyroStillFromMs}");
        }

        return this;
    }

    /// <summary>How much signal history the detector keeps: enough for the swing window before the longest impact rise.</summary>
    internal const double HistoryMs = 1000;
}
