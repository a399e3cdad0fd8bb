using System.Text;

namespace IolaEdge.Evaluation;

/// <summary>Splits one line of an index CSV into fields (RFC 4180 quoting within a line).</summary>
/// <remarks>
/// Index files come from spreadsheets and scripts, which quote fields that hold commas (a <c>notes</c> column);
/// the recording CSV reader is for samples and is not meant for them. Quoted newlines are not supported: an index
/// row is one line.
/// </remarks>
internal static class CsvFields
{
    /// <summary>The fields of <paramref name="line"/>; unquoted fields are trimmed, quoted ones kept as written (with <c>""</c> unescaped).</summary>
    public static List<string> Split(string line)
    {
        List<string> fields = [];
        StringBuilder field = new();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = wasQuoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
                field.Clear();
                wasQuoted = false;
            }
            else
            {
                field.Append(ch);
            }
        }

        fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
        return fields;
    }
}
