using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using IolaEdge.Daemon.Commands;
using IolaEdge.Evaluation;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Recording;
using IolaEdge.Simulation;

namespace IolaEdge.Daemon.Tests.Eval;

/// <summary>
/// <c>iolaedge eval</c> over a corpus. The walks are simulated into a temp folder with an index written here, so the
/// tests need no shared data; they are short (20–30 s each) to keep the class within a few seconds.
/// </summary>
public sealed class CorpusEvalTests : IDisposable
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";
    private static readonly string[] s_tolerances = ["25", "50", "100", "150"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static double StartMs => WalkSimulator.DefaultStartNs / 1e6;

    private static string Ms(double ms) => ms.ToString("R", CultureInfo.InvariantCulture);

    private static int Run(params string[] args)
    {
        RootCommand root = new("test");
        root.Subcommands.Add(new EvalCommand());
        return root.Parse(args).Invoke();
    }

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();

    private string Walk(string name, double seconds, int seed)
    {
        string path = _dir.File(name);
        SmallRecording.Write(path, seconds, seed);
        return path;
    }

    /// <summary>Every other sample of a walk: a 100 Hz recording of it.</summary>
    private string Decimated(string source, string name)
    {
        string path = _dir.File(name);
        int sample = 0;
        File.WriteAllLines(path, File.ReadLines(source).Where(l => !l.Contains(",sample", StringComparison.Ordinal) || sample++ % 2 == 0));
        return path;
    }

    /// <summary>Four walks of two subjects and two sensors; one at 100 Hz, one with its own scored range. Returns the index path.</summary>
    private string Corpus()
    {
        Walk("a.csv", 25, seed: 21);
        Walk("b.csv", 25, seed: 22);
        Walk("c.csv", 30, seed: 23);
        Decimated(Walk("d-200.csv", 25, seed: 24), "d.csv");
        File.Delete(_dir.File("d-200.csv"));
        string index = _dir.File("index.csv");
        File.WriteAllLines(index,
        [
            "file,subject,sensor,rate_hz,walk_start,walk_end,notes",
            "a.csv,1,left,,,,plain",
            $"b.csv,1,right,200,{Ms(StartMs + 5_000)},{Ms(StartMs + 20_000)},\"bounded, quoted\"",
            "c.csv,2,left,,,,",
            "d.csv,2,right,100,,,decimated",
        ]);
        return index;
    }

    /// <summary>The tp/fp/fn of <c>eval --input FILE</c> with <paramref name="extra"/> options, per tolerance.</summary>
    private (int Tp, int Fp, int Fn)[] Single(string file, params string[] extra)
    {
        string json = _dir.File($"single-{Guid.NewGuid():N}.json");
        Assert.Equal(0, Run(["eval", "--input", file, "--json", json, "--tolerances", string.Join(',', s_tolerances), .. extra]));
        return Counts(ReadJson(json).GetProperty("results"));
    }

    private static (int Tp, int Fp, int Fn)[] Counts(JsonElement results) =>
        [.. results.EnumerateArray().Select(r => (r.GetProperty("tp").GetInt32(), r.GetProperty("fp").GetInt32(), r.GetProperty("fn").GetInt32()))];

    private JsonElement Corpus(out int code, params string[] args)
    {
        string json = _dir.File($"corpus-{Guid.NewGuid():N}.json");
        code = Run(["eval", .. args, "--json", json, "--tolerances", string.Join(',', s_tolerances), "--quiet"]);
        return ReadJson(json);
    }

    [Fact]
    public void Pooled_counts_are_the_sums_of_single_file_evals_with_each_files_rate_and_bounds()
    {
        string index = Corpus();
        JsonElement json = Corpus(out int code, "--index", index, "--bounds-columns", "walk_start,walk_end");
        Assert.Equal(0, code);

        // Each file scored exactly as eval --input with the options its index row gives.
        (int Tp, int Fp, int Fn)[][] singles =
        [
            Single(_dir.File("a.csv")),
            Single(_dir.File("b.csv"), "--rate-hz", "200", "--from-ms", Ms(StartMs + 5_000), "--to-ms", Ms(StartMs + 20_000)),
            Single(_dir.File("c.csv")),
            Single(_dir.File("d.csv"), "--rate-hz", "100"),
        ];
        JsonElement[] files = [.. json.GetProperty("files").EnumerateArray()];
        Assert.Equal(["a.csv", "b.csv", "c.csv", "d.csv"], files.Select(f => f.GetProperty("file").GetString()));
        for (int i = 0; i < files.Length; i++)
        {
            Assert.Equal(singles[i], Counts(files[i].GetProperty("eval").GetProperty("results")));
        }

        (int Tp, int Fp, int Fn)[] pooled = Counts(json.GetProperty("pooled").GetProperty("results"));
        for (int k = 0; k < s_tolerances.Length; k++)
        {
            Assert.Equal((singles.Sum(s => s[k].Tp), singles.Sum(s => s[k].Fp), singles.Sum(s => s[k].Fn)), pooled[k]);
        }

        Assert.Equal(100, files[3].GetProperty("rate_hz").GetDouble());
        Assert.Equal(StartMs + 5_000, files[1].GetProperty("from_ms").GetDouble());
        Assert.Equal("bounded, quoted", files[1].GetProperty("columns").GetProperty("notes").GetString());
        Assert.True(pooled[2].Tp > 30, $"the simulated walks should mostly match at 100 ms; tp {pooled[2].Tp}");
    }

    [Fact]
    public void Groups_per_rate_subject_and_sensor_always_appear_and_group_by_adds_combinations()
    {
        JsonElement json = Corpus(out int code, "--index", Corpus(), "--group-by", "notes,subject+sensor");
        Assert.Equal(0, code);

        string[] groups = [.. json.GetProperty("groups").EnumerateArray().Select(g => $"{g.GetProperty("by").GetString()}={g.GetProperty("value").GetString()}")];
        Assert.Equal(["rate_hz=100", "rate_hz=200", "subject=1", "subject=2", "sensor=left", "sensor=right"], groups.Take(6));
        Assert.Contains("subject+sensor=2/right", groups);
        Assert.Contains("notes=decimated", groups);

        // A group pools its files: subject 1 is a.csv + b.csv.
        JsonElement subject1 = json.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("by").GetString() == "subject" && g.GetProperty("value").GetString() == "1");
        JsonElement[] files = [.. json.GetProperty("files").EnumerateArray().Take(2)];
        Assert.Equal(files.Sum(f => f.GetProperty("eval").GetProperty("results")[2].GetProperty("tp").GetInt32()),
            subject1.GetProperty("results")[2].GetProperty("tp").GetInt32());
        Assert.Equal(2, subject1.GetProperty("files").GetInt32());
    }

    [Fact]
    public void Where_keeps_or_leaves_out_files_by_column_value()
    {
        string index = Corpus();
        string Files(params string[] where) => string.Join(' ', Corpus(out _, ["--index", index, .. where.SelectMany(w => new[] { "--where", w })])
            .GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file").GetString()));

        Assert.Equal("a.csv b.csv", Files("subject=1"));
        Assert.Equal("c.csv d.csv", Files("subject!=1"));
        Assert.Equal("a.csv d.csv", Files("file=a.csv", "file=d.csv"));
        Assert.Equal("d.csv", Files("subject=2", "rate_hz=100"));
    }

    [Fact]
    public void Failed_files_are_listed_and_counted_and_only_a_corpus_where_all_fail_is_an_error()
    {
        Walk("good.csv", 20, seed: 31);
        File.WriteAllLines(_dir.File("no-truth.csv"), File.ReadLines(Walk("t.csv", 20, seed: 32)).Where(l => !l.Contains("footfall", StringComparison.Ordinal)));
        File.WriteAllText(_dir.File("not-a-session.csv"), "1,2,3\n");
        string index = _dir.File("index.csv");
        File.WriteAllLines(index, ["file", "good.csv", "missing.csv", "no-truth.csv", "not-a-session.csv"]);

        JsonElement json = Corpus(out int code, "--index", index);
        Assert.Equal(0, code);
        Assert.Equal(1, json.GetProperty("corpus").GetProperty("scored").GetInt32());
        Assert.Equal(3, json.GetProperty("corpus").GetProperty("failed").GetInt32());
        Assert.Equal(["missing.csv", "no-truth.csv", "not-a-session.csv"], json.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("file").GetString()));
        Assert.Contains("no footfall rows", json.GetProperty("errors")[1].GetProperty("error").GetString(), StringComparison.Ordinal);

        JsonElement allFail = Corpus(out code, "--index", index, "--where", "file!=good.csv");
        Assert.Equal(1, code);
        Assert.Equal(0, allFail.GetProperty("corpus").GetProperty("scored").GetInt32());
    }

    [Fact]
    public void A_file_without_one_well_formed_sample_fails_naming_its_first_bad_line_and_lines_skipped_elsewhere_are_totalled()
    {
        string[] lines = File.ReadAllLines(Walk("walk.csv", 20, seed: 34));
        int firstSample = Array.FindIndex(lines, l => l.Contains(",sample", StringComparison.Ordinal));
        int sampleRow = 0;
        string Spoilt(string line, Func<int, bool> which) =>
            line.Contains(",sample", StringComparison.Ordinal) && which(sampleRow++) ? "x" + line[line.IndexOf(',', StringComparison.Ordinal)..] : line;
        File.WriteAllLines(_dir.File("all-bad.csv"), lines.Select(l => Spoilt(l, _ => true)));
        sampleRow = 0;
        File.WriteAllLines(_dir.File("some-bad.csv"), lines.Select(l => Spoilt(l, i => i % 10 == 0)));
        int spoilt = (lines.Count(l => l.Contains(",sample", StringComparison.Ordinal)) + 9) / 10;
        string index = _dir.File("index.csv");
        File.WriteAllLines(index, ["file", "walk.csv", "some-bad.csv", "all-bad.csv"]);

        JsonElement json = Corpus(out int code, "--index", index);

        Assert.Equal(0, code);
        Assert.Equal(["walk.csv", "some-bad.csv"], json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file").GetString()));
        Assert.Equal(spoilt, json.GetProperty("pooled").GetProperty("malformed_lines").GetInt64());
        JsonElement error = Assert.Single(json.GetProperty("errors").EnumerateArray());
        Assert.Equal("all-bad.csv", error.GetProperty("file").GetString());
        Assert.Equal($"no well-formed sample row: {lines.Length - 1 - lines.Count(l => l.Contains(",footfall", StringComparison.Ordinal))} malformed lines "
            + $"(first: line {firstSample + 1}: timestamp 'x' is not a time in ms)", error.GetProperty("error").GetString());
    }

    [Fact]
    public void A_file_whose_scored_range_holds_no_truth_is_a_failure_not_a_zero()
    {
        Walk("a.csv", 20, seed: 33);
        string index = _dir.File("index.csv");
        File.WriteAllLines(index, ["file,from_ms,to_ms", $"a.csv,{Ms(StartMs + 3_600_000)},{Ms(StartMs + 3_700_000)}", "a.csv,,"]);

        JsonElement json = Corpus(out int code, "--index", index);
        Assert.Equal(0, code);
        Assert.Contains("scored range", json.GetProperty("errors")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, json.GetProperty("corpus").GetProperty("scored").GetInt32());
    }

    /// <summary>The truth footfall times of a walk, in ms as eval reads them.</summary>
    private static List<double> Truth(string path)
    {
        List<double> truth = [];
        using RecordingCsvReader reader = RecordingCsvReader.Open(path);
        while (reader.TryRead(out RecordedRow row))
        {
            if (row.Kind == RecordedRowKind.Footfall)
            {
                truth.Add(EvalRun.Milliseconds(row.TimeNs));
            }
        }

        return truth;
    }

    [Fact]
    public void A_bounds_column_offset_moves_the_scored_range_so_a_footfall_at_the_columns_time_is_scored_with_plus_ms_and_not_without()
    {
        List<double> truth = Truth(Walk("a.csv", 20, seed: 35));
        double start = truth[2], end = truth[^4]; // both ends exactly on a footfall
        string index = _dir.File("index.csv");
        File.WriteAllLines(index, ["file,walk_start,walk_end", $"a.csv,{Ms(start)},{Ms(end)}", "a.csv,,"]);
        int Scored(string bounds)
        {
            JsonElement json = Corpus(out int code, "--index", index, "--bounds-columns", bounds);
            Assert.Equal(0, code);
            return json.GetProperty("files")[0].GetProperty("eval").GetProperty("counters").GetProperty("truth_events").GetInt32();
        }

        int plain = Scored("walk_start,walk_end");
        Assert.Equal(truth.Count(t => t >= start && t < end), plain);
        Assert.Equal(plain + 1, Scored("walk_start,walk_end+0.5"));  // the footfall at walk_end is now in
        Assert.Equal(plain - 1, Scored("walk_start+0.5,walk_end"));  // the one at walk_start is now out
        double back = Math.Ceiling(start - truth[1]) + 1; // reaches the footfall before walk_start
        Assert.Equal(plain + 2, Scored($"walk_start-{Ms(back)},walk_end+0.5"));

        // The offset applies to the column's values; an empty cell still takes --from-ms / --to-ms as they are.
        Corpus corpus = CorpusSource.FromIndex(index, new CorpusDefaults(200, 1_000, 2_000), ["walk_start-100", "walk_end+250"]);
        Assert.Equal([(start - 100, end + 250), (1_000, 2_000)], corpus.Entries.Select(e => (e.FromMs!.Value, e.ToMs!.Value)));
    }

    [Fact]
    public void A_column_whose_name_holds_a_sign_is_taken_whole_and_can_still_have_an_offset()
    {
        string index = _dir.File("index.csv");
        File.WriteAllLines(index, ["file,walk-start,walk-end", "a.csv,1000,2000"]);

        CorpusEntry entry = Assert.Single(CorpusSource.FromIndex(index, new CorpusDefaults(200, null, null), ["walk-start", "walk-end-100"]).Entries);
        Assert.Equal((1_000.0, 1_900.0), (entry.FromMs, entry.ToMs));
    }

    [Theory]
    [InlineData("walk_start,walk_end+abc", "'walk_end+abc': 'abc' is not an offset in ms")]
    [InlineData("walk_start,walk_end+", "'walk_end+': '' is not an offset in ms")]
    [InlineData("walk_start+1e3,walk_end", "'walk_start+1e3': '1e3' is not an offset in ms")]
    [InlineData("walk_start,walk_end-2.5.1", "'walk_end-2.5.1': '2.5.1' is not an offset in ms")]
    [InlineData("walk_start,walk_end+Infinity", "'walk_end+Infinity': 'Infinity' is not an offset in ms")]
    public void A_bad_bounds_offset_fails_with_exit_code_2_and_one_line_naming_the_text(string bounds, string message)
    {
        string index = _dir.File("index.csv");
        File.WriteAllLines(index, ["file,walk_start,walk_end", "a.csv,1000,2000"]);
        Assert.Equal(2, Run("eval", "--index", index, "--quiet", "--bounds-columns", bounds));

        CorpusDefinitionException e = Assert.Throws<CorpusDefinitionException>(
            () => CorpusSource.FromIndex(index, new CorpusDefaults(200, null, null), bounds.Split(',')));
        Assert.StartsWith("--bounds-columns: " + message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("file\nmissing.csv\n", "--where", "subject=1", "--where: ", "has no column 'subject'")]
    [InlineData("file\na.csv\n", "--group-by", "sensor", "--group-by: ", "has no column 'sensor'")]
    [InlineData("file\na.csv\n", "--bounds-columns", "start,end", "--bounds-columns: ", "has no column 'start'")]
    [InlineData("file,walk_end\na.csv,1\n", "--bounds-columns", "nosuch+5,walk_end+250", "--bounds-columns: ", "has no column 'nosuch' (columns: file, walk_end)")]
    [InlineData("file,from_ms,to_ms\na.csv,20,30\n", "--bounds-columns", "from_ms,to_ms-15", "--index: ", "line 2: the range ends (to_ms-15 15) before it starts (from_ms 20)")]
    [InlineData("name,rate_hz\na.csv,100\n", "", "", "--index: ", "no 'file' column")]
    [InlineData("file,rate_hz\na.csv,fast\n", "", "", "--index: ", "line 2: column 'rate_hz': 'fast' is not a rate in Hz")]
    [InlineData("file,from_ms,to_ms\na.csv,20,10\n", "", "", "--index: ", "line 2: the range ends (to_ms 10) before it starts (from_ms 20)")]
    public void A_bad_corpus_definition_fails_with_exit_code_2_and_one_line_naming_the_column(string index, string option, string value, string prefix, string message)
    {
        string path = _dir.File("index.csv");
        File.WriteAllText(path, index);
        string[] options = option.Length > 0 ? [option, value] : [];
        Assert.Equal(2, Run(["eval", "--index", path, "--quiet", .. options]));

        CorpusDefinitionException e = Assert.Throws<CorpusDefinitionException>(() =>
        {
            Corpus corpus = CorpusSource.FromIndex(path, new CorpusDefaults(200, null, null), option == "--bounds-columns" ? value.Split(',') : null);
            _ = new CorpusFilter(option == "--where" ? [value] : [], corpus);
            _ = CorpusGrouping.For(option == "--group-by" ? [value] : [], corpus);
        });
        Assert.StartsWith(prefix, e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Missing_inputs_fail_with_exit_code_2()
    {
        Assert.Equal(2, Run("eval", "--index", _dir.File("no-index.csv")));
        Assert.Equal(2, Run("eval", "--input", _dir.File("*.csv"))); // nothing matches yet
        Assert.Equal(2, Run("eval", "--input", _dir.Path));          // a folder without CSV files
        Assert.Equal(2, Run("eval", "--input", _dir.File("nothing-here")));
        Assert.Equal(2, Run("eval"));
    }

    [Fact]
    public void A_folder_a_glob_and_several_inputs_name_the_same_sorted_files()
    {
        Walk("b.csv", 20, seed: 41);
        Walk("a.csv", 20, seed: 42);
        File.WriteAllText(_dir.File("notes.txt"), "not a walk");
        Directory.CreateDirectory(_dir.File("sub"));
        File.Copy(_dir.File("a.csv"), _dir.File(Path.Combine("sub", "c.csv")));
        CorpusDefaults defaults = new(200, null, null);

        string[] Names(params string[] inputs) => [.. CorpusSource.FromInputs(inputs, defaults).Entries.Select(e => Path.GetFileName(e.Path))];
        Assert.Equal(["a.csv", "b.csv"], Names(_dir.Path));                                 // not recursive
        Assert.Equal(["a.csv", "b.csv"], Names(_dir.File("*.csv")));
        Assert.Equal(["a.csv", "b.csv", "c.csv"], Names(_dir.File("*.csv"), _dir.File("s?b/*.csv")));
        Assert.Equal(["a.csv", "b.csv"], Names(_dir.File("a.csv"), _dir.Path));            // a file named twice counts once
        Assert.Equal(["b.csv"], Names(_dir.File("b*.csv")));

        // Unquoted, the shell has expanded the glob: several values after one --input.
        JsonElement json = Corpus(out int code, "--input", _dir.File("a.csv"), _dir.File("b.csv"));
        Assert.Equal(0, code);
        Assert.Equal(2, json.GetProperty("files").GetArrayLength());
    }

    [Fact]
    public void Results_and_their_order_do_not_depend_on_the_number_of_jobs()
    {
        string index = Corpus();
        static string Scores(JsonElement j) => string.Join('|', j.GetProperty("pooled").GetProperty("results").GetRawText(),
            j.GetProperty("worst").GetRawText(), j.GetProperty("groups").GetRawText(),
            string.Join(',', j.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file").GetString())));

        Assert.Equal(Scores(Corpus(out _, "--index", index, "--jobs", "1")), Scores(Corpus(out _, "--index", index, "--jobs", "4")));
    }

    [Fact]
    public void The_json_holds_files_pooled_timing_and_latency_worst_groups_and_errors()
    {
        JsonElement json = Corpus(out _, "--index", Corpus(), "--worst", "2");

        Assert.Equal(["corpus", "pooled", "files", "worst", "groups", "errors"], json.EnumerateObject().Select(p => p.Name));
        JsonElement pooled = json.GetProperty("pooled");
        int pairs = json.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("eval").GetProperty("timing").GetProperty("pairs").GetInt32());
        Assert.Equal(pairs, pooled.GetProperty("timing").GetProperty("pairs").GetInt32());
        Assert.Equal(100, pooled.GetProperty("timing").GetProperty("tolerance_ms").GetDouble());
        Assert.True(pooled.GetProperty("timing").GetProperty("p90_abs_error_ms").GetDouble() >= pooled.GetProperty("timing").GetProperty("median_abs_error_ms").GetDouble());
        Assert.Equal(pooled.GetProperty("detections").GetInt32(), pooled.GetProperty("latency_ms").GetProperty("detections").GetInt32());
        Assert.True(pooled.GetProperty("latency_ms").GetProperty("p50").GetDouble() >= 0); // 0: decided on the footfall's own sample
        Assert.True(pooled.GetProperty("latency_ms").GetProperty("p90").GetDouble() > 0);

        JsonElement worst = json.GetProperty("worst");
        Assert.Equal([100.0, 50], worst.GetProperty("ranked_by_f1_at_ms").EnumerateArray().Select(v => v.GetDouble()));
        double[] f1 = [.. worst.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("f1")[0].GetDouble())];
        Assert.Equal(2, f1.Length);
        Assert.True(f1[0] <= f1[1]);
        double best = json.GetProperty("files").EnumerateArray().Max(f => f.GetProperty("eval").GetProperty("results")[2].GetProperty("f1").GetDouble());
        Assert.True(f1[1] <= best);
        Assert.Equal(0, json.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void The_plot_is_one_well_formed_svg_with_a_bar_per_file_and_per_group()
    {
        string index = Corpus();
        string svg = _dir.File("corpus.svg"), again = _dir.File("again.svg");
        JsonElement json = Corpus(out int code, "--index", index, "--plot", svg);
        Assert.Equal(0, code);
        Assert.Equal(0, Run("eval", "--index", index, "--plot", again, "--tolerances", string.Join(',', s_tolerances), "--quiet", "--jobs", "1"));

        XDocument doc = XDocument.Load(svg);
        Assert.Equal(s_svg + "svg", doc.Root!.Name);
        int Marks(string cls) => doc.Descendants().Count(e => (string?)e.Attribute("class") == cls);
        Assert.Equal(4, Marks("file-f1"));
        Assert.Equal(json.GetProperty("groups").GetArrayLength(), Marks("group-f1"));
        Assert.Equal(s_tolerances.Length, Marks("f1-point"));
        int binned = doc.Descendants(s_svg + "rect").Where(e => (string?)e.Attribute("class") == "bin").Sum(e => (int)e.Attribute("data-count")!);
        Assert.Equal(json.GetProperty("pooled").GetProperty("timing").GetProperty("pairs").GetInt32(), binned);
        Assert.Equal(File.ReadAllBytes(svg), File.ReadAllBytes(again)); // same corpus, same bytes, whatever --jobs
    }

    [Fact]
    public void Progress_names_each_finished_file_on_stderr_and_bad_input_is_one_line_without_a_stack_trace()
    {
        string index = Corpus();
        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(_dir.Path, TimeSpan.FromSeconds(60), null, "eval", "--index", index, "--jobs", "2");
        Assert.Equal(0, code);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal(["[1/4]", "[2/4]", "[3/4]", "[4/4]"], lines.Take(4).Select(l => l.Split(' ')[0]));
        Assert.All(lines.Take(4), l => Assert.Matches(@"^\[\d/4\] [a-d]\.csv  F1@50 \d\.\d{3}  F1@100 \d\.\d{3}$", l));
        Assert.Matches(@"^eval: 4 files in \d+\.\d s \(2 at once\); 0 failed$", lines[4]);
        Assert.StartsWith("eval corpus: 4 files from ", stdout, StringComparison.Ordinal);

        (code, _, stderr) = IolaEdgeProcess.Run(_dir.Path, TimeSpan.FromSeconds(60), null, "eval", "--index", index, "--where", "walker=3");
        Assert.Equal(2, code);
        Assert.Equal($"eval: --where: {index} has no column 'walker' (columns: file, subject, sensor, rate_hz, walk_start, walk_end, notes)", stderr.Trim());
    }
}
