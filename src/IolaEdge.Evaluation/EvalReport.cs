using System.Globalization;
using System.Text;
using System.Text.Json;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Timing;
using IolaEdge.Evaluation;

namespace IolaEdge.Evaluation;

/// <summary>Renders an eval run as the JSON document and the console table.</summary>
internal static class EvalReport
{
    /// <summary>The JSON document: the agreed core shape first, then extra blocks.</summary>
    public static string Json(EvalRun run, EvaluationResult r, EvaluationOptions o)
    {
        using MemoryStream ms = new();
        using (Utf8JsonWriter w = new(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            WriteProperties(w, run, r, o);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>The properties of one run's JSON object, in the agreed order (a corpus report writes each file's object with them).</summary>
    public static void WriteProperties(Utf8JsonWriter w, EvalRun run, EvaluationResult r, EvaluationOptions o)
    {
        w.WriteString("input", run.Input);
        w.WriteString("detector", run.DetectorName);
        w.WriteStartArray("results");
        foreach (ToleranceResult t in r.ByTolerance)
        {
            WriteTolerance(w, t);
        }

        w.WriteEndArray();
        w.WriteStartObject("timing");
        Number(w, "median_abs_error_ms", r.Timing.MedianAbsErrorMs, 3);
        Number(w, "p90_abs_error_ms", r.Timing.P90AbsErrorMs, 3);
        Number(w, "median_signed_error_ms", r.Timing.MedianSignedErrorMs, 3);
        Number(w, "mean_signed_error_ms", r.Timing.MeanSignedErrorMs, 3);
        Number(w, "tolerance_ms", r.Timing.ToleranceMs, 3);
        w.WriteNumber("pairs", r.Timing.Pairs);
        w.WriteEndObject();
        w.WriteStartObject("latency_ms");
        Number(w, "p50", r.Latency.P50Ms, 3);
        Number(w, "p90", r.Latency.P90Ms, 3);
        Number(w, "max", r.Latency.MaxMs, 3);
        w.WriteEndObject();
        Number(w, "rt_factor", run.RtFactor, 9);

        w.WriteStartArray("results_by_samples");
        foreach (ToleranceResult t in r.BySamples)
        {
            WriteTolerance(w, t);
        }

        w.WriteEndArray();
        w.WriteStartObject("dcase");
        Number(w, "collar_ms", r.Dcase.CollarMs, 3);
        Number(w, "event_precision", r.Dcase.EventPrecision, 4);
        Number(w, "event_recall", r.Dcase.EventRecall, 4);
        Number(w, "event_f1", r.Dcase.EventF1, 4);
        Number(w, "event_error_rate", r.Dcase.EventErrorRate, 4);
        Number(w, "segment_ms", r.Dcase.SegmentMs, 3);
        w.WriteNumber("segments", r.Dcase.Segments);
        Number(w, "segment_precision", r.Dcase.SegmentPrecision, 4);
        Number(w, "segment_recall", r.Dcase.SegmentRecall, 4);
        Number(w, "segment_f1", r.Dcase.SegmentF1, 4);
        w.WriteEndObject();
        w.WriteStartObject("annotation_offset");
        w.WriteString("definition", "median of (detection - truth) over pairs matched at the timing tolerance; order-statistic CI");
        w.WriteNumber("pairs", r.Offset.Pairs);
        Number(w, "median_ms", r.Offset.MedianMs, 3);
        Number(w, "ci_low_ms", r.Offset.CiLowMs, 3);
        Number(w, "ci_high_ms", r.Offset.CiHighMs, 3);
        Number(w, "confidence", r.Offset.Level, 3);
        w.WriteEndObject();
        w.WriteStartObject("counters");
        w.WriteNumber("samples", run.Samples);
        w.WriteNumber("truth_events", r.TruthCount);
        w.WriteNumber("detections", r.DetectionCount);
        w.WriteNumber("malformed_lines", run.MalformedLines);
        w.WriteNumber("angular_velocity_samples", run.AngularVelocitySamples);
        Number(w, "largest_angular_speed_dps", run.LargestAngularSpeedDps, 1);
        Number(w, "median_acceleration_g", run.MedianAccelerationG, 3);
        w.WriteStartArray("first_malformed_lines");
        foreach (var m in run.FirstMalformedLines.Take(20))
        {
            w.WriteStartObject();
            w.WriteNumber("line", m.LineNumber);
            w.WriteString("error", m.Error.ToString());
            w.WriteString("problem", m.Describe());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Number(w, "walk_seconds", run.WalkSeconds, 3);
        w.WriteNumber("backward_steps", run.BackwardSteps);
        Number(w, "processing_seconds", run.ProcessingSeconds, 6);
        Number(w, "read_seconds", run.ReadSeconds, 6);
        w.WriteNumber("clock_bursts", run.Clock.Bursts);
        w.WriteNumber("clock_gaps", run.Clock.Gaps);
        w.WriteNumber("clock_estimated_lost_samples", run.Clock.EstimatedLostSamples);
        w.WriteNumber("clock_ahead_clamps", run.Clock.AheadClamps);
        w.WriteNumber("clock_resyncs", run.Clock.Resyncs);
        w.WriteNumber("clock_regular_samples", run.Clock.RegularSamples);
        w.WriteNumber("clock_dejittered_samples", run.Clock.DejitteredSamples);
        w.WriteNumber("clock_passed_through_samples", run.Clock.PassedThrough);
        Number(w, "clock_estimated_period_ms", run.Clock.EstimatedPeriodNs / 1e6, 4);
        w.WriteNumber("clock_adopted_rates", run.Clock.AdoptedRates);
        w.WriteNumber("clock_slower_rates", run.Clock.SlowerRates);
        Number(w, "clock_dejitter_period_ms", run.Clock.DejitterPeriodNs / 1e6, 4);
        if (run.Detector is DspFootfallDetector dsp)
        {
            w.WriteNumber("dsp_impacts", dsp.Impacts);
            w.WriteNumber("dsp_rejected_impacts", dsp.RejectedImpacts);
            w.WriteNumber("dsp_superseded_impacts", dsp.SupersededImpacts);
            w.WriteNumber("dsp_refractory_impacts", dsp.RefractoryImpacts);
            w.WriteNumber("dsp_out_of_phase_impacts", dsp.OutOfPhaseImpacts);
            w.WriteNumber("dsp_footfalls", dsp.Footfalls);
            w.WriteNumber("dsp_confirmed_footfalls", dsp.ConfirmedFootfalls);
            w.WriteNumber("dsp_implausible_samples", dsp.ImplausibleSamples);
            Number(w, "dsp_stride_period_ms", dsp.StridePeriodMs, 1);
            w.WriteNumber("dsp_gyro_footfalls", dsp.GyroFootfalls);
            w.WriteNumber("dsp_gyro_footfalls_without_impact", dsp.GyroFootfallsWithoutImpact);
            w.WriteNumber("dsp_impacts_left_to_gyro", dsp.ImpactsLeftToGyro);
            w.WriteNumber("dsp_unreversed_footfalls", dsp.UnreversedFootfalls);
            w.WriteNumber("dsp_small_steps", dsp.SmallSteps);
            w.WriteNumber("dsp_gyro_set_aside", dsp.GyroSetAside);
            w.WriteNumber("dsp_pitch_axis_changes", dsp.PitchAxisChanges);
            w.WriteNumber("dsp_held_for_still_foot", dsp.HeldForStillFoot);
            w.WriteNumber("dsp_dropped_mid_swing", dsp.DroppedMidSwing);
        }

        w.WriteEndObject();
        NoteReport.WriteJson(w, run, o);
        if (o.FromMs is not null || o.ToMs is not null)
        {
            w.WriteStartObject("range");
            Number(w, "from_ms", o.FromMs ?? double.NaN, 3);
            Number(w, "to_ms", o.ToMs ?? double.NaN, 3);
            w.WriteString("rule", "from_ms <= t < to_ms");
            w.WriteEndObject();
        }
    }

    // Below this fraction of the nominal rate the table suggests --rate-hz.
    private const double LowRateFraction = 0.55;

    // Above this median |a| (g) a file holds m/s² (9.8 at rest), not g: a walking foot's median stays near 1 g.
    private const double MetresPerSecondSquaredMedian = 5;

    // Below this largest |ω| (°/s) over a whole file no foot was seen swinging.
    private const double WalkingFootDps = 50;

    // The period the clock stamped the file's end with: the regular model's estimate, or the de-jitter model's own.
    private static double StampingPeriodNs(SampleClock clock) => clock.IsRegular || clock.DejitteredSamples == 0 ? clock.EstimatedPeriodNs : clock.DejitterPeriodNs;

    /// <summary>A readable summary for the console.</summary>
    public static string Table(EvalRun run, EvaluationResult r)
    {
        StringBuilder sb = new();
        IFormatProvider c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"eval {run.Input}  detector={run.DetectorName}  samples={run.Samples}  truth={r.TruthCount}  detections={r.DetectionCount}  malformed={run.MalformedLines}");
        if (run.FirstMalformedLines.Count > 0)
        {
            sb.AppendLine(c, $"note: {run.MalformedLines} malformed line(s) skipped, first {run.FirstMalformedLines[0].Describe()}");
        }

        if (run.BackwardSteps > 0)
        {
            sb.AppendLine(c, $"note: time went backwards {run.BackwardSteps} time(s) in the file; the walk length and RT factor count forward steps only");
        }
        sb.AppendLine(c, $"clock: bursts={run.Clock.Bursts} gaps={run.Clock.Gaps} est. lost samples={run.Clock.EstimatedLostSamples} resyncs={run.Clock.Resyncs} "
            + $"regular={run.Clock.RegularSamples} de-jittered={run.Clock.DejitteredSamples} period={StampingPeriodNs(run.Clock) / 1e6:F3} ms");
        if (run.Clock.AdoptedRates > 0)
        {
            // The clock found the sensor's own grid; said once, so that a wrong --rate-hz is not silently relied on.
            sb.AppendLine(c, $"note: the timestamps keep to a period of {run.Clock.EstimatedPeriodNs / 1e6:F3} ms ({1e9 / run.Clock.EstimatedPeriodNs:F1} Hz), "
                + $"no whole number of --rate-hz {run.NominalRateHz:G}'s periods: the clock took their own");
        }

        if (run.Clock.SlowerRates > 0)
        {
            // Said once: the clock guessed a slower sensor from the arrival rate, which a link losing half its samples would mimic.
            sb.AppendLine(c, $"note: the file holds {run.EffectiveRateHz:F1} samples/s against --rate-hz {run.NominalRateHz:G}: the clock took the sensor to run at "
                + $"{1e9 / run.Clock.DejitterPeriodNs:0.#} Hz (changed {run.Clock.SlowerRates} time(s)); if it ran at another rate, pass that with --rate-hz");
        }
        else if (run.EffectiveRateHz < LowRateFraction * run.NominalRateHz)
        {
            // A lossy link stays well above half the rate (the seed walk: 138 of 200 Hz); this far below,
            // the sensor more likely ran slower, and the clock would count every missing period as a loss.
            sb.AppendLine(c, $"note: the file holds {run.EffectiveRateHz:F1} samples/s against --rate-hz {run.NominalRateHz:G}; if the sensor ran slower, pass its rate with --rate-hz");
        }

        if (run.MedianAccelerationG > MetresPerSecondSquaredMedian)
        {
            sb.AppendLine(c, $"note: the acceleration's median magnitude is {run.MedianAccelerationG:0.##}, and a foot that stands and walks reads about 1 g; "
                + $"if the file holds m/s², divide by 9.80665 to get g (docs/recording.md)");
        }

        if (run.AngularVelocitySamples > 0 && run.LargestAngularSpeedDps < WalkingFootDps)
        {
            // A walking foot swings at hundreds of °/s; radians per second, or a gyroscope that never started, stay far below.
            sb.AppendLine(c, $"note: the angular velocity never exceeds {run.LargestAngularSpeedDps:0.#} °/s, and a walking foot turns at hundreds; "
                + $"if the file holds rad/s, convert it to °/s (docs/recording.md)");
        }
        if (run.Detector is DspFootfallDetector dsp)
        {
            sb.AppendLine(c, $"dsp: impacts={dsp.Impacts} rejected={dsp.RejectedImpacts} superseded={dsp.SupersededImpacts} refractory={dsp.RefractoryImpacts} out-of-phase={dsp.OutOfPhaseImpacts} "
                + $"footfalls={dsp.Footfalls} confirmed={dsp.ConfirmedFootfalls} implausible samples={dsp.ImplausibleSamples} stride={dsp.StridePeriodMs:F0} ms");
            if (run.AngularVelocitySamples > 0)
            {
                sb.AppendLine(c, $"dsp gyro: footfalls={dsp.GyroFootfalls} (without impact {dsp.GyroFootfallsWithoutImpact}) impacts left to gyro={dsp.ImpactsLeftToGyro} "
                    + $"landed without a reversal={dsp.UnreversedFootfalls} small steps={dsp.SmallSteps} set aside={dsp.GyroSetAside} "
                    + $"pitch axis changes={dsp.PitchAxisChanges} held for a still foot={dsp.HeldForStillFoot} (dropped mid-swing {dsp.DroppedMidSwing}) "
                    + $"samples with angular velocity={run.AngularVelocitySamples}");
            }
        }

        sb.AppendLine(" tol ms  tol smp    tp    fp    fn  precision  recall      f1");
        foreach (ToleranceResult t in r.ByTolerance)
        {
            Row(sb, t);
        }

        sb.AppendLine(" (tolerances in samples)");
        foreach (ToleranceResult t in r.BySamples)
        {
            Row(sb, t);
        }

        sb.AppendLine(c, $"timing @{r.Timing.ToleranceMs:0} ms ({r.Timing.Pairs} pairs): median |err| {F(r.Timing.MedianAbsErrorMs)} ms, p90 |err| {F(r.Timing.P90AbsErrorMs)} ms, median signed {F(r.Timing.MedianSignedErrorMs)} ms");
        sb.AppendLine(c, $"algorithmic latency: p50 {F(r.Latency.P50Ms)} ms, p90 {F(r.Latency.P90Ms)} ms, max {F(r.Latency.MaxMs)} ms");
        sb.AppendLine(c, $"DCASE: event F1 {F(r.Dcase.EventF1, 4)} (collar {r.Dcase.CollarMs:0} ms, ER {F(r.Dcase.EventErrorRate, 3)}), segment F1 {F(r.Dcase.SegmentF1, 4)} ({r.Dcase.SegmentMs:0} ms segments)");
        sb.AppendLine(c, $"annotation offset (det - truth): median {F(r.Offset.MedianMs)} ms, {r.Offset.Level:P0} CI [{F(r.Offset.CiLowMs)}, {F(r.Offset.CiHighMs)}] ms over {r.Offset.Pairs} pairs");
        sb.AppendLine(c, $"RT factor {run.RtFactor:0.000000} ({run.ProcessingSeconds * 1e3:0.0} ms for {run.WalkSeconds:0.0} s of walk; {run.ProcessingSeconds / Math.Max(1, run.Samples) * 1e9:0} ns/sample)");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, ToleranceResult t) =>
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"{t.ToleranceMs,7:0.#} {t.ToleranceSamples,8:0.#} {t.TruePositives,5} {t.FalsePositives,5} {t.FalseNegatives,5} {t.Precision,10:0.0000} {t.Recall,7:0.0000} {t.F1,7:0.0000}{(t.Exact ? string.Empty : "  (greedy fallback)")}");

    private static string F(double v, int decimals = 1) =>
        double.IsNaN(v) ? "n/a" : v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>One tolerance's counts and rates.</summary>
    public static void WriteTolerance(Utf8JsonWriter w, ToleranceResult t)
    {
        w.WriteStartObject();
        Number(w, "tolerance_ms", t.ToleranceMs, 3);
        Number(w, "tolerance_samples", t.ToleranceSamples, 3);
        w.WriteNumber("tp", t.TruePositives);
        w.WriteNumber("fp", t.FalsePositives);
        w.WriteNumber("fn", t.FalseNegatives);
        Number(w, "precision", t.Precision, 4);
        Number(w, "recall", t.Recall, 4);
        Number(w, "f1", t.F1, 4);
        if (!t.Exact)
        {
            w.WriteString("matching", "greedy-fallback");
        }

        w.WriteEndObject();
    }

    /// <summary>Writes a rounded number (as score.py rounds), or null for NaN/infinity.</summary>
    public static void Number(Utf8JsonWriter w, string name, double value, int decimals)
    {
        if (!double.IsFinite(value))
        {
            w.WriteNull(name);
            return;
        }

        w.WriteNumber(name, Math.Round(value, decimals, MidpointRounding.ToEven));
    }
}
