using System.Text;
using IolaEdge.Evaluation;
using static IolaEdge.Evaluation.EvalCharts;
using static IolaEdge.Evaluation.SvgKit;

namespace IolaEdge.Evaluation;

/// <summary>
/// The <c>--plot</c> picture of a corpus: one self-contained SVG with the pooled scores against tolerance, the pooled
/// timing-error histogram, every file's F1 as a sorted bar, and each group's pooled F1.
/// </summary>
/// <remarks>
/// Draws with the single-file plot's charts and canvas (<see cref="EvalCharts"/>, <see cref="SvgKit"/>), so both pictures
/// read alike and stay byte-stable. Bars carry classes and data attributes (<c>file-f1</c>, <c>group-f1</c> with
/// <c>data-f1</c>) for tests and scripts.
/// </remarks>
internal static class CorpusPlot
{
    private const double Width = 1000;
    private const double Margin = 20;
    private const double ChartHeight = 260;
    private const double GroupRowHeight = 18;

    /// <summary>Writes the SVG to <paramref name="path"/> (UTF-8 without BOM).</summary>
    public static void Write(string path, Corpus corpus, CorpusRun run, CorpusSummary summary, CorpusSettings settings) =>
        File.WriteAllText(path, Svg(corpus, run, summary, settings), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>The SVG document.</summary>
    public static string Svg(Corpus corpus, CorpusRun run, CorpusSummary summary, CorpusSettings settings)
    {
        SvgCanvas body = new();
        double y = DrawHeader(body, corpus, run, summary, settings, Margin);
        double halfWidth = (Width - (3 * Margin)) / 2;
        List<ToleranceResult> curve = [.. summary.Pooled.ByTolerance.Select(AsToleranceResult).OrderBy(t => t.ToleranceMs)];
        ToleranceChart(body, curve, new Box(Margin, y, halfWidth, ChartHeight), "Pooled F1, precision and recall against matching tolerance");
        ErrorHistogram(body, [.. run.Files.SelectMany(f => f.TimingErrorsMs)], summary.Timing.ToleranceMs, settings.TolerancesMs[summary.Rank.First],
            summary.Timing.MedianSignedErrorMs, new Box((2 * Margin) + halfWidth, y, halfWidth, ChartHeight), $"pairs of {run.Files.Count} files");
        y += ChartHeight + Margin;
        DrawFileBars(body, run, summary, settings, new Box(Margin, y, Width - (2 * Margin), ChartHeight));
        y += ChartHeight + Margin;
        y = DrawGroups(body, summary, settings, y);
        if (run.Files.Count > 0)
        {
            List<NoteTimingResult> ds = [], ps = [];
            foreach (CorpusFileResult f in run.Files)
            {
                (NoteTimingResult d, NoteTimingResult p) = NoteReport.Score(f.Run, f.Options);
                ds.Add(d);
                ps.Add(p);
            }

            y = NoteReport.DrawPanel(body, NoteTimingResult.Pool("detect", ds, settings.TolerancesMs), NoteTimingResult.Pool("predict", ps, settings.TolerancesMs),
                settings.Notes, Margin, y + Margin, Width - (2 * Margin), ChartHeight);
        }

        return Document(Width, y + Margin, body);
    }

    private static double DrawHeader(SvgCanvas c, Corpus corpus, CorpusRun run, CorpusSummary s, CorpusSettings settings, double top)
    {
        PooledResult h = s.Pooled.ByTolerance[s.Rank.First];
        string source = corpus.Index is null ? string.Empty : $" in {Path.GetFileName(corpus.Index)}";
        // Two short lines rather than one long one: the page is 1000 px wide.
        c.Text(Margin, top + 14, $"Corpus of {run.Files.Count} files{source} · detector {settings.Detector.Name} · pooled F1 {Fixed(h.F1, 3)} at ±{Ms(h.ToleranceMs)} ms",
            size: 15, weight: "bold");
        string failed = run.Errors.Count == 0 ? string.Empty : $" · {run.Errors.Count} files failed (not drawn)";
        c.Text(Margin, top + 34, $"truth {s.Pooled.TruthCount}, detections {s.Pooled.DetectionCount} · latency p50 {MsOrNone(s.Latency.P50Ms)} · "
            + $"precision {Fixed(h.Precision, 3)}, recall {Fixed(h.Recall, 3)}, TP {h.TruePositives}, FP {h.FalsePositives}, FN {h.FalseNegatives} · "
            + $"median |error| {MsOrNone(s.Timing.MedianAbsErrorMs)}{failed}",
            size: 12, fill: Palette.Muted);
        return top + 50;
    }

    /// <summary>One bar per file, F1 at the first ranking tolerance, sorted worst first; a tick marks F1 at the second.</summary>
    private static void DrawFileBars(SvgCanvas c, CorpusRun run, CorpusSummary s, CorpusSettings settings, Box box)
    {
        (int first, int second) = s.Rank;
        string t1 = Ms(settings.TolerancesMs[first]), t2 = Ms(settings.TolerancesMs[second]);
        c.Text(box.X, box.Y + 14, $"F1 of each file at ±{t1} ms, sorted (tick: F1 at ±{t2} ms)", size: 13, weight: "bold");
        Box plot = box.Inset(left: 45, top: 30, right: 10, bottom: 20);
        LinearScale y = new(0, 1, plot.Bottom, plot.Y);
        List<CorpusFileResult> files = [.. run.Files.OrderBy(f => f.Result.ByTolerance[first].F1).ThenBy(f => f.Result.ByTolerance[second].F1)
            .ThenBy(f => f.Entry.Name, StringComparer.Ordinal)];
        LinearScale x = new(0, Math.Max(1, files.Count), plot.X, plot.Right);
        Axes(c, plot, x, y, [], [0, 0.2, 0.4, 0.6, 0.8, 1], _ => string.Empty, v => Fixed(v, 1));
        c.Text(plot.X - 32, plot.CenterY, "F1", anchor: "middle", rotate: true);
        for (int i = 0; i < files.Count; i++)
        {
            double f1 = files[i].Result.ByTolerance[first].F1, f2 = files[i].Result.ByTolerance[second].F1;
            double left = x.Map(i), width = Math.Max(0.5, (x.Map(i + 1) - left) * 0.8);
            c.Rect(left, y.Map(f1), width, plot.Bottom - y.Map(f1), Palette.Bar, "file-f1",
                $"{files[i].Entry.Name}: F1 {Fixed(f1, 3)} at ±{t1} ms, {Fixed(f2, 3)} at ±{t2} ms", f1: f1);
            c.Line(left, y.Map(f2), left + width, y.Map(f2), Palette.Median, 2, "file-f1-second");
        }
    }

    /// <summary>One row per group: a bar of its pooled F1 at the first ranking tolerance, a tick at the second, its label and counts.</summary>
    private static double DrawGroups(SvgCanvas c, CorpusSummary s, CorpusSettings settings, double top)
    {
        (int first, int second) = s.Rank;
        string t1 = Ms(settings.TolerancesMs[first]), t2 = Ms(settings.TolerancesMs[second]);
        c.Text(Margin, top + 14, $"Pooled F1 per group at ±{t1} ms (tick: ±{t2} ms)", size: 13, weight: "bold");
        const double labelWidth = 260;
        double left = Margin + labelWidth, right = Width - Margin - 60;
        double rowsTop = top + 40;
        LinearScale x = new(0, 1, left, right);
        foreach (double v in new[] { 0, 0.2, 0.4, 0.6, 0.8, 1 })
        {
            c.Text(x.Map(v), rowsTop - 6, Fixed(v, 1), size: 10, anchor: "middle", fill: Palette.Muted);
        }

        for (int i = 0; i < s.Groups.Count; i++)
        {
            CorpusGroup g = s.Groups[i];
            double rowTop = rowsTop + (i * GroupRowHeight);
            double f1 = g.Pool.ByTolerance[first].F1, f2 = g.Pool.ByTolerance[second].F1;
            c.Text(left - 8, rowTop + 13, $"{CorpusReport.GroupLabel(g)} ({g.Pool.Files} files, {g.Pool.TruthCount} truth)", anchor: "end");
            c.Line(left, rowTop + GroupRowHeight, right, rowTop + GroupRowHeight, Palette.Grid, 1);
            c.Rect(left, rowTop + 3, x.Map(f1) - left, GroupRowHeight - 6, Palette.Bar, "group-f1",
                $"{CorpusReport.GroupLabel(g)}: pooled F1 {Fixed(f1, 3)} at ±{t1} ms, {Fixed(f2, 3)} at ±{t2} ms", f1: f1);
            c.Line(x.Map(f2), rowTop + 1, x.Map(f2), rowTop + GroupRowHeight - 1, Palette.Median, 2, "group-f1-second");
            c.Text(right + 6, rowTop + 13, Fixed(f1, 3));
        }

        return rowsTop + (s.Groups.Count * GroupRowHeight);
    }

    /// <summary>A pooled row in the single-file result type, so the tolerance chart draws both alike.</summary>
    private static ToleranceResult AsToleranceResult(PooledResult p) =>
        new(p.ToleranceMs, double.NaN, p.TruePositives, p.FalsePositives, p.FalseNegatives, p.Precision, p.Recall, p.F1, Exact: true);
}
