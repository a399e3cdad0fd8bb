using System.Globalization;

namespace IolaEdge.Dsp.Gait;

/// <summary>
/// Settings of the <see cref="GaitPhaseTracker"/>. Defaults come from the ipol1-dev corpus (docs/gait.md): the
/// push-off raises |a| by 0.8 g or more about 450 ms before the next landing; 200 ms later the foot is in mid
/// swing; then, as the foot brakes and pitches for the landing, its acceleration turns away from the stance
/// direction (cosine 0.9 at −150 ms, 0.5 at −70 ms). The time from that turn to the landing varies far less
/// than the stride.
/// </summary>
public sealed class GaitOptions
{
    /// <summary>Nominal sample rate, Hz (signal history size). 1..10000.</summary>
    public double NominalRateHz { get; set; } = 200;

    /// <summary>Deviation of |a| from gravity that marks the push-off, g. 0.1..8.</summary>
    public double PushOffG { get; set; } = 0.8;

    /// <summary>The push-off is searched from this fraction of a stride after the footfall (the stance before it is quiet). 0..0.9.</summary>
    public double PushOffEarliestFraction { get; set; } = 0.3;

    /// <summary>After the push-off, the landing cue is armed this much later (mid swing). 50..600 ms.</summary>
    public double SwingArmMs { get; set; } = 200;

    /// <summary>The landing cue: the cosine of the acceleration to the stance direction falls below this. −1..1.</summary>
    public double LandingCosine { get; set; } = 0.5;

    /// <summary>A cue not followed by a detected footfall within this long is dropped and the swing search restarts. 100..2000 ms.</summary>
    public double CueTimeoutMs { get; set; } = 400;

    /// <summary>Strides (and cue-to-landing times) remembered for the medians. 3..16.</summary>
    public int HistoryStrides { get; set; } = 5;

    /// <summary>Regular strides needed before the period is known and a prediction may be trusted. 1..16.</summary>
    public int MinStrides { get; set; } = 1;

    /// <summary>Cue-to-landing times needed before a prediction may be trusted. 2..16.</summary>
    public int MinLeads { get; set; } = 2;

    /// <summary>Predictions are trusted only while the recent cue-to-landing times spread less than this (1.48 × MAD), ms. 1..200.</summary>
    public double MaxLeadSpreadMs { get; set; } = 40;

    /// <summary>A stride off the tracked period by more than this fraction breaks the rhythm (<see cref="GaitState.Turning"/>). 0.05..1.</summary>
    public double IrregularFraction { get; set; } = 0.2;

    /// <summary>A prediction is offered only when the stride it implies lies within this fraction of the period (a cue in mid swing would land the note early). 0.02..1.</summary>
    public double PredictionFitFraction { get; set; } = 0.15;

    /// <summary>Period change against the recent median that counts as speeding up or slowing. 0.01..0.5.</summary>
    public double TempoChangeFraction { get; set; } = 0.05;

    /// <summary>Shortest stride (same foot) accepted, ms. 200..3000.</summary>
    public double MinStrideMs { get; set; } = 700;

    /// <summary>Longest stride accepted, ms; without a footfall for two of these, or of the period, the walker has stopped. 500..10000.</summary>
    public double MaxStrideMs { get; set; } = 2000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        OptionRange.Check(nameof(NominalRateHz), NominalRateHz, 1, 10_000);
        OptionRange.Check(nameof(PushOffG), PushOffG, 0.1, 8);
        OptionRange.Check(nameof(PushOffEarliestFraction), PushOffEarliestFraction, 0, 0.9);
        OptionRange.Check(nameof(SwingArmMs), SwingArmMs, 50, 600);
        OptionRange.Check(nameof(LandingCosine), LandingCosine, -1, 1);
        OptionRange.Check(nameof(CueTimeoutMs), CueTimeoutMs, 100, 2000);
        OptionRange.Check(nameof(HistoryStrides), HistoryStrides, 3, 16);
        OptionRange.Check(nameof(MinStrides), MinStrides, 1, 16);
        OptionRange.Check(nameof(MinLeads), MinLeads, 2, 16);
        OptionRange.Check(nameof(MaxLeadSpreadMs), MaxLeadSpreadMs, 1, 200);
        OptionRange.Check(nameof(IrregularFraction), IrregularFraction, 0.05, 1);
        OptionRange.Check(nameof(PredictionFitFraction), PredictionFitFraction, 0.02, 1);
        OptionRange.Check(nameof(TempoChangeFraction), TempoChangeFraction, 0.01, 0.5);
        OptionRange.Check(nameof(MinStrideMs), MinStrideMs, 200, 3000);
        OptionRange.Check(nameof(MaxStrideMs), MaxStrideMs, 500, 10_000);
        if (MaxStrideMs <= MinStrideMs)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStrideMs), MaxStrideMs,
                string.Create(CultureInfo.InvariantCulture, $"{nameof(MaxStrideMs)} = {MaxStrideMs} must be greater than {nameof(MinStrideMs)} = {MinStrideMs}"));
        }

        if (MinStrides > HistoryStrides || MinLeads > HistoryStrides)
        {
            throw new ArgumentOutOfRangeException(MinStrides > HistoryStrides ? nameof(MinStrides) : nameof(MinLeads), Math.Max(MinStrides, MinLeads),
                $"{nameof(MinStrides)} = {MinStrides} and {nameof(MinLeads)} = {MinLeads} must not exceed {nameof(HistoryStrides)} = {HistoryStrides}");
        }
    }

    /// <summary>A copy (options are mutable; a tracker keeps its own).</summary>
    public GaitOptions Clone() => (GaitOptions)MemberwiseClone();
}
