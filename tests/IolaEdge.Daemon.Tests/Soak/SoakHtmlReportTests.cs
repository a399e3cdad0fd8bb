using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Soak;
using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Daemon.Tests.Soak;

/// <summary><c>soak --report FILE.html</c>: one self-contained page with the verdict, the checks and a plot per resource.</summary>
public sealed class SoakHtmlReportTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void The_page_is_well_formed_self_contained_and_plots_each_series_at_its_measured_values()
    {
        (SoakRun run, IReadOnlyList<SoakCheck> checks) = Run(ringDropsAtEnd: 0);

        XDocument page = Render(run, checks, ExitCodes.Success);
        string text = page.ToString();

        Assert.Equal("PASS", Element(page, "span", "verdict").Value);
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", text, StringComparison.OrdinalIgnoreCase); // nothing fetched from anywhere
        Assert.DoesNotContain(page.Descendants(), e => e.Attribute("src") is not null);
        foreach (string id in SoakHtmlReport.SeriesIds)
        {
            Assert.Single(page.Descendants("g"), g => (string?)g.Attribute("data-series") == id);
        }

        // Working set at 50, 60, 55 MB over 0..100 s: the line rises then falls, ending at the right edge.
        XElement workingSet = Series(page, "working_set_mb");
        (double X, double Y)[] points = Points(workingSet);
        Assert.Equal(3, points.Length);
        Assert.True(points[1].Y < points[0].Y && points[2].Y > points[1].Y, "SVG y grows downwards: 60 MB is drawn above 50 and 55");
        Assert.True(points[2].X > points[0].X);
        Assert.Equal(checks.Count, page.Descendants("tr").Count(r => r.Attribute("data-check") is not null));
    }

    [Fact]
    public void A_failed_soak_shows_FAIL_and_marks_the_failing_check()
    {
        (SoakRun run, IReadOnlyList<SoakCheck> checks) = Run(ringDropsAtEnd: 5);

        XDocument page = Render(run, checks, ExitCodes.SoakCheckFailed);

        Assert.Equal("FAIL", Element(page, "span", "verdict").Value);
        XElement drops = page.Descendants("tr").Single(r => (string?)r.Attribute("data-check") == "drops");
        Assert.Equal("fail", (string?)drops.Attribute("class"));
        Assert.Contains("exit code 6", page.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(Series(page, "ring_drops").Elements("polyline"));
    }

    [Fact]
    public void The_format_follows_the_file_name()
    {
        Assert.Equal(SoakReportFormat.Html, SoakHtmlReport.FormatFor("/tmp/soak.html"));
        Assert.Equal(SoakReportFormat.Html, SoakHtmlReport.FormatFor("SOAK.HTM"));
        Assert.Equal(SoakReportFormat.Json, SoakHtmlReport.FormatFor("soak.json"));
        Assert.Equal(SoakReportFormat.Json, SoakHtmlReport.FormatFor("soak"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_short_soak_writes_the_html_report_with_every_series_and_its_verdict()
    {
        using TempDirectory temp = new();
        string report = temp.File("soak.html");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "soak", "--minutes", "30", "--speed", "max", "--progress", "0.02", "--report", report, "--midi-file", temp.File("soak.mid"));

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        XDocument page = Load(File.ReadAllText(report));
        Assert.Equal("PASS", Element(page, "span", "verdict").Value);
        foreach (string id in SoakHtmlReport.SeriesIds)
        {
            Assert.Single(page.Descendants("g"), g => (string?)g.Attribute("data-series") == id);
        }

        Assert.True(Points(Series(page, "working_set_mb")).Length >= 3, "one point per resource sample");
        Assert.NotEmpty(Series(page, "algorithmic_p99_ms").Elements("polyline"));
        Assert.NotEmpty(Series(page, "processing_p99_ms").Elements("polyline")); // MIDI to a file: processing latency measured
    }

    private static (SoakRun Run, IReadOnlyList<SoakCheck> Checks) Run(long ringDropsAtEnd)
    {
        _ = ReplaySpeed.TryParse("max", out ReplaySpeed max);
        RunSnapshot session = new(Samples: 20000, Footfalls: 120, Annotations: 120, Rejected: 0, RingDrops: 0, MidiDrops: 0, ConsumerDrops: 0, PipelineAllocatedBytes: 0);
        List<ResourceSample> samples =
        [
            new(0, 50 << 20, 3 << 20, 0, 0, 0, 1 << 20, 17, 0.1, session with { Samples = 0, Footfalls = 0 }),
            new(50, 60 << 20, 4 << 20, 2, 1, 0, 2 << 20, 18, 5.1, session with { Footfalls = 60 }),
            new(100, 55 << 20, 3 << 20, 3, 1, 0, 3 << 20, 18, 9.1, session with { RingDrops = ringDropsAtEnd }),
        ];
        List<LatencyPoint> footfalls = [.. Enumerable.Range(0, 120).Select(i => new LatencyPoint((long)(i * 0.8e9), (long)(i * 0.8e9), 40 + (i % 7), 0.2f + (i % 3 * 0.1f)))];
        SoakRun run = new(new SoakPlan(2, max, false, "sim:seed=1,minutes=2", "dsp", "file", 50), samples, 99, RunEnd.SourceEnded, 0, footfalls);
        return (run, SoakChecks.Evaluate(run, new SoakOptions()));
    }

    private static XDocument Render(SoakRun run, IReadOnlyList<SoakCheck> checks, int exitCode)
    {
        LatencyFigures figures = new(120, 42, 45, 46, 46, 46);
        using MemoryStream stream = new();
        SoakHtmlReport.Write(stream, run, new SoakOptions(), checks, figures, figures, exitCode);
        return Load(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    // Well-formed: an XML reader accepts the whole page (the HTML5 doctype aside).
    private static XDocument Load(string html)
    {
        using XmlReader reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static XElement Element(XDocument page, string name, string id) =>
        page.Descendants(name).Single(e => (string?)e.Attribute("id") == id);

    private static XElement Series(XDocument page, string id) =>
        page.Descendants("g").Single(g => (string?)g.Attribute("data-series") == id);

    private static (double X, double Y)[] Points(XElement series) =>
        [.. series.Elements("polyline").SelectMany(p => ((string)p.Attribute("points")!).Split(' '))
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];
}
