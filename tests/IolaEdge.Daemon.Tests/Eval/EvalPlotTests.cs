using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using IolaEdge.Daemon.Commands;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Simulation;

namespace IolaEdge.Daemon.Tests.Eval;

public sealed class EvalPlotTests : IDisposable
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string BundledWalk => Path.Combine(AppContext.BaseDirectory, "data", "walks", "bundled-walk.csv");

    private static int Run(params string[] args)
    {
        RootCommand root = new("test");
        root.Subcommands.Add(new EvalCommand());
        return root.Parse(args).Invoke();
    }

    /// <summary>Runs eval with --plot and --json on <paramref name="walk"/>; returns the parsed SVG and JSON.</summary>
    private (XDocument Svg, JsonElement Json) Plot(string walk, params string[] extra)
    {
        string svg = _dir.File($"plot-{Guid.NewGuid():N}.svg");
        string json = _dir.File($"eval-{Guid.NewGuid():N}.json");
        Assert.Equal(0, Run(["eval", "--input", walk, "--plot", svg, "--json", json, .. extra]));
        return (XDocument.Load(svg), JsonDocument.Parse(File.ReadAllText(json)).RootElement.Clone());
    }

    private string SimulatedWalk(double seconds, int seed)
    {
        string path = _dir.File($"walk-{seed}.csv");
        SmallRecording.Write(path, seconds, seed);
        return path;
    }

    private static int Marks(XDocument svg, params string[] classes) =>
        svg.Descendants().Count(e => classes.All(c => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(c)));

    private static JsonElement ResultAt(JsonElement json, double toleranceMs) =>
        json.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("tolerance_ms").GetDouble() == toleranceMs);

    private static int Counter(JsonElement json, string name) => json.GetProperty("counters").GetProperty(name).GetInt32();

    [Fact]
    public void The_plot_is_an_svg_document_with_one_tick_per_scored_truth_and_detection()
    {
        (XDocument svg, JsonElement json) = Plot(SimulatedWalk(90, seed: 11));

        Assert.Equal(s_svg + "svg", svg.Root!.Name);
        Assert.True(Counter(json, "truth_events") > 50);
        Assert.Equal(Counter(json, "truth_events"), Marks(svg, "truth"));
        Assert.Equal(Counter(json, "detections"), Marks(svg, "det"));
    }

    [Fact]
    public void Timeline_colours_matched_missed_and_false_events_as_the_100_ms_scoring_counts_them()
    {
        (XDocument svg, JsonElement json) = Plot(SimulatedWalk(90, seed: 12));
        JsonElement at100 = ResultAt(json, 100);
        int tp = at100.GetProperty("tp").GetInt32();

        Assert.Equal(tp, Marks(svg, "truth", "tp"));
        Assert.Equal(tp, Marks(svg, "det", "tp"));
        Assert.Equal(at100.GetProperty("fn").GetInt32(), Marks(svg, "truth", "fn"));
        Assert.Equal(at100.GetProperty("fp").GetInt32(), Marks(svg, "det", "fp"));
        Assert.Equal(tp, Marks(svg, "pair-error")); // the error-against-time scatter has one point per pair
    }

    [Fact]
    public void Misses_and_false_detections_are_drawn_where_the_detector_gets_it_wrong()
    {
        // On the bundled walk the detections land about 70-100 ms after the annotations, so at ±100 ms many events are unmatched.
        (XDocument svg, JsonElement json) = Plot(BundledWalk);
        JsonElement at100 = ResultAt(json, 100);

        Assert.True(at100.GetProperty("fp").GetInt32() > 0);
        Assert.Equal(at100.GetProperty("fn").GetInt32(), Marks(svg, "fn"));
        Assert.Equal(at100.GetProperty("fp").GetInt32(), Marks(svg, "fp"));
        Assert.Equal(at100.GetProperty("tp").GetInt32() * 2, Marks(svg, "tp"));
    }

    [Fact]
    public void The_histogram_holds_every_pair_matched_at_the_largest_tolerance_up_to_250_ms()
    {
        (XDocument svg, JsonElement json) = Plot(BundledWalk);

        int binned = svg.Descendants(s_svg + "rect").Where(e => (string?)e.Attribute("class") == "bin").Sum(e => (int)e.Attribute("data-count")!);
        Assert.Equal(ResultAt(json, 250).GetProperty("tp").GetInt32(), binned);
        Assert.Single(svg.Descendants(s_svg + "rect"), e => (string?)e.Attribute("class") == "band");
        Assert.Equal(2, Marks(svg, "median")); // histogram and scatter
    }

    [Fact]
    public void The_tolerance_chart_has_a_point_per_evaluated_tolerance_and_the_header_quotes_the_one_nearest_100_ms()
    {
        (XDocument svg, JsonElement json) = Plot(SimulatedWalk(60, seed: 13), "--tolerances", "25,90,300");

        Assert.Equal(3, Marks(svg, "f1-point"));
        string header = svg.Descendants(s_svg + "text").First().Value;
        // The JSON holds F1 to 4 decimals, the header to 3: compare values, not strings (0.57449 is "0.574"
        // in the header and 0.5745 in the JSON).
        Match quoted = Regex.Match(header, @"F1 (\d\.\d{3}) at ±90 ms");
        Assert.True(quoted.Success, header);
        double f1 = ResultAt(json, 90).GetProperty("f1").GetDouble();
        Assert.InRange(double.Parse(quoted.Groups[1].Value, CultureInfo.InvariantCulture), f1 - 0.0006, f1 + 0.0006);
        Assert.Equal(ResultAt(json, 90).GetProperty("tp").GetInt32(), Marks(svg, "truth", "tp"));
        Assert.Contains(svg.Descendants(s_svg + "text"), t => t.Value.Contains("matched at ±90 ms", StringComparison.Ordinal)
            && t.Value.StartsWith("Timing error", StringComparison.Ordinal));
    }

    [Fact]
    public void The_range_options_limit_the_plot_to_the_scored_events()
    {
        string walk = SimulatedWalk(90, seed: 14);
        double start = WalkSimulator.DefaultStartNs / 1e6;
        (XDocument svg, JsonElement json) = Plot(walk,
            "--from-ms", (start + 20_000).ToString(CultureInfo.InvariantCulture), "--to-ms", (start + 50_000).ToString(CultureInfo.InvariantCulture));

        int truth = Counter(json, "truth_events");
        Assert.InRange(truth, 10, 40);
        Assert.Equal(truth, Marks(svg, "truth"));
        Assert.Equal(Counter(json, "detections"), Marks(svg, "det"));
    }

    [Fact]
    public void The_same_run_writes_the_same_bytes()
    {
        string first = _dir.File("first.svg");
        string second = _dir.File("second.svg");
        Assert.Equal(0, Run("eval", "--input", BundledWalk, "--plot", first));
        Assert.Equal(0, Run("eval", "--input", BundledWalk, "--plot", second));

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void An_unwritable_plot_path_fails_naming_the_option_with_exit_code_1()
    {
        string path = _dir.File(Path.Combine("no-such-dir", "plot.svg"));
        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(_dir.Path, TimeSpan.FromSeconds(60), null,
            "eval", "--input", BundledWalk, "--plot", path);

        Assert.Equal(1, code);
        Assert.StartsWith("eval: --plot: ", stderr, StringComparison.Ordinal);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.Contains("detector=dsp", stdout, StringComparison.Ordinal); // the scores are still reported
    }
}
