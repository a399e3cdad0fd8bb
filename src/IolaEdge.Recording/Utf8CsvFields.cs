using System.Buffers.Text;

namespace IolaEdge.Recording;

/// <summary>Field-level parsing of a recording CSV line, on UTF-8 bytes without allocating.</summary>
internal static class Utf8CsvFields
{
    private const long NsPerMs = 1_000_000;

    /// <summary>2^53: beyond it a double no longer holds every integer, so a decimal there is not read as one.</summary>
    private const double ExactDoubleInteger = 9_007_199_254_740_992;

    internal static bool TryOptionalLong(ReadOnlySpan<byte> line, Span<Range> fields, int count, int column, ref long value)
    {
        if (column < 0 || column >= count)
        {
            return true;
        }

        ReadOnlySpan<byte> f = Field(line, fields[column]);
        return f.IsEmpty || TryParseWholeNumber(f, out value);
    }

    internal static bool TryOptionalInt(ReadOnlySpan<byte> line, Span<Range> fields, int count, int column, ref int value)
    {
        if (column < 0 || column >= count)
        {
            return true;
        }

        ReadOnlySpan<byte> f = Field(line, fields[column]);
        if (f.IsEmpty)
        {
            return true;
        }

        if (!TryParseWholeNumber(f, out long whole) || whole is > int.MaxValue or < int.MinValue)
        {
            return false;
        }

        value = (int)whole;
        return true;
    }

    /// <summary>
    /// An integer, or a decimal whose value is one (<c>17.0</c>, <c>1.7e1</c>): tables that once held a missing
    /// value write their integer columns that way, and the row is no less readable for it.
    /// </summary>
    internal static bool TryParseWholeNumber(ReadOnlySpan<byte> f, out long value)
    {
        if (Utf8Parser.TryParse(f, out value, out int used) && used == f.Length)
        {
            return true;
        }

        value = 0;
        if (!Utf8Parser.TryParse(f, out double d, out used) || used != f.Length || Math.Abs(d) > ExactDoubleInteger || d != Math.Floor(d))
        {
            return false;
        }

        value = (long)d;
        return true;
    }

    internal static bool TryOptionalFloat(ReadOnlySpan<byte> line, Span<Range> fields, int count, int column, ref float value)
    {
        if (column < 0 || column >= count)
        {
            return true;
        }

        ReadOnlySpan<byte> f = Field(line, fields[column]);
        return f.IsEmpty || TryParseFloat(f, out value);
    }

    internal static bool TryParseFloat(ReadOnlySpan<byte> f, out float value) =>
        Utf8Parser.TryParse(f, out value, out int used) && used == f.Length && float.IsFinite(value);

    /// <summary>Epoch milliseconds (integer, or with a fraction) to ns; integers convert exactly.</summary>
    internal static bool TryParseMilliseconds(ReadOnlySpan<byte> f, out long ns)
    {
        if (Utf8Parser.TryParse(f, out long ms, out int used) && used == f.Length)
        {
            if (ms is > long.MaxValue / NsPerMs or < long.MinValue / NsPerMs)
            {
                ns = 0;
                return false;
            }

            ns = ms * NsPerMs;
            return true;
        }

        if (Utf8Parser.TryParse(f, out double msd, out used) && used == f.Length && double.IsFinite(msd)
            && Math.Abs(msd) < long.MaxValue / (double)NsPerMs)
        {
            ns = (long)Math.Round(msd * NsPerMs);
            return true;
        }

        ns = 0;
        return false;
    }

    /// <summary>An optional value's field left out: empty, or <c>NaN</c> as numerical tools write a gap.</summary>
    internal static bool IsMissing(ReadOnlySpan<byte> f) => f.IsEmpty || EqualsIgnoreCase(f, "nan"u8);

    internal static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, Range r) => line[r].Trim(" \r\""u8);

    internal static int Split(ReadOnlySpan<byte> line, byte separator, Span<Range> fields)
    {
        int count = 0;
        int start = 0;
        while (count < fields.Length)
        {
            int rel = line[start..].IndexOf(separator);
            if (rel < 0)
            {
                fields[count++] = new Range(start, line.Length);
                break;
            }

            fields[count++] = new Range(start, start + rel);
            start += rel + 1;
        }

        return count;
    }

    internal static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lowerB)
    {
        if (a.Length != lowerB.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            int c = a[i];
            if (c is >= 'A' and <= 'Z')
            {
                c += 'a' - 'A';
            }

            if (c != lowerB[i])
            {
                return false;
            }
        }

        return true;
    }
}
