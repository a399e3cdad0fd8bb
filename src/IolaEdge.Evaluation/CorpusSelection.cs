namespace IolaEdge.Evaluation;

/// <summary>
/// <c>--where</c>: which entries of a corpus to evaluate. <c>COLUMN=VALUE</c> keeps the entries with that value and
/// <c>COLUMN!=VALUE</c> drops them; several values of one column are alternatives (subject=1 or subject=2), different
/// columns must all hold. <c>subject!=3</c> is how a subject is left out.
/// </summary>
internal sealed class CorpusFilter
{
    private readonly Dictionary<string, HashSet<string>> _keep = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _drop = new(StringComparer.Ordinal);

    /// <summary>Parses the <c>--where</c> values against the columns of <paramref name="corpus"/>.</summary>
    /// <exception cref="CorpusDefinitionException">A value without <c>=</c> or naming an unknown column.</exception>
    public CorpusFilter(IEnumerable<string> conditions, Corpus corpus)
    {
        foreach (string condition in conditions)
        {
            int eq = condition.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CorpusDefinitionException($"--where: '{condition}' is not COLUMN=VALUE or COLUMN!=VALUE");
            }

            bool negated = condition[eq - 1] == '!';
            string column = condition[..(negated ? eq - 1 : eq)].Trim();
            CorpusGrouping.CheckColumn("--where", column, corpus);
            Dictionary<string, HashSet<string>> target = negated ? _drop : _keep;
            if (!target.TryGetValue(column, out HashSet<string>? values))
            {
                target[column] = values = new HashSet<string>(StringComparer.Ordinal);
            }

            values.Add(condition[(eq + 1)..].Trim());
        }
    }

    /// <summary>Whether <paramref name="entry"/> is evaluated.</summary>
    public bool Matches(CorpusEntry entry) =>
        _keep.All(k => k.Value.Contains(entry.Columns[k.Key])) && !_drop.Any(d => d.Value.Contains(entry.Columns[d.Key]));
}

/// <summary>
/// One way of grouping a corpus's files: by one column, or by a combination written <c>a+b</c>
/// (a group per value pair, shown <c>1/left</c>).
/// </summary>
/// <param name="Columns">The columns whose values make a group's key.</param>
internal sealed record CorpusGrouping(IReadOnlyList<string> Columns)
{
    /// <summary>Index columns grouped by without being asked, when a corpus has them.</summary>
    private static readonly string[] s_automatic = ["subject", "sensor"];

    /// <summary>How reports name the grouping: the columns joined with <c>+</c>.</summary>
    public string Name => string.Join('+', Columns);

    /// <summary>The group <paramref name="entry"/> falls in.</summary>
    public string KeyOf(CorpusEntry entry) => string.Join('/', Columns.Select(c => entry.Columns[c]));

    /// <summary>
    /// The groupings a report shows: per rate always, per <c>subject</c> and per <c>sensor</c> when the corpus has
    /// those columns, then each <c>--group-by</c> value (comma-separated groupings; <c>a+b</c> combines columns), without repeats.
    /// </summary>
    /// <exception cref="CorpusDefinitionException">A <c>--group-by</c> column the corpus does not have.</exception>
    public static List<CorpusGrouping> For(IEnumerable<string> groupBy, Corpus corpus)
    {
        List<CorpusGrouping> groupings = [new([CorpusEntry.RateColumn])];
        foreach (string automatic in s_automatic.Where(corpus.Columns.Contains))
        {
            groupings.Add(new([automatic]));
        }

        foreach (string item in groupBy.SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            string[] parts = item.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (string column in parts)
            {
                CheckColumn("--group-by", column, corpus);
            }

            if (parts.Length > 0 && !groupings.Any(g => g.Name == string.Join('+', parts)))
            {
                groupings.Add(new(parts));
            }
        }

        return groupings;
    }

    /// <summary>Throws naming <paramref name="option"/>, the column and the columns there are.</summary>
    /// <exception cref="CorpusDefinitionException"><paramref name="column"/> is not a column of <paramref name="corpus"/>.</exception>
    public static void CheckColumn(string option, string column, Corpus corpus)
    {
        if (!corpus.Columns.Contains(column))
        {
            string source = corpus.Index ?? "the --input files (they have no index)";
            throw new CorpusDefinitionException($"{option}: {source} has no column '{column}' (columns: {string.Join(", ", corpus.Columns)})");
        }
    }
}
