using System.Buffers.Text;
using System.Text;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Recording;

/// <summary>
/// Streaming reader of the seed app's recording CSV (comma or tab separated, header required).
/// </summary>
/// <remarks>
/// Parses UTF-8 bytes in place from one reusable buffer: no string per line or field, so a long
/// recording costs the buffer and nothing per row. Malformed lines are counted, the first
/// <see cref="MaxRememberedMalformedLines"/> are kept with their line number and reason,
/// <see cref="MalformedLine"/> is raised for each, and reading goes on; the reader never throws
/// for a bad data line. Only a missing or unusable header throws (<see cref="InvalidDataException"/>),
/// at construction. Not thread-safe; not for the pipeline thread (it blocks on I/O).
/// </remarks>
public sealed class RecordingCsvReader : IDisposable
{
    /// <summary>How many malformed lines <see cref="MalformedLines"/> remembers (all are counted).</summary>
    public const int MaxRememberedMalformedLines = 100;

    private const int BufferSize = 64 * 1024;
    internal const int MaxFields = 32;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly List<RecordingCsvMalformedLine> _malformed = [];
    private readonly RecordingCsvColumns _columns;
    private readonly byte _separator;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _skippingLongLine;
    private long _lineNumber;
    private long _malformedCount;
    private long _rowIndex;

    /// <summary>Opens a recording CSV and reads its header.</summary>
    /// <param name="stream">The file contents; read sequentially.</param>
    /// <param name="leaveOpen">When false, <see cref="Dispose"/> disposes <paramref name="stream"/>.</param>
    /// <exception cref="InvalidDataException">No header, or a required column is missing.</exception>
    public RecordingCsvReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        if (!TryNextLine(out ReadOnlySpan<byte> header, out _))
        {
            throw new InvalidDataException("recording CSV: empty input, a header line is required");
        }

        _separator = header.IndexOf((byte)'\t') >= 0 ? (byte)'\t' : (byte)',';
        _columns = RecordingCsvColumns.FromHeader(header, _separator);
    }

    /// <summary>Raised for every skipped line, on the reading thread.</summary>
    public event Action<RecordingCsvMalformedLine>? MalformedLine;

    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    public static RecordingCsvReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan));

    /// <summary>The column separator found in the header (comma or tab).</summary>
    public char Separator => (char)_separator;

    /// <summary>Whether the file has the <c>sensorTimeNs</c> column.</summary>
    public bool HasSensorTime => _columns.SensorTime >= 0;

    /// <summary>
    /// Whether the header names the <c>gyroscopeX,gyroscopeY,gyroscopeZ</c> columns. Rows may still leave
    /// them empty or out (acceleration-only rows); <see cref="ImuSample.HasAngularVelocity"/> tells per sample.
    /// </summary>
    public bool HasAngularVelocityColumns => _columns.GyroX >= 0;

    /// <summary>Lines skipped as malformed so far.</summary>
    public long MalformedCount => _malformedCount;

    /// <summary>The first <see cref="MaxRememberedMalformedLines"/> malformed lines.</summary>
    public IReadOnlyList<RecordingCsvMalformedLine> MalformedLines => _malformed;

    /// <summary>Line number of the last line read (the header is line 1).</summary>
    public long LineNumber => _lineNumber;

    /// <summary>Reads the next well-formed data row, skipping (and counting) malformed and blank lines.</summary>
    /// <returns>False at the end of the input.</returns>
    public bool TryRead(out RecordedRow record)
    {
        while (TryNextLine(out ReadOnlySpan<byte> line, out bool tooLong))
        {
            if (tooLong)
            {
                Report(RecordingCsvError.LineTooLong, null, null);
                continue;
            }

            if (IsBlank(line))
            {
                continue;
            }

            if (TryParse(line, out record, out RecordingCsvError error, out string? column, out string? value))
            {
                _rowIndex++;
                return true;
            }

            Report(error, column, value);
        }

        record = default;
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private bool TryParse(ReadOnlySpan<byte> line, out RecordedRow record, out RecordingCsvError error, out string? column, out string? value)
    {
        record = default;
        column = value = null;
        Span<Range> fields = stackalloc Range[MaxFields];
        int count = Utf8CsvFields.Split(line, _separator, fields);
        if (count <= _columns.MaxRequired)
        {
            error = RecordingCsvError.MissingFields;
            value = Remembering ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return false;
        }

        ReadOnlySpan<byte> kindField = Utf8CsvFields.Field(line, fields[_columns.EventType]);
        RecordedRowKind kind;
        if (Utf8CsvFields.EqualsIgnoreCase(kindField, "sample"u8))
        {
            kind = RecordedRowKind.Sample;
        }
        else if (Utf8CsvFields.EqualsIgnoreCase(kindField, "footfall"u8))
        {
            kind = RecordedRowKind.Footfall;
        }
        else if (Utf8CsvFields.EqualsIgnoreCase(kindField, "detection"u8))
        {
            kind = RecordedRowKind.Detection;
        }
        else
        {
            return Fail(RecordingCsvError.UnknownEventType, _columns.EventType, line, fields, out error, out column, out value);
        }

        if (!Utf8CsvFields.TryParseMilliseconds(Utf8CsvFields.Field(line, fields[_columns.Timestamp]), out long timeNs))
        {
            return Fail(RecordingCsvError.BadTimestamp, _columns.Timestamp, line, fields, out error, out column, out value);
        }

        long sequence = _rowIndex;
        long sensorTimeNs = 0;
        int sensorId = 0;
        float score = 0;
        int badOptional = !Utf8CsvFields.TryOptionalLong(line, fields, count, _columns.Sequence, ref sequence) ? _columns.Sequence
            : !Utf8CsvFields.TryOptionalLong(line, fields, count, _columns.SensorTime, ref sensorTimeNs) ? _columns.SensorTime
            : !Utf8CsvFields.TryOptionalInt(line, fields, count, _columns.SensorId, ref sensorId) ? _columns.SensorId
            : kind == RecordedRowKind.Detection && !Utf8CsvFields.TryOptionalFloat(line, fields, count, _columns.Score, ref score) ? _columns.Score
            : -1;
        if (badOptional >= 0)
        {
            return Fail(RecordingCsvError.BadOptionalField, badOptional, line, fields, out error, out column, out value);
        }

        ImuSample sample = default;
        if (kind == RecordedRowKind.Sample)
        {
            float x = 0, y = 0, z = 0;
            int badAxis = !Utf8CsvFields.TryParseFloat(Utf8CsvFields.Field(line, fields[_columns.X]), out x) ? _columns.X
                : !Utf8CsvFields.TryParseFloat(Utf8CsvFields.Field(line, fields[_columns.Y]), out y) ? _columns.Y
                : !Utf8CsvFields.TryParseFloat(Utf8CsvFields.Field(line, fields[_columns.Z]), out z) ? _columns.Z
                : -1;
            if (badAxis >= 0)
            {
                return Fail(RecordingCsvError.BadAcceleration, badAxis, line, fields, out error, out column, out value);
            }

            if (!TryParseAngularVelocity(line, fields, count, out float gx, out float gy, out float gz))
            {
                error = RecordingCsvError.BadAngularVelocity;
                column = "gyroscopeX/Y/Z";
                value = Remembering ? GyroFieldsText(line, fields, count) : null;
                return false;
            }

            sample = new ImuSample(sensorId, sequence, sensorTimeNs, timeNs, x, y, z, gx, gy, gz);
        }

        record = new RecordedRow(kind, sample, timeNs, sensorId, score, _lineNumber);
        error = default;
        return true;
    }

    // The offending text is kept only for the lines remembered: a file of bad lines costs no string per line.
    private bool Remembering => _malformedCount < MaxRememberedMalformedLines;

    private bool Fail(RecordingCsvError why, int index, ReadOnlySpan<byte> line, Span<Range> fields, out RecordingCsvError error, out string? column, out string? value)
    {
        error = why;
        column = _columns.NameOf(index);
        value = Remembering ? Excerpt(Utf8CsvFields.Field(line, fields[index])) : null;
        return false;
    }

    private string GyroFieldsText(ReadOnlySpan<byte> line, Span<Range> fields, int count)
    {
        StringBuilder text = new();
        foreach (int c in (ReadOnlySpan<int>)[_columns.GyroX, _columns.GyroY, _columns.GyroZ])
        {
            text.Append(text.Length == 0 ? "" : ",").Append(c < count ? Excerpt(Utf8CsvFields.Field(line, fields[c])) : "");
        }

        return text.ToString();
    }

    // A field as a user would recognise it in the file: at most 32 characters, control characters shown as '?'.
    private static string Excerpt(ReadOnlySpan<byte> field)
    {
        string text = Encoding.UTF8.GetString(field.Length > 96 ? field[..96] : field);
        if (text.Length > 32)
        {
            text = text[..32] + "…";
        }

        return string.Create(text.Length, text, static (span, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                span[i] = char.IsControl(t[i]) ? '?' : t[i];
            }
        });
    }

    /// <summary>
    /// The three gyroscope fields of a sample row: all present and finite, or all missing (NaN: no angular
    /// velocity). Anything else (one of three, a word) is malformed.
    /// </summary>
    /// <remarks>
    /// Missing is empty, beyond the end of the row, or <c>NaN</c>: numerical tools write a gap in a stream that
    /// way, and a row without angular velocity is still a good acceleration sample.
    /// </remarks>
    private bool TryParseAngularVelocity(ReadOnlySpan<byte> line, Span<Range> fields, int count,
        out float gx, out float gy, out float gz)
    {
        gx = gy = gz = float.NaN;
        if (_columns.GyroX < 0)
        {
            return true;
        }

        ReadOnlySpan<byte> fx = _columns.GyroX < count ? Utf8CsvFields.Field(line, fields[_columns.GyroX]) : default;
        ReadOnlySpan<byte> fy = _columns.GyroY < count ? Utf8CsvFields.Field(line, fields[_columns.GyroY]) : default;
        ReadOnlySpan<byte> fz = _columns.GyroZ < count ? Utf8CsvFields.Field(line, fields[_columns.GyroZ]) : default;
        if (Utf8CsvFields.IsMissing(fx) && Utf8CsvFields.IsMissing(fy) && Utf8CsvFields.IsMissing(fz))
        {
            return true;
        }

        return Utf8CsvFields.TryParseFloat(fx, out gx) && Utf8CsvFields.TryParseFloat(fy, out gy) && Utf8CsvFields.TryParseFloat(fz, out gz);
    }

    private void Report(RecordingCsvError error, string? column, string? value)
    {
        RecordingCsvMalformedLine m = new(_lineNumber, error, column, value);
        _malformedCount++;
        if (_malformed.Count < MaxRememberedMalformedLines)
        {
            _malformed.Add(m);
        }

        MalformedLine?.Invoke(m);
    }

    /// <summary>Next line without its terminator; a line longer than the buffer is reported as too long and skipped.</summary>
    private bool TryNextLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                line = _buffer.AsSpan(_start, nl);
                _start += nl + 1;
                if (_skippingLongLine)
                {
                    // Tail of a line that did not fit: it was counted and reported when it started.
                    _skippingLongLine = false;
                    continue;
                }

                _lineNumber++;
                return true;
            }

            if (_eof)
            {
                if (_start < _end && !_skippingLongLine)
                {
                    line = _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    _lineNumber++;
                    return true;
                }

                line = default;
                return false;
            }

            if (_start == 0 && _end == _buffer.Length)
            {
                // The buffer holds one incomplete line: report it once, drop what we have, skip to its end.
                bool first = !_skippingLongLine;
                _skippingLongLine = true;
                _start = _end = 0;
                if (first)
                {
                    _lineNumber++;
                    tooLong = true;
                    line = default;
                    return true;
                }

                continue;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
    }


}
