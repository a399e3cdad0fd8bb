using System.Globalization;
using System.Text;
using System.Text.Json;
using IolaEdge.Evaluation;

namespace IolaEdge.Evaluation;

/// <summary>Note timing of the two triggers (<c>detect</c>, <c>predict</c>) in eval's table and JSON, per walk and pooled.</summary>
internal static class NoteReport
{
    private static readonly IFormatProvider s_c = CultureInfo.InvariantCulture;

    /// <summary>Both modes of one run.</summary>
    public static (NoteTimingResult Detect, NoteTimingResult Predict) Score(EvalRun run, EvaluationOptions o) =>
        (NoteTimingResult.Score("detect", run.TruthMs, run.Notes.Detect, o), NoteTimingResult.Score("predict", run.TruthMs, run.Notes.Predict, o));

    /// <summary>The console block of one walk.</summary>
    public static string Text(EvalRun run, EvaluationOptions o)
    {
        (NoteTimingResult d, NoteTimingResult p) = Score(run, o);
        StringBuilder sb = new();
        AppendModes(sb, run.Notes.Settings, d, p, o.TolerancesMs);
        AppendTracker(sb, [run.Notes]);
        return sb.ToString();
    }

    /// <summary>The console block of a corpus: one line per walk (predict), then both modes pooled.</summary>
    public static string CorpusText(IReadOnlyList<CorpusFileResult> files, IReadOnlyList<double> tolerancesMs)
    {
        StringBuilder sb = new();
        if (files.Count == 0)
        {
            return string.Empty;
        }

        int nameWidth = Math.Max(4, files.Max(f => f.Entry.Name.Length));
        sb.AppendLine(s_c, $"notes per walk (heard time − true footfall; detect | predict):");
        sb.AppendLine(s_c, $"{"file".PadRight(nameWidth)}  notes med|e| p90|e| ±20ms |  notes pred med|e| p90|e| ±20ms nofoot");
        List<NoteTimingResult> ds = [], ps = [];
        foreach (CorpusFileResult f in files)
        {
            (NoteTimingResult d, NoteTimingResult p) = Score(f.Run, f.Options);
            ds.Add(d);
            ps.Add(p);
            sb.AppendLine(s_c, $"{f.Entry.Name.PadRight(nameWidth)} {d.Notes,6} {F(d.MedianAbsMs),6} {F(d.P90AbsMs),6} {d.WithinFraction,5:0.00} | {p.Notes,6} {p.PredictedNotes,4} {F(p.MedianAbsMs),6} {F(p.P90AbsMs),6} {p.WithinFraction,5:0.00} {p.NotesWithoutFootfall,6}");
        }

        sb.AppendLine(s_c, $"notes pooled over {files.Count} walks:");
        AppendModes(sb, files[0].Run.Notes.Settings, NoteTimingResult.Pool("detect", ds, tolerancesMs), NoteTimingResult.Pool("predict", ps, tolerancesMs), tolerancesMs);
        AppendTracker(sb, [.. files.Select(f => f.Run.Notes)]);
        return sb.ToString();
    }

    /// <summary>The <c>notes</c> object of one walk's JSON.</summary>
    public static void WriteJson(Utf8JsonWriter w, EvalRun run, EvaluationOptions o)
    {
        (NoteTimingResult d, NoteTimingResult p) = Score(run, o);
        WriteJson(w, run.Notes.Settings, d, p, [run.Notes]);
    }

    /// <summary>The pooled <c>notes</c> object of a corpus.</summary>
    public static void WriteCorpusJson(Utf8JsonWriter w, IReadOnlyList<CorpusFileResult> files, IReadOnlyList<double> tolerancesMs)
    {
        if (files.Count == 0)
        {
            return;
        }

        List<NoteTimingResult> ds = [], ps = [];
        foreach (CorpusFileResult f in files)
        {
            (NoteTimingResult d, NoteTimingResult p) = Score(f.Run, f.Options);
            ds.Add(d);
            ps.Add(p);
        }

        WriteJson(w, files[0].Run.Notes.Settings, NoteTimingResult.Pool("detect", ds, tolerancesMs), NoteTimingResult.Pool("predict", ps, tolerancesMs),
            [.. files.Select(f => f.Run.Notes)]);
    }

    /// <summary>
    /// The plots' note panel: a line of figures per trigger and the two error histograms (note − footfall) side by side.
    /// Returns the y below it.
    /// </summary>
    public static double DrawPanel(SvgKit.SvgCanvas c, NoteTimingResult d, NoteTimingResult p, NoteSettings settings, double x, double y, double width, double chartHeight)
    {
        c.Text(x, y + 14, $"Notes as heard (output latency {EvalCharts.Ms(settings.OutputLatencyMs)} ms): note time − true footfall, pairs at ±{EvalCharts.Ms(NoteSettings.PairToleranceMs)} ms",
            size: 14, weight: "bold");
        double line = y + 32;
        foreach (NoteTimingResult m in new[] { d, p })
        {
            c.Text(x, line, string.Create(s_c, $"{m.Mode}: {m.Notes} notes ({m.PredictedNotes} predicted) · median |error| {EvalCharts.MsOrNone(m.MedianAbsMs)}, p90 {EvalCharts.MsOrNone(m.P90AbsMs)} · "
                + $"within ±20 ms {EvalCharts.Fixed(m.WithinFraction, 3)} · without a footfall {m.NotesWithoutFootfall} · footfalls without a note {m.FootfallsWithoutNote} · "
                + $"steady walking: median {EvalCharts.MsOrNone(m.Steady.MedianAbsMs)}, p90 {EvalCharts.MsOrNone(m.Steady.P90AbsMs)}"), size: 12, fill: SvgKit.Palette.Muted);
            line += 16;
        }

        double half = (width - 20) / 2;
        double top = line + 6;
        EvalCharts.ErrorHistogram(c, d.ErrorsMs, NoteSettings.PairToleranceMs, NoteSettings.WithinMs, d.MedianMs, new SvgKit.Box(x, top, half, chartHeight), "detect notes", "note-bin");
        EvalCharts.ErrorHistogram(c, p.ErrorsMs, NoteSettings.PairToleranceMs, NoteSettings.WithinMs, p.MedianMs, new SvgKit.Box(x + half + 20, top, half, chartHeight), "predict notes", "note-bin");
        return top + chartHeight;
    }

    private static void WriteJson(Utf8JsonWriter w, NoteSettings settings, NoteTimingResult d, NoteTimingResult p, IReadOnlyList<NoteRun> runs)
    {
        w.WriteStartObject("notes");
        w.WriteString("definition", "note time = when the note is heard (sent + output latency); error = note time - true footfall over pairs matched one to one at pair_tolerance_ms");
        w.WriteNumber("output_latency_ms", settings.OutputLatencyMs);
        w.WriteNumber("confirm_window_ms", settings.ConfirmWindowMs);
        w.WriteNumber("max_late_ms", settings.MaxLateMs);
        w.WriteNumber("pair_tolerance_ms", NoteSettings.PairToleranceMs);
        foreach (NoteTimingResult m in new[] { d, p })
        {
            w.WriteStartObject(m.Mode);
            w.WriteNumber("truth", m.Truth);
            w.WriteNumber("notes", m.Notes);
            w.WriteNumber("predicted_notes", m.PredictedNotes);
            w.WriteNumber("pairs", m.Pairs);
            Number(w, "median_error_ms", m.MedianMs);
            Number(w, "median_abs_error_ms", m.MedianAbsMs);
            Number(w, "p90_abs_error_ms", m.P90AbsMs);
            Number(w, "within_20ms_fraction", m.WithinFraction);
            w.WriteNumber("notes_without_footfall", m.NotesWithoutFootfall);
            w.WriteNumber("footfalls_without_note", m.FootfallsWithoutNote);
            Number(w, "predicted_median_abs_error_ms", m.PredictedMedianAbsMs);
            Number(w, "predicted_p90_abs_error_ms", m.PredictedP90AbsMs);
            w.WriteStartObject("steady");
            w.WriteNumber("footfalls", m.Steady.Footfalls);
            w.WriteNumber("notes", m.Steady.Notes);
            w.WriteNumber("pairs", m.Steady.Pairs);
            Number(w, "median_abs_error_ms", m.Steady.MedianAbsMs);
            Number(w, "p90_abs_error_ms", m.Steady.P90AbsMs);
            Number(w, "within_20ms_fraction", m.Steady.WithinFraction);
            w.WriteNumber("notes_without_footfall", m.Steady.NotesWithoutFootfall);
            w.WriteNumber("footfalls_without_note", m.Steady.FootfallsWithoutNote);
            w.WriteStartArray("errors_ms");
            foreach (double e in m.Steady.ErrorsMs)
            {
                w.WriteNumberValue(Math.Round(e, 3));
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (ToleranceResult t in m.Results)
            {
                w.WriteStartObject();
                w.WriteNumber("tolerance_ms", t.ToleranceMs);
                w.WriteNumber("tp", t.TruePositives);
                w.WriteNumber("fp", t.FalsePositives);
                w.WriteNumber("fn", t.FalseNegatives);
                Number(w, "f1", t.F1);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteStartObject("tracker");
        w.WriteNumber("cues", runs.Sum(r => r.Cues));
        w.WriteNumber("predictions", runs.Sum(r => r.Predictions));
        w.WriteNumber("withheld_cues", runs.Sum(r => r.WithheldCues));
        w.WriteNumber("confirmed", runs.Sum(r => r.Confirmed));
        w.WriteNumber("unconfirmed", runs.Sum(r => r.Unconfirmed));
        w.WriteNumber("fallbacks", runs.Sum(r => r.Fallbacks));
        w.WriteNumber("too_late", runs.Sum(r => r.TooLate));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void AppendModes(StringBuilder sb, NoteSettings settings, NoteTimingResult d, NoteTimingResult p, IReadOnlyList<double> tols)
    {
        sb.AppendLine(s_c, $"notes: heard time − true footfall (output latency {settings.OutputLatencyMs:0.#} ms, pairs one to one at ±{NoteSettings.PairToleranceMs:0} ms)");
        string f1Header = string.Concat(tols.Select(t => $" {"F1@" + EvalCharts.Ms(t),7}"));
        sb.AppendLine(s_c, $"  trigger  notes  pred  median  med|e|  p90|e|  ±20ms  no-footfall  no-note{f1Header}");
        foreach (NoteTimingResult m in new[] { d, p })
        {
            sb.Append(s_c, $"  {m.Mode,-7} {m.Notes,6} {m.PredictedNotes,5} {F(m.MedianMs),7} {F(m.MedianAbsMs),7} {F(m.P90AbsMs),7} {m.WithinFraction,6:0.000} {m.NotesWithoutFootfall,12} {m.FootfallsWithoutNote,8}");
            foreach (ToleranceResult t in m.Results)
            {
                sb.Append(s_c, $" {t.F1,7:0.000}");
            }

            sb.AppendLine();
        }

        sb.AppendLine(s_c, $"  predicted notes alone: {p.PredictedErrorsMs.Count} paired, med|e| {F(p.PredictedMedianAbsMs)} ms, p90|e| {F(p.PredictedP90AbsMs)} ms");
        sb.AppendLine(s_c, $"  steady walking ({d.Steady.Footfalls} footfalls whose neighbouring strides agree within {NoteSettings.SteadyFraction:P0}):");
        foreach (NoteTimingResult m in new[] { d, p })
        {
            SteadyNotes st = m.Steady;
            sb.AppendLine(s_c, $"  {m.Mode,-7} {st.Notes,6} notes  med|e| {F(st.MedianAbsMs)} ms  p90|e| {F(st.P90AbsMs)} ms  ±20ms {st.WithinFraction:0.000}  "
                + $"no-footfall {st.NotesWithoutFootfall} ({st.WithoutFootfallFraction:P1})  no-note {st.FootfallsWithoutNote}");
        }
    }

    private static void AppendTracker(StringBuilder sb, IReadOnlyList<NoteRun> runs) =>
        sb.AppendLine(s_c, $"  gait tracker: cues {runs.Sum(r => r.Cues)}, predictions {runs.Sum(r => r.Predictions)}, withheld {runs.Sum(r => r.WithheldCues)}; "
            + $"predict trigger: confirmed {runs.Sum(r => r.Confirmed)}, unconfirmed {runs.Sum(r => r.Unconfirmed)}, fallbacks {runs.Sum(r => r.Fallbacks)}, too late {runs.Sum(r => r.TooLate)}");

    private static string F(double v) => EvalCharts.Fixed(v, 1);

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
