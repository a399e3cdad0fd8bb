using System.Globalization;

namespace IolaEdge.Evaluation;

/// <summary>One walk of a corpus and how to score it: the single-file eval options that differ per file.</summary>
/// <param name="Name">How reports name the file: the index's <c>file</c> value, or the path as matched from <c>--input</c>.</param>
/// <param name="Path">The file to read.</param>
/// <param name="RateHz">Nominal sensor rate (the index's <c>rate_hz</c>, else <c>--rate-hz</c>).</param>
/// <param name="FromMs">Scored range start (the index's bound, else <c>--from-ms</c>).</param>
/// <param name="ToMs">Scored range end (the index's bound, else <c>--to-ms</c>).</param>
/// <param name="Columns">Values to filter and group by: every index column, plus <c>file</c> and the effective <c>rate_hz</c>.</param>
internal sealed record CorpusEntry(string Name, string Path, double RateHz, double? FromMs, double? ToMs, IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>The column every entry has: the name reports use.</summary>
    public const string FileColumn = "file";

    /// <summary>The column every entry has: the rate the file is evaluated at, as <see cref="FormatRate"/> writes it.</summary>
    public const string RateColumn = "rate_hz";

    /// <summary>A rate as the <c>rate_hz</c> column and the groups show it (shortest round-trip form, invariant).</summary>
    public static string FormatRate(double hz) => hz.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A corpus that cannot be assembled: a missing index or folder, a glob without matches, a bad column or value.</summary>
/// <remarks>The message is the one line eval prints; it names the file (and line) and the column.</remarks>
internal sealed class CorpusDefinitionException : Exception
{
    /// <summary>Creates the exception with the line to print.</summary>
    public CorpusDefinitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the line to print and its cause.</summary>
    public CorpusDefinitionException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message (for serializers and analyzers).</summary>
    public CorpusDefinitionException()
    {
    }
}
