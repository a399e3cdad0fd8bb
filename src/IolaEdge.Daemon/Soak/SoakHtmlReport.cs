using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Dsp;

namespace IolaEdge.Daemon.Soak;

/// <summary>How <c>soak --report FILE</c> writes its report.</summary>
internal enum SoakReportFormat
{
    /// <summary>The JSON document (<see cref="SoakReport"/>).</summary>
    Json,

    /// <summary>One self-contained HTML page with plots (<see cref="SoakHtmlReport"/>).</summary>
    Html,
}

/// <summary>
/// <c>soak --report FILE.html</c>: one self-contained page (inline CSS and SVG; no script, no external reference)
/// with the verdict and each check, then plots over time of working set and managed heap, GC collections, CPU,
/// latency percentiles and drops, then the final counters. Written as well-formed XML so that tools can read it too.
/// </summary>
internal static class SoakHtmlReport
{
    // Latency percentiles are taken per time slice: enough footfalls per slice for a p99 to mean something.
    private const int FootfallsPerSlice = 20;
    private const int MaxSlices = 60;

    /// <summary>The series ids of the plots, in page order (the tests look for each).</summary>
    public static readonly string[] SeriesIds =
    [
        "working_set_mb", "managed_heap_mb", "gen0_collections", "gen1_collections", "gen2_collections", "cpu_percent",
        "algorithmic_p50_ms", "algorithmic_p99_ms", "processing_p50_ms", "processing_p99_ms", "ring_drops", "midi_drops", "consumer_drops",
    ];

    /// <summary>Picks the format from the file name: <c>.html</c> or <c>.htm</c> is HTML, anything else JSON.</summary>
    public static SoakReportFormat FormatFor(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".HTML" or ".HTM" ? SoakReportFormat.Html : SoakReportFormat.Json;

    /// <summary>Writes the page to <paramref name="stream"/> (not closed).</summary>
    public static void Write(Stream stream, SoakRun run, SoakOptions limits, IReadOnlyList<SoakCheck> checks,
        LatencyFigures algorithmic, LatencyFigures processing, int exitCode)
    {
        bool failed = checks.Any(c => c.Outcome == CheckOutcome.Fail);
        string verdict = failed ? "FAIL" : "PASS";
        double end = run.Samples[^1].ElapsedSeconds;
        StringBuilder html = new();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<title>IolaEdge soak: ").Append(verdict).Append("</title>\n")
            .Append("<link rel=\"icon\" href=\"data:,\"/>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>IolaEdge soak <span id=\"verdict\" class=\"verdict ").Append(failed ? "fail" : "pass").Append("\">").Append(verdict).Append("</span></h1>\n");
        html.Append("<p class=\"plan\">").Append(E(Plan(run, exitCode))).Append("</p>\n");
        html.Append("<p class=\"limits\">").Append(E(Limits(limits))).Append("</p>\n");

        html.Append("<table id=\"checks\">\n<tr><th>outcome</th><th>check</th><th>value</th><th>limit</th><th>what it measures</th><th>detail</th></tr>\n");
        foreach (SoakCheck check in checks)
        {
            string outcome = check.Outcome switch { CheckOutcome.Pass => "pass", CheckOutcome.Fail => "fail", _ => "n/a" };
            string unit = check.Unit.Length > 0 ? " " + check.Unit : "";
            html.Append("<tr class=\"").Append(outcome == "n/a" ? "na" : outcome).Append("\" data-check=\"").Append(E(check.Name)).Append("\">")
                .Append("<td>").Append(outcome.ToUpperInvariant()).Append("</td><td>").Append(E(check.Name)).Append("</td>")
                .Append("<td>").Append(E(SoakCheck.Format(check.Value) + unit)).Append("</td>")
                .Append("<td>").Append(double.IsNaN(check.Limit) ? "" : E($"{check.BoundSymbol} {SoakCheck.Format(check.Limit)}{unit}")).Append("</td>")
                .Append("<td>").Append(E(check.Measures)).Append("</td><td>").Append(E(check.Detail)).Append("</td></tr>\n");
        }

        html.Append("</table>\n<h2>Over time</h2>\n");
        foreach (string chart in Charts(run, end))
        {
            html.Append("<figure>").Append(chart).Append("</figure>\n");
        }

        html.Append("<h2>At the end</h2>\n<table id=\"final\">\n");
        RunSnapshot s = run.Final;
        Row(html, "samples", s.Samples.ToString(CultureInfo.InvariantCulture));
        Row(html, "footfalls (truth)", Inv($"{s.Footfalls} ({s.Annotations})"));
        Row(html, "drops: ring / MIDI / consumers", Inv($"{s.RingDrops} / {s.MidiDrops} / {s.ConsumerDrops}"));
        Row(html, "bytes allocated on the pipeline thread", s.PipelineAllocatedBytes.ToString(CultureInfo.InvariantCulture));
        Row(html, "algorithmic latency p50 / p90 / p99 / p99.9 / max (ms)", Figures(algorithmic));
        Row(html, "processing latency p50 / p90 / p99 / p99.9 / max (ms)", Figures(processing));
        html.Append("</table>\n</body>\n</html>\n");

        byte[] bytes = Encoding.UTF8.GetBytes(html.ToString());
        stream.Write(bytes);
    }

    private static IEnumerable<string> Charts(SoakRun run, double end)
    {
        IReadOnlyList<ResourceSample> samples = run.Samples;
        ResourceSample first = samples[0];
        string[] c = SoakChart.Colors;

        yield return SoakChart.Render("memory", "Memory", "MB",
        [
            new("working_set_mb", "working set", c[0], [.. samples.Select(x => (x.ElapsedSeconds, x.WorkingSetBytes / ResourceSample.BytesPerMb))]),
            new("managed_heap_mb", "managed heap", c[1], [.. samples.Select(x => (x.ElapsedSeconds, x.ManagedHeapBytes / ResourceSample.BytesPerMb))]),
        ], end);

        yield return SoakChart.Render("gc", "Garbage collections since the start", "collections",
        [
            new("gen0_collections", "gen 0", c[0], [.. samples.Select(x => (x.ElapsedSeconds, (double)(x.Gen0Collections - first.Gen0Collections)))]),
            new("gen1_collections", "gen 1", c[1], [.. samples.Select(x => (x.ElapsedSeconds, (double)(x.Gen1Collections - first.Gen1Collections)))]),
            new("gen2_collections", "gen 2", c[2], [.. samples.Select(x => (x.ElapsedSeconds, (double)(x.Gen2Collections - first.Gen2Collections)))]),
        ], end);

        List<(double, double)> cpu = [];
        for (int i = 1; i < samples.Count; i++)
        {
            double dt = samples[i].ElapsedSeconds - samples[i - 1].ElapsedSeconds;
            if (dt > 0)
            {
                cpu.Add((samples[i].ElapsedSeconds, 100 * (samples[i].CpuSeconds - samples[i - 1].CpuSeconds) / dt));
            }
        }

        yield return SoakChart.Render("cpu", "CPU (process, % of one core, per sampling interval)", "%",
            [new("cpu_percent", "CPU", c[0], cpu)], end);

        (List<(double, double)> aP50, List<(double, double)> aP99, List<(double, double)> pP50, List<(double, double)> pP99) = LatencySlices(run, end);
        yield return SoakChart.Render("latency", "Latency percentiles per time slice", "ms",
        [
            new("algorithmic_p50_ms", "algorithmic p50", c[0], aP50),
            new("algorithmic_p99_ms", "algorithmic p99", c[5], aP99),
            new("processing_p50_ms", "processing p50", c[1], pP50),
            new("processing_p99_ms", "processing p99", c[4], pP99),
        ], end);

        yield return SoakChart.Render("drops", "Drops since the start", "events",
        [
            new("ring_drops", "ring", c[0], [.. samples.Select(x => (x.ElapsedSeconds, (double)x.Run.RingDrops))]),
            new("midi_drops", "MIDI", c[1], [.. samples.Select(x => (x.ElapsedSeconds, (double)x.Run.MidiDrops))]),
            new("consumer_drops", "consumers", c[2], [.. samples.Select(x => (x.ElapsedSeconds, (double)x.Run.ConsumerDrops))]),
        ], end);
    }

    // Equal time slices over the run; each slice's percentiles at its middle (NaN, a gap, for a slice without footfalls).
    private static (List<(double, double)>, List<(double, double)>, List<(double, double)>, List<(double, double)>) LatencySlices(SoakRun run, double end)
    {
        int slices = Math.Clamp(run.Footfalls.Count / FootfallsPerSlice, 1, MaxSlices);
        double width = (end > 0 ? end : 1) / slices;
        List<double>[] algorithmic = [.. Enumerable.Range(0, slices).Select(_ => new List<double>())];
        List<double>[] processing = [.. Enumerable.Range(0, slices).Select(_ => new List<double>())];
        foreach (LatencyPoint point in run.Footfalls)
        {
            double t = (point.ArrivalNs - run.StartNs) / 1e9;
            int slice = Math.Clamp((int)(t / width), 0, slices - 1);
            algorithmic[slice].Add(point.AlgorithmicMs);
            processing[slice].Add(point.ProcessingMs);
        }

        List<(double, double)> aP50 = [], aP99 = [], pP50 = [], pP99 = [];
        for (int i = 0; i < slices; i++)
        {
            double mid = (i + 0.5) * width;
            aP50.Add((mid, Percentile.Of(CollectionsMarshal.AsSpan(algorithmic[i]), 50)));
            aP99.Add((mid, Percentile.Of(CollectionsMarshal.AsSpan(algorithmic[i]), 99)));
            pP50.Add((mid, Percentile.Of(CollectionsMarshal.AsSpan(processing[i]), 50)));
            pP99.Add((mid, Percentile.Of(CollectionsMarshal.AsSpan(processing[i]), 99)));
        }

        return (aP50, aP99, pP50, pP99);
    }

    private static string Plan(SoakRun run, int exitCode)
    {
        SoakPlan p = run.Plan;
        string end = run.End switch
        {
            RunEnd.SourceEnded => "the source ended",
            RunEnd.DurationReached => "the duration was reached",
            RunEnd.Stopped => "stopped by signal",
            _ => "the source failed",
        };
        return Inv($"{p.Minutes} min of walk at speed {p.Speed}; source {p.Source}; detector {p.Detector}; MIDI {p.MidiBackend}; resources sampled every {p.ProgressIntervalSeconds} s ({run.Samples.Count} samples). The source ran {run.SourceSeconds:0.#} s and stopped because {end}; exit code {exitCode}.");
    }

    private static string Limits(SoakOptions l) =>
        Inv($"Limits: drops <= {l.MaxDrops}; pipeline <= {l.MaxPipelineBytesPerFootfall} B/footfall; working set growth <= {l.MaxWorkingSetGrowthMbPerHour} MB/h after {l.WarmupFraction:P0} warm-up (judged over >= {l.MinGrowthWindowMinutes} min); p99 drift <= x{l.MaxLatencyGrowthFactor} (floor {l.LatencyFloorMs} ms processing, {l.AlgorithmicLatencyFloorMs} ms algorithmic); footfalls within {l.MaxFootfallCountError:P0} of truth; duration within {l.DurationTolerance:P0}.");

    private static string Figures(LatencyFigures f) =>
        string.Join(" / ", new[] { f.P50, f.P90, f.P99, f.P999, f.Max }.Select(SoakCheck.Format)) + Inv($" (n = {f.Count})");

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static string E(string text) => SoakChart.Esc(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string Css =
        "body{font-family:'Liberation Sans',Arial,sans-serif;margin:24px;color:#222;max-width:1000px}"
        + "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
        + ".verdict{padding:2px 10px;border-radius:4px;color:#fff}.verdict.pass{background:#009e73}.verdict.fail{background:#d55e00}"
        + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}"
        + "tr.fail td:first-child{color:#d55e00;font-weight:bold}tr.pass td:first-child{color:#009e73;font-weight:bold}tr.na td:first-child{color:#777}"
        + "figure{margin:12px 0}.title{font-size:14px;font-weight:bold;fill:#222}.tick{font-size:11px;fill:#555}.legend{font-size:11px;fill:#222}"
        + "p{font-size:13px}";
}
