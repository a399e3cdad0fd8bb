namespace IolaEdge.Evaluation;

/// <summary>Counts and rates at one tolerance.</summary>
/// <param name="ToleranceMs">Tolerance in ms (inclusive).</param>
/// <param name="ToleranceSamples">The same tolerance in nominal sample periods.</param>
/// <param name="TruePositives">Matched pairs.</param>
/// <param name="FalsePositives">Unmatched detections.</param>
/// <param name="FalseNegatives">Unmatched truth events.</param>
/// <param name="Precision">TP / (TP + FP), 0 without detections.</param>
/// <param name="Recall">TP / (TP + FN), 0 without truth.</param>
/// <param name="F1">Harmonic mean of precision and recall, 0 when both are 0.</param>
/// <param name="Exact">False when the greedy fallback matched a chunk (counts stay exact, timing may not be minimal).</param>
public sealed record ToleranceResult(
    double ToleranceMs, double ToleranceSamples, int TruePositives, int FalsePositives, int FalseNegatives,
    double Precision, double Recall, double F1, bool Exact);

/// <summary>Timing errors of the pairs matched at one tolerance (ms; NaN without pairs).</summary>
/// <param name="ToleranceMs">The tolerance the pairs were matched at.</param>
/// <param name="Pairs">How many pairs.</param>
/// <param name="MedianAbsErrorMs">Median |detection − truth|.</param>
/// <param name="P90AbsErrorMs">90th percentile of |detection − truth|.</param>
/// <param name="MedianSignedErrorMs">Median of detection − truth.</param>
/// <param name="MeanSignedErrorMs">Mean of detection − truth.</param>
public sealed record TimingResult(
    double ToleranceMs, int Pairs, double MedianAbsErrorMs, double P90AbsErrorMs, double MedianSignedErrorMs, double MeanSignedErrorMs);

/// <summary>Algorithmic latency (decision sample time − detected footfall time) over all detections (ms; NaN without any).</summary>
/// <param name="Count">Detections.</param>
/// <param name="P50Ms">Median.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="MaxMs">Largest.</param>
public sealed record LatencyResult(int Count, double P50Ms, double P90Ms, double MaxMs);

/// <summary>DCASE-style scores: event-based with an onset collar, and segment-based.</summary>
/// <param name="CollarMs">Onset collar of the event-based score.</param>
/// <param name="EventPrecision">Event-based precision.</param>
/// <param name="EventRecall">Event-based recall.</param>
/// <param name="EventF1">Event-based F1.</param>
/// <param name="EventErrorRate">(deletions + insertions) / truth events (one class, so no substitutions).</param>
/// <param name="SegmentMs">Segment length of the segment-based score.</param>
/// <param name="Segments">Segments scored.</param>
/// <param name="SegmentPrecision">Segment-based precision.</param>
/// <param name="SegmentRecall">Segment-based recall.</param>
/// <param name="SegmentF1">Segment-based F1.</param>
public sealed record DcaseResult(
    double CollarMs, double EventPrecision, double EventRecall, double EventF1, double EventErrorRate,
    double SegmentMs, int Segments, double SegmentPrecision, double SegmentRecall, double SegmentF1);

/// <summary>
/// Estimated constant offset between detections and annotations (detection − truth) from the pairs
/// matched at the timing tolerance: the median with a distribution-free confidence interval. A stable
/// non-zero offset is the annotator's (or the detector's) systematic lag.
/// </summary>
/// <param name="Pairs">Pairs used.</param>
/// <param name="MedianMs">Median signed difference.</param>
/// <param name="CiLowMs">Lower bound of the interval.</param>
/// <param name="CiHighMs">Upper bound of the interval.</param>
/// <param name="Level">Confidence level of the interval.</param>
public sealed record OffsetResult(int Pairs, double MedianMs, double CiLowMs, double CiHighMs, double Level);

/// <summary>Everything <see cref="Evaluator.Score"/> computes.</summary>
/// <param name="TruthCount">Truth events in range.</param>
/// <param name="DetectionCount">Detections in range.</param>
/// <param name="ByTolerance">Per tolerance in ms, in the requested order.</param>
/// <param name="BySamples">Per tolerance given in samples (converted with the nominal period).</param>
/// <param name="Timing">Timing errors at the timing tolerance.</param>
/// <param name="Latency">Algorithmic latency.</param>
/// <param name="Dcase">DCASE-style scores.</param>
/// <param name="Offset">Annotation offset estimate.</param>
public sealed record EvaluationResult(
    int TruthCount, int DetectionCount, IReadOnlyList<ToleranceResult> ByTolerance, IReadOnlyList<ToleranceResult> BySamples,
    TimingResult Timing, LatencyResult Latency, DcaseResult Dcase, OffsetResult Offset);
