using System.CommandLine;
using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Detectors;
using IolaEdge.Evaluation;
using IolaEdge.Inference;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge eval</c> on a corpus (a folder, a glob, several <c>--input</c> or <c>--index</c>): its own options and run.</summary>
internal sealed partial class EvalCommand
{
    private readonly Option<string?> _boundsColumns = new("--bounds-columns")
    {
        Description = "The two index columns giving each file's scored range (epoch ms), instead of from_ms,to_ms; each may add or "
            + "subtract ms (COLUMN+MS, COLUMN-MS). E.g. walk_start_ms,walk_end_ms+250: the range is from <= t < to, so this also "
            + "scores a footfall at exactly walk_end_ms.",
        HelpName = "FROM[+-MS],TO[+-MS]",
    };

    private readonly Option<string[]> _where = new("--where")
    {
        Description = "Corpus: evaluate only the files whose column has this value (COLUMN!=VALUE: all others, e.g. subject!=3 to leave a "
            + "subject out). Values of one column are alternatives, different columns must all hold (repeatable).",
        HelpName = "COLUMN=VALUE",
    };

    private readonly Option<string[]> _groupBy = new("--group-by")
    {
        Description = "Corpus: also report pooled scores per value of these columns (comma-separated; a+b groups by the pair). "
            + "Groups per rate_hz, and per subject and sensor when the index has them, are always shown.",
        HelpName = "COLUMN[,COLUMN|A+B]",
    };

    private readonly Option<int> _jobs = new("--jobs", "-j")
    {
        Description = "Corpus: files evaluated in parallel (default: the processor count). Results do not depend on it.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    private readonly Option<int> _worst = new("--worst")
    {
        Description = "Corpus: how many worst files to list (ranked by F1 at 100 ms, then 50 ms).",
        DefaultValueFactory = _ => 10,
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q")
    {
        Description = "Corpus: no progress lines on stderr (by default one per finished file, then the elapsed time).",
    };

    /// <summary>Evaluates a corpus: assembles and checks it, runs its files in parallel, prints and writes the report.</summary>
    /// <remarks>Everything that can be checked before a file runs is checked first (exit 2), so a typo does not cost a long run.</remarks>
    private int RunCorpus(ParseResult parse, string? index, string[] inputs, string detector, EvaluationOptions options, DetectorOptions tuning, NoteSettings notes)
    {
        Corpus corpus;
        List<CorpusEntry> entries;
        List<CorpusGrouping> groupings;
        string[] where = parse.GetValue(_where) ?? [];
        int jobs = parse.GetValue(_jobs), worst = parse.GetValue(_worst);
        try
        {
            if (parse.GetValue(_detections) is not null)
            {
                throw new CorpusDefinitionException("--detections: writes one file's detections; run eval --input FILE on the file you want them for");
            }

            if (jobs < 1 || worst < 0)
            {
                throw new CorpusDefinitionException(jobs < 1 ? $"--jobs: {jobs} is not a number of files at once (1 or more)" : $"--worst: {worst} is negative");
            }

            CorpusDefaults defaults = new(options.NominalRateHz, options.FromMs, options.ToMs);
            IReadOnlyList<string>? bounds = ParseBoundsColumns(parse.GetValue(_boundsColumns), index);
            corpus = index is null ? CorpusSource.FromInputs(inputs, defaults) : CorpusSource.FromIndex(index, defaults, bounds);
            CorpusFilter filter = new(where, corpus);
            groupings = CorpusGrouping.For(parse.GetValue(_groupBy) ?? [], corpus);
            entries = [.. corpus.Entries.Where(filter.Matches)];
            if (entries.Count == 0)
            {
                throw new CorpusDefinitionException($"--where: no file of {corpus.Index ?? "the inputs"} matches {string.Join(" and ", where)}");
            }

            // The detector and --set are the same for every file: build one per rate now, so that a bad model or gate value
            // is one line and exit 2, as for a single file, rather than the same failure once per file.
            foreach (double rate in entries.Select(e => e.RateHz).Distinct())
            {
                DetectorCatalog.Create(detector, rate, parse.GetValue(_model), tuning).Detector.Dispose();
            }
        }
        catch (CorpusDefinitionException e)
        {
            Console.Error.WriteLine($"eval: {e.Message}");
            return 2;
        }
        catch (ArgumentOutOfRangeException e)
        {
            Console.Error.WriteLine($"eval: --set: {ConfigurationProblems.Describe("Detector:Gate", e, $"with the gate of detector '{detector}'")}");
            return 2;
        }
        catch (ModelLoadException e)
        {
            Console.Error.WriteLine($"eval: --model: {e.Message}");
            return 2;
        }

        CorpusSettings settings = new(Choice(detector, parse.GetValue(_model), tuning), options.TolerancesMs) { Notes = notes };
        bool quiet = parse.GetValue(_quiet);
        Action<int, CorpusOutcome>? progress = quiet ? null
            : (done, outcome) => Console.Error.WriteLine(CorpusReport.Progress(done, entries.Count, outcome, settings.TolerancesMs));
        CorpusRun run = CorpusRunner.Execute(entries, settings, jobs, progress);
        if (!quiet)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"eval: {entries.Count} files in {run.Elapsed.TotalSeconds:0.0} s ({jobs} at once); {run.Errors.Count} failed"));
        }

        CorpusSummary summary = CorpusSummary.From(run, settings.TolerancesMs, groupings, worst);
        Console.Out.Write(CorpusReport.Table(corpus, run, summary, settings));
        bool written = TryWrite(_json.Name, parse.GetValue(_json), path => File.WriteAllText(path, CorpusReport.Json(corpus, run, summary, settings, where) + "\n"));
        written &= TryWrite(_plot.Name, parse.GetValue(_plot), path => CorpusPlot.Write(path, corpus, run, summary, settings));
        if (run.Files.Count == 0)
        {
            Console.Error.WriteLine($"eval: all {run.Errors.Count} files failed; nothing was scored");
            return 1;
        }

        return written ? 0 : 1;
    }

    /// <summary>
    /// <c>--bounds-columns FROM,TO</c>: exactly two columns, and only with an index. Each is checked against the index's
    /// header, offset included (<c>walk_end_ms+250</c>), by <see cref="BoundsColumn.Parse"/> when the index is read.
    /// </summary>
    private static string[]? ParseBoundsColumns(string? text, string? index)
    {
        if (text is null)
        {
            return null;
        }

        string[] columns = text.Split(',', StringSplitOptions.TrimEntries);
        if (columns.Length != 2 || columns.Any(c => c.Length == 0))
        {
            throw new CorpusDefinitionException($"--bounds-columns: '{text}' is not two column names FROM,TO");
        }

        return index is null ? throw new CorpusDefinitionException("--bounds-columns: names index columns; give --index") : columns;
    }
}
