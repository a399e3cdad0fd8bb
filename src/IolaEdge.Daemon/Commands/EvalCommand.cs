using System.CommandLine;
using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Evaluation;
using IolaEdge.Dsp.Evaluation;
using IolaEdge.Inference;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge eval</c>: scores a detector against a recording's footfall annotations.</summary>
internal sealed class EvalCommand : Command
{
    private readonly Option<string> _input = new("--input", "-i")
    {
        Description = "Session CSV to replay (timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType; comma or tab); its footfall rows are the truth.",
        Required = true,
    };

    private readonly Option<string> _detector = new("--detector")
    {
        Description = $"Detector to run: {string.Join(", ", DetectorFactory.Names)}.",
        DefaultValueFactory = _ => "dsp",
    };

    private readonly Option<string?> _model = new("--model")
    {
        Description = "ONNX model for a learned detector (its metadata JSON beside it); default: the shipped models/<detector>.onnx.",
    };

    private readonly Option<string> _tolerances = new("--tolerances")
    {
        Description = "Comma-separated matching tolerances in ms (inclusive, one-to-one optimal matching as score.py).",
        DefaultValueFactory = _ => "0,10,25,50,75,100,150,250",
    };

    private readonly Option<string?> _json = new("--json") { Description = "Also write the results as JSON to this file." };

    private readonly Option<string?> _detections = new("--detections")
    {
        Description = "Write the detections as CSV (header time_ms,score; epoch ms on the input's clock), e.g. for score.py --det.",
    };

    private readonly Option<string?> _plot = new("--plot")
    {
        HelpName = "FILE.svg",
        Description = "Also draw the run as one self-contained SVG (open in a browser): F1/precision/recall against tolerance, "
            + "a histogram of timing errors, a 30 s-per-row timeline of matched, missed (FN) and false (FP) events at ±100 ms, "
            + "and each pair's error against time. Same run, same bytes.",
    };

    private readonly Option<double?> _fromMs = new("--from-ms") { Description = "Score only events with time >= FROM (epoch ms)." };

    private readonly Option<double?> _toMs = new("--to-ms") { Description = "Score only events with time < TO (epoch ms)." };

    private readonly Option<double> _rate = new("--rate-hz")
    {
        Description = "Nominal sensor rate in Hz (sample clock, and tolerances in samples).",
        DefaultValueFactory = _ => 200,
    };

    private readonly Option<string[]> _set = new("--set")
    {
        Description = "Tune the detector: Detector:Dsp:KEY=VALUE (e.g. Detector:Dsp:SwingCosine=0.8) or Detector:Gate:KEY=VALUE, "
            + "checked like the daemon's configuration (repeatable; docs/configuration.md).",
        HelpName = "KEY=VALUE",
    };

    /// <summary>Creates the verb.</summary>
    public EvalCommand()
        : base("eval", "Replay a recorded walk through the sample clock, a detector and the decision gate, and score the "
            + "detections against the file's footfall rows: TP/FP/FN, precision, recall and F1 per tolerance (ms and samples), "
            + "timing errors, algorithmic latency, DCASE event/segment F1, annotation offset and RT factor. "
            + "Example: iolaedge eval --input walk.csv --json out.json --detections dets.csv --plot eval.svg")
    {
        Options.Add(_input);
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
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        string input = parse.GetValue(_input)!;
        string detector = parse.GetValue(_detector)!;
        EvaluationOptions options;
        DetectorOptions tuning;
        try
        {
            options = new EvaluationOptions
            {
                TolerancesMs = ParseTolerances(parse.GetValue(_tolerances)!),
                NominalRateHz = parse.GetValue(_rate),
                FromMs = parse.GetValue(_fromMs),
                ToMs = parse.GetValue(_toMs),
            }.Validate();
            if (!DetectorFactory.Names.Contains(detector))
            {
                throw new ArgumentException($"--detector: unknown detector '{detector}'; known: {string.Join(", ", DetectorFactory.Names)}");
            }

            tuning = DetectorOptions.FromSettings(RunOptionSet.ParseSetPairs(parse.GetValue(_set) ?? []), out List<string> problems);
            if (problems.Count > 0)
            {
                throw new ArgumentException("--set: " + string.Join("; ", problems));
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"eval: {e.Message}");
            return 2;
        }

        if (!File.Exists(input))
        {
            Console.Error.WriteLine($"eval: --input: file '{input}' not found");
            return 2;
        }

        EvalRun run;
        try
        {
            run = EvalRun.Execute(input, detector, options.NominalRateHz, parse.GetValue(_model), tuning);
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
        bool written = TryWrite(_json.Name, parse.GetValue(_json), path => File.WriteAllText(path, EvalReport.Json(run, result, options) + "\n"));
        written &= TryWrite(_detections.Name, parse.GetValue(_detections), path => DetectionsCsv.Write(path, run.Detections));
        written &= TryWrite(_plot.Name, parse.GetValue(_plot), path => EvalPlot.Write(path, run, result, options));
        return written ? 0 : 1;
    }

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

    private static List<double> ParseTolerances(string text)
    {
        List<double> result = [];
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) || !double.IsFinite(t) || t < 0)
            {
                throw new FormatException($"--tolerances: '{part}' is not a tolerance in ms (a number >= 0)");
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
