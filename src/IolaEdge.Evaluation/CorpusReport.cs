using System.Globalization;
using System.Text;
using System.Text.Json;
using IolaEdge.Evaluation;

namespace IolaEdge.Evaluation;

/// <summary>Renders an evaluated corpus as the console report and the JSON document.</summary>
internal static class CorpusReport
{
    private static readonly IFormatProvider s_c = CultureInfo.InvariantCulture;

    /// <summary>
    /// The console report: a row per file (F1 at each tolerance, median |error|, latency p50), the pooled counts per
    /// tolerance, pooled timing and latency, the worst files, the groups, and the files that failed.
    /// </summary>
    public static string Table(Corpus corpus, CorpusRun run, CorpusSummary s, CorpusSettings settings)
    {
        StringBuilder sb = new();
        IReadOnlyList<double> tols = settings.TolerancesMs;
        string source = corpus.Index is null ? "--input" : corpus.Index;
        sb.AppendLine(s_c, $"eval corpus: {run.Outcomes.Count} files from {source}  detector={settings.Detector.Name}  scored={run.Files.Count}  failed={run.Errors.Count}");
        int nameWidth = Math.Max(4, run.Outcomes.Select(o => o.Entry.Name.Length).DefaultIfEmpty(0).Max());
        string f1Header = string.Concat(tols.Select(t => $" {"F1@" + EvalCharts.Ms(t),7}"));
        sb.AppendLine(s_c, $"{"file".PadRight(nameWidth)}   rate  truth   dets{f1Header}  med|err|  lat p50");
        foreach (CorpusFileResult f in run.Files)
        {
            sb.Append(f.Entry.Name.PadRight(nameWidth));
            sb.Append(s_c, $" {f.Entry.RateHz,6:0.#} {f.Result.TruthCount,6} {f.Result.DetectionCount,6}");
            foreach (ToleranceResult t in f.Result.ByTolerance)
            {
                sb.Append(s_c, $" {t.F1,7:0.000}");
            }

            sb.AppendLine(s_c, $" {Fixed(f.Result.Timing.MedianAbsErrorMs),9} {Fixed(f.Result.Latency.P50Ms),8}");
        }

        CorpusPool p = s.Pooled;
        sb.AppendLine(s_c, $"pooled over {p.Files} files: truth={p.TruthCount}  detections={p.DetectionCount}  (TP/FP/FN summed over files, then P/R/F1)");
        sb.AppendLine(" tol ms     tp     fp     fn  precision  recall      f1");
        foreach (PooledResult t in p.ByTolerance)
        {
            sb.AppendLine(s_c, $"{t.ToleranceMs,7:0.#} {t.TruePositives,6} {t.FalsePositives,6} {t.FalseNegatives,6} {t.Precision,10:0.0000} {t.Recall,7:0.0000} {t.F1,7:0.0000}");
        }

        sb.AppendLine(s_c, $"timing @{s.Timing.ToleranceMs:0} ms ({s.Timing.Pairs} pairs, pooled): median |err| {Fixed(s.Timing.MedianAbsErrorMs)} ms, "
            + $"p90 |err| {Fixed(s.Timing.P90AbsErrorMs)} ms, median signed {Fixed(s.Timing.MedianSignedErrorMs)} ms");
        sb.AppendLine(s_c, $"algorithmic latency ({s.Latency.Count} detections, pooled): p50 {Fixed(s.Latency.P50Ms)} ms, p90 {Fixed(s.Latency.P90Ms)} ms");
        if (MalformedLines(run) is > 0 and long malformed)
        {
            sb.AppendLine(s_c, $"malformed lines skipped: {malformed} in {run.Files.Count(f => f.Run.MalformedLines > 0)} of {run.Files.Count} scored files ({MostMalformed(run)})");
        }

        (int first, int second) = s.Rank;
        string r1 = EvalCharts.Ms(tols[first]), r2 = EvalCharts.Ms(tols[second]);
        sb.AppendLine(s_c, $"worst {s.Worst.Count} files by F1 @{r1} ms, then @{r2} ms:");
        foreach (CorpusFileResult f in s.Worst)
        {
            ToleranceResult a = f.Result.ByTolerance[first], b = f.Result.ByTolerance[second];
            sb.AppendLine(s_c, $"  {f.Entry.Name.PadRight(nameWidth)}  F1@{r1} {a.F1:0.000}  F1@{r2} {b.F1:0.000}  "
                + $"tp/fp/fn @{r1}: {a.TruePositives}/{a.FalsePositives}/{a.FalseNegatives}");
        }

        int groupWidth = Math.Max(5, s.Groups.Select(g => GroupLabel(g).Length).DefaultIfEmpty(0).Max());
        sb.AppendLine(s_c, $"groups (pooled F1):");
        sb.AppendLine(s_c, $"  {"group".PadRight(groupWidth)}  files  truth   dets{f1Header}");
        foreach (CorpusGroup g in s.Groups)
        {
            sb.Append(s_c, $"  {GroupLabel(g).PadRight(groupWidth)} {g.Pool.Files,6} {g.Pool.TruthCount,6} {g.Pool.DetectionCount,6}");
            foreach (PooledResult t in g.Pool.ByTolerance)
            {
                sb.Append(s_c, $" {t.F1,7:0.000}");
            }

            sb.AppendLine();
        }

        sb.Append(NoteReport.CorpusText(run.Files, tols));
        sb.AppendLine(s_c, $"failed: {run.Errors.Count}");
        foreach (CorpusFileError e in run.Errors)
        {
            sb.AppendLine(s_c, $"  {e.Entry.Name}: {e.Message}");
        }

        return sb.ToString();
    }

    private static long MalformedLines(CorpusRun run) => run.Files.Sum(f => f.Run.MalformedLines);

    /// <summary>The three files with the most malformed lines, each with its first one, so the format mistake can be found.</summary>
    private static string MostMalformed(CorpusRun run) => string.Join("; ", run.Files
        .Where(f => f.Run.MalformedLines > 0)
        .OrderByDescending(f => f.Run.MalformedLines)
        .Take(3)
        .Select(f => string.Create(s_c,
            $"{f.Entry.Name}: {f.Run.MalformedLines}, first {f.Run.FirstMalformedLines[0].Describe()}")));

    /// <summary>One line of progress for a finished file: <c>[12/56] 1-6-left.csv  F1@50 0.951  F1@100 0.980</c>, or why it failed.</summary>
    public static string Progress(int done, int total, CorpusOutcome outcome, IReadOnlyList<double> tolerancesMs)
    {
        string head = string.Create(s_c, $"[{done}/{total}] {outcome.Entry.Name}");
        if (outcome is CorpusFileError e)
        {
            return $"{head}  failed: {e.Message}";
        }

        CorpusFileResult f = (CorpusFileResult)outcome;
        int a = CorpusSummary.Nearest(tolerancesMs, CorpusSummary.SecondRankMs), b = CorpusSummary.Nearest(tolerancesMs, CorpusSummary.FirstRankMs);
        string scores = a == b ? string.Empty : string.Create(s_c, $"  F1@{EvalCharts.Ms(tolerancesMs[a])} {f.Result.ByTolerance[a].F1:0.000}");
        return string.Create(s_c, $"{head}{scores}  F1@{EvalCharts.Ms(tolerancesMs[b])} {f.Result.ByTolerance[b].F1:0.000}");
    }

    /// <summary>
    /// The JSON document: <c>corpus</c> (what was run), <c>pooled</c> (counts per tolerance, timing, latency), <c>files</c>
    /// (each file's single-file eval object, plus its index columns), <c>worst</c>, <c>groups</c> and <c>errors</c>.
    /// </summary>
    public static string Json(Corpus corpus, CorpusRun run, CorpusSummary s, CorpusSettings settings, IReadOnlyList<string> where)
    {
        using MemoryStream ms = new();
        using (Utf8JsonWriter w = new(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("corpus");
            if (corpus.Index is null)
            {
                w.WriteNull("index");
            }
            else
            {
                w.WriteString("index", corpus.Index);
            }

            w.WriteString("detector", settings.Detector.Name);
            w.WriteNumber("files", run.Outcomes.Count);
            w.WriteNumber("scored", run.Files.Count);
            w.WriteNumber("failed", run.Errors.Count);
            w.WriteStartArray("tolerances_ms");
            foreach (double t in settings.TolerancesMs)
            {
                w.WriteNumberValue(t);
            }

            w.WriteEndArray();
            w.WriteStartArray("where");
            foreach (string condition in where)
            {
                w.WriteStringValue(condition);
            }

            w.WriteEndArray();
            w.WriteNumber("jobs", run.Jobs);
            EvalReport.Number(w, "elapsed_seconds", run.Elapsed.TotalSeconds, 3);
            w.WriteEndObject();

            w.WriteStartObject("pooled");
            WritePool(w, s.Pooled);
            w.WriteNumber("malformed_lines", MalformedLines(run));
            w.WriteStartObject("timing");
            w.WriteString("definition", "over all pairs of all files matched at tolerance_ms");
            EvalReport.Number(w, "median_abs_error_ms", s.Timing.MedianAbsErrorMs, 3);
            EvalReport.Number(w, "p90_abs_error_ms", s.Timing.P90AbsErrorMs, 3);
            EvalReport.Number(w, "median_signed_error_ms", s.Timing.MedianSignedErrorMs, 3);
            EvalReport.Number(w, "mean_signed_error_ms", s.Timing.MeanSignedErrorMs, 3);
            EvalReport.Number(w, "tolerance_ms", s.Timing.ToleranceMs, 3);
            w.WriteNumber("pairs", s.Timing.Pairs);
            w.WriteEndObject();
            w.WriteStartObject("latency_ms");
            w.WriteString("definition", "over all scored detections of all files");
            EvalReport.Number(w, "p50", s.Latency.P50Ms, 3);
            EvalReport.Number(w, "p90", s.Latency.P90Ms, 3);
            EvalReport.Number(w, "max", s.Latency.MaxMs, 3);
            w.WriteNumber("detections", s.Latency.Count);
            w.WriteEndObject();
            NoteReport.WriteCorpusJson(w, run.Files, settings.TolerancesMs);
            w.WriteEndObject();

            w.WriteStartArray("files");
            foreach (CorpusFileResult f in run.Files)
            {
                w.WriteStartObject();
                w.WriteString("file", f.Entry.Name);
                Number(w, "rate_hz", f.Entry.RateHz);
                Number(w, "from_ms", f.Entry.FromMs);
                Number(w, "to_ms", f.Entry.ToMs);
                w.WriteStartObject("columns");
                foreach (string key in corpus.Columns)
                {
                    w.WriteString(key, f.Entry.Columns[key]);
                }

                w.WriteEndObject();
                w.WriteStartObject("eval");
                EvalReport.WriteProperties(w, f.Run, f.Result, f.Options);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();

            (int first, int second) = s.Rank;
            w.WriteStartObject("worst");
            w.WriteStartArray("ranked_by_f1_at_ms");
            w.WriteNumberValue(settings.TolerancesMs[first]);
            w.WriteNumberValue(settings.TolerancesMs[second]);
            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (CorpusFileResult f in s.Worst)
            {
                ToleranceResult a = f.Result.ByTolerance[first], b = f.Result.ByTolerance[second];
                w.WriteStartObject();
                w.WriteString("file", f.Entry.Name);
                w.WriteStartArray("f1");
                w.WriteNumberValue(Math.Round(a.F1, 4, MidpointRounding.ToEven));
                w.WriteNumberValue(Math.Round(b.F1, 4, MidpointRounding.ToEven));
                w.WriteEndArray();
                w.WriteNumber("tp", a.TruePositives);
                w.WriteNumber("fp", a.FalsePositives);
                w.WriteNumber("fn", a.FalseNegatives);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartArray("groups");
            foreach (CorpusGroup g in s.Groups)
            {
                w.WriteStartObject();
                w.WriteString("by", g.Grouping.Name);
                w.WriteString("value", g.Key);
                WritePool(w, g.Pool);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("errors");
            foreach (CorpusFileError e in run.Errors)
            {
                w.WriteStartObject();
                w.WriteString("file", e.Entry.Name);
                w.WriteString("path", e.Entry.Path);
                w.WriteString("error", e.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary><c>subject=3</c>; an empty value shows as <c>(empty)</c> so the row does not look cut off.</summary>
    public static string GroupLabel(CorpusGroup g) => $"{g.Grouping.Name}={(g.Key.Length == 0 ? "(empty)" : g.Key)}";

    private static void WritePool(Utf8JsonWriter w, CorpusPool pool)
    {
        w.WriteNumber("files", pool.Files);
        w.WriteNumber("truth_events", pool.TruthCount);
        w.WriteNumber("detections", pool.DetectionCount);
        w.WriteStartArray("results");
        foreach (PooledResult t in pool.ByTolerance)
        {
            w.WriteStartObject();
            EvalReport.Number(w, "tolerance_ms", t.ToleranceMs, 3);
            w.WriteNumber("tp", t.TruePositives);
            w.WriteNumber("fp", t.FalsePositives);
            w.WriteNumber("fn", t.FalseNegatives);
            EvalReport.Number(w, "precision", t.Precision, 4);
            EvalReport.Number(w, "recall", t.Recall, 4);
            EvalReport.Number(w, "f1", t.F1, 4);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            EvalReport.Number(w, name, v, 3);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Fixed(double v) => EvalCharts.Fixed(v, 1);
}
