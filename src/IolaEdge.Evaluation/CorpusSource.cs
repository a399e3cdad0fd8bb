using System.Globalization;
using System.IO.Enumeration;

namespace IolaEdge.Evaluation;

/// <summary>The command-line defaults a file of a corpus gets unless its index row says otherwise.</summary>
/// <param name="RateHz"><c>--rate-hz</c>.</param>
/// <param name="FromMs"><c>--from-ms</c>.</param>
/// <param name="ToMs"><c>--to-ms</c>.</param>
internal sealed record CorpusDefaults(double RateHz, double? FromMs, double? ToMs);

/// <summary>
/// One of the two <c>--bounds-columns</c>: an index column and milliseconds added to each of its values, so that a scored
/// range can reach past the column (ipol1's <c>walk_end_ms</c> is the last labelled heel strike, which <c>from &lt;= t &lt; to</c>
/// leaves out unless the range ends after it: <c>walk_end_ms+250</c>).
/// </summary>
/// <param name="Text">As given (<c>walk_end_ms+250</c>), for messages.</param>
/// <param name="Column">The index column.</param>
/// <param name="OffsetMs">Added to the column's non-empty values; an empty cell still takes <c>--from-ms</c>/<c>--to-ms</c> as they are.</param>
internal sealed record BoundsColumn(string Text, string Column, double OffsetMs)
{
    /// <summary>
    /// <c>COLUMN</c>, <c>COLUMN+MS</c> or <c>COLUMN-MS</c> (MS a non-negative integer or decimal) for the index at
    /// <paramref name="indexPath"/>. A header column named exactly <paramref name="text"/> is taken whole, so a name that
    /// holds a sign (<c>walk-end</c>) means what it did before offsets; otherwise the offset follows the last sign.
    /// </summary>
    /// <exception cref="CorpusDefinitionException">The offset is not such a number, or the column is not in <paramref name="header"/>.</exception>
    public static BoundsColumn Parse(string text, IReadOnlyList<string> header, string indexPath)
    {
        int sign = text.LastIndexOfAny(['+', '-']);
        if (header.Contains(text) || sign < 1)
        {
            return new BoundsColumn(text, Checked(text, header, indexPath), 0);
        }

        // Only digits and a decimal point: an exponent's sign (1e+3) would be taken for the one that ends the column.
        string offset = text[(sign + 1)..];
        if (!double.TryParse(offset, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double ms) || !double.IsFinite(ms))
        {
            throw new CorpusDefinitionException(
                $"--bounds-columns: '{text}': '{offset}' is not an offset in ms (COLUMN, COLUMN+MS or COLUMN-MS, e.g. walk_end_ms+250)");
        }

        return new BoundsColumn(text, Checked(text[..sign], header, indexPath), text[sign] == '-' ? -ms : ms);
    }

    private static string Checked(string column, IReadOnlyList<string> header, string indexPath) => header.Contains(column) ? column
        : throw new CorpusDefinitionException($"--bounds-columns: {indexPath} has no column '{column}' (columns: {string.Join(", ", header)})");
}

/// <summary>The walks of a corpus, in report order, and the columns they can be filtered and grouped by.</summary>
/// <param name="Entries">The files, in index order (an index) or sorted by path (folders and globs).</param>
/// <param name="Columns">Column names every entry has a value for.</param>
/// <param name="Index">The index file, or null for folders and globs.</param>
internal sealed record Corpus(IReadOnlyList<CorpusEntry> Entries, IReadOnlyList<string> Columns, string? Index);

/// <summary>Assembles a corpus from <c>--input</c> files, folders and globs, or from an <c>--index</c> CSV.</summary>
/// <remarks>Every problem is a <see cref="CorpusDefinitionException"/> raised before any file is evaluated, so a typo costs no run.</remarks>
internal static class CorpusSource
{
    /// <summary>Index columns that give the scored range unless <c>--bounds-columns</c> names others.</summary>
    public static readonly IReadOnlyList<string> DefaultBoundsColumns = ["from_ms", "to_ms"];

    // Range of EvaluationOptions.NominalRateHz, so that a bad rate is reported with its line rather than by the scorer.
    private const double MinRateHz = 1, MaxRateHz = 10_000;

    /// <summary>Whether <paramref name="input"/> is a glob (<c>*</c> or <c>?</c>) rather than a path.</summary>
    public static bool IsPattern(string input) => input.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Files named by <c>--input</c>: files as given, every <c>*.csv</c> directly in a folder, the matches of a glob.</summary>
    /// <exception cref="CorpusDefinitionException">An input that names nothing, a folder without CSV files, a glob without matches.</exception>
    public static Corpus FromInputs(IReadOnlyList<string> inputs, CorpusDefaults defaults)
    {
        List<CorpusEntry> entries = [];
        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (string input in inputs)
        {
            IEnumerable<string> files;
            if (IsPattern(input))
            {
                files = Glob(input);
                if (!files.Any())
                {
                    throw new CorpusDefinitionException($"--input: '{input}' matches no file");
                }
            }
            else if (Directory.Exists(input))
            {
                // Not recursive: a folder of walks is flat, and sub-folders often hold outputs (plots, detections).
                files = Directory.EnumerateFiles(input)
                    .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (!files.Any())
                {
                    throw new CorpusDefinitionException($"--input: folder '{input}' holds no *.csv file");
                }
            }
            else if (File.Exists(input))
            {
                files = [input];
            }
            else
            {
                throw new CorpusDefinitionException($"--input: '{input}' not found (no such file or folder)");
            }

            foreach (string file in files)
            {
                if (seen.Add(Path.GetFullPath(file)))
                {
                    Dictionary<string, string> columns = new(StringComparer.Ordinal)
                    {
                        [CorpusEntry.FileColumn] = file,
                        [CorpusEntry.RateColumn] = CorpusEntry.FormatRate(defaults.RateHz),
                    };
                    entries.Add(new CorpusEntry(file, file, defaults.RateHz, defaults.FromMs, defaults.ToMs, columns));
                }
            }
        }

        return new Corpus(entries, [CorpusEntry.FileColumn, CorpusEntry.RateColumn], null);
    }

    /// <summary>
    /// Files listed by an index CSV: a <c>file</c> column (relative to the index's folder) and optional per-file
    /// <c>rate_hz</c> and bounds columns, whose non-empty values override <paramref name="defaults"/>; every column can
    /// be filtered and grouped by.
    /// </summary>
    /// <param name="indexPath">The index CSV.</param>
    /// <param name="defaults">Values for empty or absent per-file columns.</param>
    /// <param name="boundsColumns">
    /// The two columns giving from/to (epoch ms), each optionally with an offset (<see cref="BoundsColumn.Parse"/>);
    /// null for <see cref="DefaultBoundsColumns"/>, which may be absent.
    /// </param>
    /// <exception cref="CorpusDefinitionException">The index is missing or unreadable, lacks a named column, or holds a bad value (file, line and column named).</exception>
    public static Corpus FromIndex(string indexPath, CorpusDefaults defaults, IReadOnlyList<string>? boundsColumns)
    {
        if (!File.Exists(indexPath))
        {
            throw new CorpusDefinitionException($"--index: '{indexPath}' not found");
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(indexPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CorpusDefinitionException($"--index: {indexPath}: {e.Message}", e);
        }

        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
        {
            throw new CorpusDefinitionException($"--index: {indexPath}: empty (a header with a 'file' column is required)");
        }

        List<string> header = CsvFields.Split(lines[0]);
        string known = string.Join(", ", header);
        if (header.Distinct(StringComparer.Ordinal).Count() != header.Count)
        {
            throw new CorpusDefinitionException($"--index: {indexPath}: a column name appears twice in the header ({known})");
        }

        if (!header.Contains(CorpusEntry.FileColumn))
        {
            throw new CorpusDefinitionException($"--index: {indexPath}: no '{CorpusEntry.FileColumn}' column (columns: {known})");
        }

        (BoundsColumn fromBound, BoundsColumn toBound) = boundsColumns is null
            ? (new BoundsColumn(DefaultBoundsColumns[0], DefaultBoundsColumns[0], 0), new BoundsColumn(DefaultBoundsColumns[1], DefaultBoundsColumns[1], 0))
            : (BoundsColumn.Parse(boundsColumns[0], header, indexPath), BoundsColumn.Parse(boundsColumns[1], header, indexPath));
        string folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        List<CorpusEntry> entries = [];
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            string where = $"{indexPath} line {i + 1}";
            List<string> fields = CsvFields.Split(lines[i]);
            if (fields.Count != header.Count)
            {
                throw new CorpusDefinitionException($"--index: {where}: {fields.Count} fields, the header has {header.Count}");
            }

            Dictionary<string, string> columns = new(StringComparer.Ordinal);
            for (int c = 0; c < header.Count; c++)
            {
                columns[header[c]] = fields[c];
            }

            string file = columns[CorpusEntry.FileColumn];
            if (file.Length == 0)
            {
                throw new CorpusDefinitionException($"--index: {where}: column '{CorpusEntry.FileColumn}' is empty");
            }

            double rate = Number(columns, CorpusEntry.RateColumn, where, "a rate in Hz") ?? defaults.RateHz;
            if (rate is < MinRateHz or > MaxRateHz)
            {
                throw new CorpusDefinitionException(
                    $"--index: {where}: column '{CorpusEntry.RateColumn}': {rate.ToString(CultureInfo.InvariantCulture)} is outside {MinRateHz}..{MaxRateHz} Hz");
            }

            double? from = (Number(columns, fromBound.Column, where, "a time in epoch ms") + fromBound.OffsetMs) ?? defaults.FromMs;
            double? to = (Number(columns, toBound.Column, where, "a time in epoch ms") + toBound.OffsetMs) ?? defaults.ToMs;
            if (from is double f && to is double t && t <= f)
            {
                throw new CorpusDefinitionException(
                    $"--index: {where}: the range ends ({toBound.Text} {t.ToString(CultureInfo.InvariantCulture)}) before it starts ({fromBound.Text} {f.ToString(CultureInfo.InvariantCulture)})");
            }

            columns[CorpusEntry.RateColumn] = CorpusEntry.FormatRate(rate);
            entries.Add(new CorpusEntry(file, Path.Combine(folder, file), rate, from, to, columns));
        }

        return new Corpus(entries, [.. header.Union([CorpusEntry.RateColumn], StringComparer.Ordinal)], indexPath);
    }

    /// <summary>The value of <paramref name="column"/> as a number; null when the column is absent or the cell empty.</summary>
    private static double? Number(Dictionary<string, string> columns, string column, string where, string what)
    {
        if (!columns.TryGetValue(column, out string? text) || text.Length == 0)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new CorpusDefinitionException($"--index: {where}: column '{column}': '{text}' is not {what}");
        }

        return value;
    }

    /// <summary>
    /// Expands a glob the way a shell would (<c>*</c> and <c>?</c> within one path segment, hidden names only when
    /// the segment starts with a dot), so that a quoted pattern works the same as an unquoted one; sorted by path.
    /// </summary>
    public static List<string> Glob(string pattern)
    {
        bool absolute = Path.IsPathRooted(pattern);
        string[] segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        List<string> current = [absolute ? "/" : string.Empty];
        for (int s = 0; s < segments.Length; s++)
        {
            string segment = segments[s];
            bool last = s == segments.Length - 1;
            List<string> next = [];
            foreach (string prefix in current)
            {
                string folder = prefix.Length == 0 ? "." : prefix;
                if (!IsPattern(segment))
                {
                    string path = Path.Join(prefix, segment);
                    if (last ? File.Exists(path) : Directory.Exists(path))
                    {
                        next.Add(path);
                    }

                    continue;
                }

                if (!Directory.Exists(folder))
                {
                    continue;
                }

                IEnumerable<string> names = (last ? Directory.EnumerateFiles(folder) : Directory.EnumerateDirectories(folder)).Select(Path.GetFileName)!;
                foreach (string name in names)
                {
                    if ((name.StartsWith('.') && !segment.StartsWith('.')) || !FileSystemName.MatchesSimpleExpression(segment, name, ignoreCase: false))
                    {
                        continue;
                    }

                    next.Add(Path.Join(prefix, name));
                }
            }

            current = next;
        }

        current.Sort(StringComparer.Ordinal);
        return current;
    }
}
