using IolaEdge.Daemon.Detectors;
using System.CommandLine;
using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Evaluation;
using IolaEdge.Inference;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge eval</c>: scores a detector against a recording's footfall annotations.</summary>
internal sealed partial class EvalCommand : Command
{
    private readonly Option<string[]> _input = new("--input", "-i")
    {
        Description = "Recording CSV to replay (timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType[,gyroscopeX,gyroscopeY,gyroscopeZ]; comma or tab); "
            + "its footfall rows are the truth. A folder (every *.csv directly in it), a glob ('walks/*.csv', quoted or not) or several "
            + "--input values evaluate a corpus.",
        HelpName = "FILE|FOLDER|GLOB",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _index = new("--index")
    {
        Description = "Evaluate the corpus an index CSV lists: a 'file' column (relative to the index's folder), optional per-file "
            + "rate_hz, from_ms, to_ms (they override --rate-hz/--from-ms/--to-ms), subject, sensor, and any columns to --where/--group-by on.",
        HelpName = "FILE.csv",
    };

    private readonly Option<string> _detector = new("--detector")
    {
        Description = DetectorCatalog.OptionHelp,
        HelpName = "NAME",
        DefaultValueFactory = _ => DetectorCatalog.Default,
    };

    private readonly Option<string?> _model = new("--model")
    {
        Description = DetectorCatalog.ModelOptionHelp,
    };

    private readonly Option<string> _tolerances = new("--tolerances")
    {
        Description = "Comma-separated matching tolerances in ms (inclusive, one-to-one optimal matching as score.py).",
        DefaultValueFactory = _ => "0,10,25,50,75,100,150,250",
    };

    private readonly Option<string?> _json = new("--json") { Description = "Also write the results as JSON to this file." };

    private readonly Option<string?> _detections = new("--detections")
    {
        Description = "Write the detections as CSV (header time_ms,score; epoch ms on the input's clock), e.g. for score.py --det. One file only.",
    };

    private readonly Option<string?> _plot = new("--plot")
    {
        HelpName = "FILE.svg",
        Description = "Also draw the run as one self-contained SVG (open in a browser): F1/precision/recall against tolerance, "
            + "a histogram of timing errors, a 30 s-per-row timeline of matched, missed (FN) and false (FP) events at ±100 ms, "
            + "and each pair's error against time. Same run, same bytes. For a corpus: pooled F1/precision/recall against tolerance, "
            + "the pooled timing-error histogram, each file's F1 (sorted bars) and each group's pooled F1.",
    };

    private readonly Option<double?> _fromMs = new("--from-ms") { Description = "Score only events with time >= FROM (epoch ms); an index's per-file value overrides it." };

    private readonly Option<double?> _toMs = new("--to-ms") { Description = "Score only events with time < TO (epoch ms); an index's per-file value overrides it." };

    private readonly Option<double> _rate = new("--rate-hz")
    {
        Description = "Nominal sensor rate in Hz (sample clock, and tolerances in samples); an index's rate_hz overrides it per file.",
        DefaultValueFactory = _ => 200,
    };

    private readonly Option<double> _outputLatency = new("--output-latency-ms")
    {
        Description = "Notes: time from sending a note to hearing it (link + synth), as Midi:Mapping's OutputLatencyMs. A detected note is heard this long "
            + "after its decision; a predicted note is sent this long before its footfall. Both triggers (detect, predict) are scored.",
        DefaultValueFactory = _ => NoteSettings.DefaultOutputLatencyMs,
    };

    private readonly Option<double> _confirmWindow = new("--confirm-window-ms")
    {
        Description = "Notes: a detection this close to a predicted footfall confirms its note, as Midi:Mapping's ConfirmWindowMs.",
        DefaultValueFactory = _ => NoteSettings.DefaultConfirmWindowMs,
    };

    private readonly Option<double> _maxLate = new("--max-late-ms")
    {
        Description = "Notes: in predict, a detected (fallback) note that would sound later than this after its footfall is not played, as Midi:Mapping's MaxLateMs.",
        DefaultValueFactory = _ => NoteSettings.DefaultMaxLateMs,
    };

    private readonly Option<string[]> _set = new("--set")
    {
        Description = "Tune the detector: Detector:Dsp:KEY=VALUE (e.g. Detector:Dsp:SwingCosine=0.8) or Detector:Gate:KEY=VALUE, "
            + "or the gait tracker: Detector:Gait:KEY=VALUE (e.g. Detector:Gait:LandingCosine=0.6), checked like the daemon's configuration (repeatable; docs/configuration.md).",
        HelpName = "KEY=VALUE",
    };

    /// <summary>Creates the verb.</summary>
    public EvalCommand()
        : base("eval", "Replay a recorded walk through the sample clock, a detector and the decision gate, and score the "
            + "detections against the file's footfall rows: TP/FP/FN, precision, recall and F1 per tolerance (ms and samples), "
            + "timing errors, algorithmic latency, DCASE event/segment F1, annotation offset and RT factor. "
            + "Many walks at once (a folder, a glob, several --input, or --index FILE.csv) are evaluated in parallel, each exactly as on its own, "
            + "and reported per file, pooled (TP/FP/FN summed, then F1), worst files first and per group; failed files are listed, not fatal. "
            + "Exit codes: 0 scored; 1 an output could not be written, the input was unreadable, or every file of a corpus failed; "
            + "2 a bad option, a missing input, or a bad corpus (index without 'file', unknown column, bad value, glob without match). "
            + "Examples: iolaedge eval --input walk.csv --json out.json --detections dets.csv --plot eval.svg; "
            + "iolaedge eval --index walks/index.csv --rate-hz 100 --group-by foot --where subject!=3 --json corpus.json --plot corpus.svg")
    {
        Options.Add(_input);
        Options.Add(_index);
        Options.Add(_detector);
        Options.Add(_model);
        Options.Add(_tolerances);
        Options.Add(_json);
        Options.Add(_detections);
        Options.Add(_plot);
        Options.Add(_fromMs);
        Options.Add(_toMs);
        Options.Add(_rate);
        Options.Add(_set);
        Options.Add(_outputLatency);
        Options.Add(_confirmWindow);
        Options.Add(_maxLate);

        // Corpus-only options after the ones every eval takes, so that --help reads as before for one file.
        Options.Add(_boundsColumns);
        Options.Add(_where);
        Options.Add(_groupBy);
        Options.Add(_jobs);
        Options.Add(_worst);
        Options.Add(_quiet);
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        string[] inputs = parse.GetValue(_input) ?? [];
        string? index = parse.GetValue(_index);
        string detector = parse.GetValue(_detector)!;
        EvaluationOptions options;
        DetectorOptions tuning;
        NoteSettings notes;
        try
        {
            options = new EvaluationOptions
            {
                TolerancesMs = ParseTolerances(parse.GetValue(_tolerances)!),
                NominalRateHz = CheckedRate(parse.GetValue(_rate)),
                FromMs = parse.GetValue(_fromMs),
                ToMs = parse.GetValue(_toMs),
            };
            if (options.FromMs is double from && options.ToMs is double to && !(to > from))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"--to-ms {to} must be greater than --from-ms {from}"));
            }

            options.Validate();
            if (DetectorCatalog.Problem("--detector", detector) is { } unknown)
            {
                throw new ArgumentException(unknown);
            }

            tuning = DetectorOptions.FromSettings(RunOptionSet.ParseSetPairs(parse.GetValue(_set) ?? []), out List<string> problems);
            if (problems.Count > 0)
            {
                throw new ArgumentException("--set: " + string.Join("; ", problems));
            }

            notes = NoteSettings.Checked(parse.GetValue(_outputLatency), parse.GetValue(_confirmWindow), parse.GetValue(_maxLate), tuning.Gait, problems);
            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join("; ", problems));
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"eval: {e.Message}");
            return 2;
        }

        if (index is null && inputs.Length == 0)
        {
            Console.Error.WriteLine("eval: give --input (a file, a folder or a glob) or --index FILE.csv");
            return 2;
        }

        if (index is not null && inputs.Length > 0)
        {
            Console.Error.WriteLine("eval: give --input or --index, not both (list every file in the index instead)");
            return 2;
        }

        // One plain file is the single-file eval, unchanged; anything else (a folder, a glob, several inputs, an index) is a corpus.
        if (index is not null || inputs.Length > 1 || CorpusSource.IsPattern(inputs[0]) || Directory.Exists(inputs[0]))
        {
            return RunCorpus(parse, index, inputs, detector, options, tuning, notes);
        }

        foreach (Option option in new Option[] { _where, _groupBy, _boundsColumns })
        {
            if (parse.GetResult(option) is not null)
            {
                Console.Error.WriteLine($"eval: {option.Name}: applies to a corpus (a folder, a glob, several --input or --index), not to one file");
                return 2;
            }
        }

        string input = inputs[0];
        if (!File.Exists(input))
        {
            Console.Error.WriteLine($"eval: --input: file '{input}' not found");
            return 2;
        }

        EvalRun run;
        try
        {
            run = EvalRun.Execute(input, Choice(detector, parse.GetValue(_model), tuning), options.NominalRateHz, notes);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // A gate override in its own range but not with this detector's gate.
            Console.Error.WriteLine($"eval: --set: {ConfigurationProblems.Describe("Detector:Gate", e, $"with the gate of detector '{detector}'")}");
            return 2;
        }
        catch (ModelLoadException e)
        {
            Console.Error.WriteLine($"eval: --model: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"eval: {input}: {e.Message}");
            return 1;
        }

        EvaluationResult result = run.Score(options);
        Console.Out.Write(EvalReport.Table(run, result));
        Console.Out.Write(NoteReport.Text(run, options));
        bool written = TryWrite(_json.Name, parse.GetValue(_json), path => File.WriteAllText(path, EvalReport.Json(run, result, options) + "\n"));
        written &= TryWrite(_detections.Name, parse.GetValue(_detections), path => DetectionsCsv.Write(path, run.Detections));
        written &= TryWrite(_plot.Name, parse.GetValue(_plot), path => EvalPlot.Write(path, run, result, options));
        return written ? 0 : 1;
    }

    /// <summary>Detector <paramref name="name"/> as evaluation builds it from the catalog: one fresh instance per file and rate.</summary>
    internal static DetectorChoice Choice(string name, string? modelPath, DetectorOptions? tuning) =>
        new(DetectorCatalog.Canonical(name), rate => DetectorCatalog.Create(name, rate, modelPath, tuning));

    /// <summary>Writes one requested output; a failure names the option and does not stop the other outputs.</summary>
    /// <remarks>The scores are already on the console, so one bad path should not cost the other files.</remarks>
    private static bool TryWrite(string option, string? path, Action<string> write)
    {
        if (path is null)
        {
            return true;
        }

        try
        {
            write(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"eval: {option}: {e.Message}");
            return false;
        }
    }

    // EvaluationOptions' ranges, checked here so that a mistake is one line naming the option rather than the key behind it.
    private const int MaxToleranceMs = 10_000;

    private static double CheckedRate(double hz) => hz is >= 1 and <= 10_000
        ? hz
        : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"--rate-hz: {hz} is not a sensor rate (1 to 10000 Hz)"));

    private static List<double> ParseTolerances(string text)
    {
        List<double> result = [];
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) || !(t >= 0 && t <= MaxToleranceMs))
            {
                throw new FormatException($"--tolerances: '{part}' is not a tolerance in ms (0 to {MaxToleranceMs})");
            }

            result.Add(t);
        }

        if (result.Count == 0)
        {
            throw new FormatException("--tolerances: at least one tolerance is required");
        }

        return result;
    }
}
