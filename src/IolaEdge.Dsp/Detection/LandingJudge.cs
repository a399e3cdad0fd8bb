namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The landing state machine's second half: places a finished impact's onset and decides whether it is a landing.
/// The landing is the stride's hardest event (peak ≥ <see cref="DspDetectorOptions.MinImpactFraction"/> of the
/// recent maximum, or <see cref="DspDetectorOptions.InPhaseImpactFraction"/> where the locked rhythm expects one)
/// and ends a swing: over the <see cref="DspDetectorOptions.SwingWindowMs"/> ending
/// <see cref="DspDetectorOptions.SwingGapMs"/> before the onset the foot points away from its stance direction (mean
/// cosine ≤ <see cref="DspDetectorOptions.SwingCosine"/>, or at some moment ≤
/// <see cref="DspDetectorOptions.SwingMomentCosine"/>) or moves hard throughout (activity ≥
/// <see cref="DspDetectorOptions.StrongSwingG"/>); before a stance direction is known, activity ≥
/// <see cref="DspDetectorOptions.MinSwingG"/> decides. A push-off starts from a stance, and the other foot's
/// landing reaches this foot in its stance: neither ends a swing.
/// </summary>
/// <remarks>Reads the history only; keeps no state of its own. Allocation-free.</remarks>
internal sealed class LandingJudge
{
    private DspDetectorOptions _o;

    /// <summary>Creates the judge for <paramref name="options"/>.</summary>
    public LandingJudge(DspDetectorOptions options) => _o = options;

    /// <summary>Applies new options.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>
    /// Judges the impact that peaked at <paramref name="peakNs"/> with <paramref name="peakJerk"/>, decided at
    /// <paramref name="nowNs"/>. Gives its onset, its strength (largest deviation from gravity since the onset) and
    /// whether it is so clearly a landing (<paramref name="strong"/>) that the rhythm's phase must not hold it back.
    /// </summary>
    public bool IsLanding(SignalHistory history, double peakJerk, long peakNs, double reference, StrideRhythm rhythm,
        bool hasStanceDirection, long nowNs, out long onsetNs, out float strength, out bool strong)
    {
        int peak = history.IndexAtOrBefore(peakNs);
        int onset = history.OnsetBefore(peak, peakNs, _o.OnsetFraction * peakJerk, _o.OnsetLookbackMs);
        onsetNs = history[onset].TimeNs;
        strength = history.MaxDeviationThrough(onset);
        strong = false;

        double relative = reference > 0 ? peakJerk / reference : 1;
        double needed = rhythm.IsInPhase(onsetNs, nowNs) ? Math.Min(_o.InPhaseImpactFraction, _o.MinImpactFraction) : _o.MinImpactFraction;
        if (relative < needed || !SwingBefore(history, onset, onsetNs, out double swingMin, out double cosineMin, out double cosineMean))
        {
            return false;
        }

        if (!hasStanceDirection)
        {
            return swingMin >= _o.MinSwingG;
        }

        strong = relative >= _o.StrongImpactFraction && cosineMin <= _o.StrongSwingCosine;
        return cosineMean <= _o.SwingCosine || cosineMin <= _o.SwingMomentCosine || swingMin >= _o.StrongSwingG;
    }

    /// <summary>
    /// The least activity, and the least and the mean cosine to the stance direction, over the swing window; false when
    /// the history holds none of it.
    /// </summary>
    private bool SwingBefore(SignalHistory history, int onset, long onsetNs, out double swingMin, out double cosineMin, out double cosineMean)
    {
        // The activity's minimum, not its mean: a hard swing must hold throughout the window (the mean lost 0.2 F1,
        // docs/detector.md). The direction's mean: a moment pointing away comes in every phase of a vigorous stride.
        swingMin = double.MaxValue;
        cosineMin = double.MaxValue;
        double cosineSum = 0;
        int points = 0;
        for (int k = onset; k < history.Count; k++)
        {
            ref readonly SignalPoint p = ref history[k];
            double beforeMs = (onsetNs - p.TimeNs) / SignalStep.NsPerMs;
            if (beforeMs < _o.SwingGapMs)
            {
                continue;
            }

            if (beforeMs > _o.SwingGapMs + _o.SwingWindowMs)
            {
                break;
            }

            points++;
            swingMin = Math.Min(swingMin, p.Swing);
            cosineMin = Math.Min(cosineMin, p.Cosine);
            cosineSum += p.Cosine;
        }

        cosineMean = points > 0 ? cosineSum / points : double.MaxValue;
        return points > 0;
    }
}
