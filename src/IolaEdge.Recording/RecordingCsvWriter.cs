using System.Globalization;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Recording;

/// <summary>
/// Writes a recording CSV the seed app can read: the six seed columns first, then, when the writer was
/// made for angular velocity, <c>gyroscopeX,gyroscopeY,gyroscopeZ</c> (°/s, sensor frame), then
/// IolaEdge's extra columns <c>sensorTimeNs,sensorId,score</c>.
/// </summary>
/// <remarks>
/// Rows are formatted with invariant-culture <c>TryFormat</c> into one reusable 64 KiB byte buffer
/// that goes to the stream when full or on <see cref="Flush"/>: no allocation per row. Every field
/// is written on every row (never empty) except the gyroscope fields of footfall, detection and
/// acceleration-only sample rows, which the format leaves empty; an acceleration-only writer's
/// output is the format IolaEdge wrote before the gyroscope columns existed, byte for byte.
/// The gyroscope columns sit right after <c>eventType</c>, so a gyro file's first nine columns are
/// those of the issue-12 format (<c>…,eventType,gyroscopeX,gyroscopeY,gyroscopeZ</c>). <c>timestamp</c> is epoch ms (arrival time for samples, annotation or detection
/// time otherwise), with a fraction only when the ns time is not a whole millisecond;
/// <c>sequenceNumber</c> is the running row index, as in the seed app. Not thread-safe; it blocks on
/// I/O when the buffer fills, so not for the pipeline thread.
/// </remarks>
public sealed class RecordingCsvWriter : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private const int MaxRowBytes = 256;
    private const long NsPerMs = 1_000_000;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly bool _angularVelocity;
    private int _used;
    private long _rows;

    /// <summary>Creates a writer and writes the header.</summary>
    /// <param name="stream">Destination, written sequentially.</param>
    /// <param name="leaveOpen">When false, <see cref="Dispose"/> disposes <paramref name="stream"/>.</param>
    /// <param name="angularVelocity">Whether the file gets the three gyroscope columns.</param>
    public RecordingCsvWriter(Stream stream, bool leaveOpen = false, bool angularVelocity = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _angularVelocity = angularVelocity;
        Append(angularVelocity
            ? "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,gyroscopeX,gyroscopeY,gyroscopeZ,sensorTimeNs,sensorId,score\n"u8
            : "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,sensorTimeNs,sensorId,score\n"u8);
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> and writes the header.</summary>
    /// <param name="path">The file.</param>
    /// <param name="angularVelocity">Whether the file gets the three gyroscope columns.</param>
    public static RecordingCsvWriter Create(string path, bool angularVelocity = false) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 4096), angularVelocity: angularVelocity);

    /// <summary>Data rows written so far.</summary>
    public long Rows => _rows;

    /// <summary>Whether the file has the gyroscope columns (chosen at construction).</summary>
    public bool HasAngularVelocityColumns => _angularVelocity;

    /// <summary>Writes a sample row (timestamp = its arrival time).</summary>
    /// <exception cref="InvalidOperationException">
    /// The sample carries angular velocity and the writer was made without the gyroscope columns
    /// (it would be lost silently; the caller chooses the columns, see <see cref="HasAngularVelocityColumns"/>).
    /// </exception>
    public void WriteSample(in ImuSample sample)
    {
        if (sample.HasAngularVelocity && !_angularVelocity)
        {
            ThrowNoGyroscopeColumns();
        }

        Reserve();
        AppendMs(sample.ArrivalTimeNs);
        AppendComma();
        AppendFloat(sample.X);
        AppendComma();
        AppendFloat(sample.Y);
        AppendComma();
        AppendFloat(sample.Z);
        AppendComma();
        AppendLong(_rows);
        Append(",sample,"u8);
        if (_angularVelocity)
        {
            if (sample.HasAngularVelocity)
            {
                AppendFloat(sample.AngularVelocityX);
                AppendComma();
                AppendFloat(sample.AngularVelocityY);
                AppendComma();
                AppendFloat(sample.AngularVelocityZ);
                AppendComma();
            }
            else
            {
                Append(",,,"u8);
            }
        }

        AppendLong(sample.SensorTimeNs);
        AppendComma();
        AppendLong(sample.SensorId);
        Append(",0\n"u8);
        _rows++;
    }

    /// <summary>Writes a ground-truth footfall row at <paramref name="timeNs"/> (session clock).</summary>
    public void WriteFootfall(int sensorId, long timeNs)
    {
        Reserve();
        AppendMs(timeNs);
        Append(",FOOTFALL,FOOTFALL,FOOTFALL,"u8);
        AppendLong(_rows);
        Append(",footfall,"u8);
        AppendNoAngularVelocity();
        AppendLong(timeNs);
        AppendComma();
        AppendLong(sensorId);
        Append(",1\n"u8);
        _rows++;
    }

    /// <summary>Writes a detection row at the detected footfall time with its score.</summary>
    public void WriteDetection(int sensorId, long timeNs, float score)
    {
        Reserve();
        AppendMs(timeNs);
        Append(",DETECTION,DETECTION,DETECTION,"u8);
        AppendLong(_rows);
        Append(",detection,"u8);
        AppendNoAngularVelocity();
        AppendLong(timeNs);
        AppendComma();
        AppendLong(sensorId);
        AppendComma();
        AppendFloat(score);
        Append("\n"u8);
        _rows++;
    }

    /// <summary>Writes a detection row for <paramref name="footfall"/> (its footfall time and score).</summary>
    public void WriteDetection(in FootfallEvent footfall) =>
        WriteDetection(footfall.SensorId, footfall.FootfallTimeNs, footfall.Score);

    /// <summary>Writes buffered rows to the stream and flushes it.</summary>
    public void Flush()
    {
        Drain();
        _stream.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Formats ns as epoch ms: an integer when whole, else up to six decimals (exact, no floating point).</summary>
    internal static int FormatMs(long ns, Span<byte> dest)
    {
        long ms = Math.DivRem(ns, NsPerMs, out long rem);
        if (rem < 0)
        {
            ms--;
            rem += NsPerMs;
        }

        ms.TryFormat(dest, out int n, default, CultureInfo.InvariantCulture);
        if (rem == 0)
        {
            return n;
        }

        dest[n++] = (byte)'.';
        rem.TryFormat(dest[n..], out int m, "D6", CultureInfo.InvariantCulture);
        n += m;
        while (dest[n - 1] == (byte)'0')
        {
            n--;
        }

        return n;
    }

    private void Reserve()
    {
        if (_buffer.Length - _used < MaxRowBytes)
        {
            Drain();
        }
    }

    private void Drain()
    {
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowNoGyroscopeColumns() =>
        throw new InvalidOperationException(
            "This recording CSV writer has no gyroscope columns; create it with angularVelocity: true to record angular velocity.");

    private void AppendNoAngularVelocity()
    {
        if (_angularVelocity)
        {
            Append(",,,"u8);
        }
    }

    private void AppendComma() => _buffer[_used++] = (byte)',';

    private void Append(ReadOnlySpan<byte> text)
    {
        if (_buffer.Length - _used < text.Length)
        {
            Drain();
        }

        text.CopyTo(_buffer.AsSpan(_used));
        _used += text.Length;
    }

    private void AppendMs(long ns) => _used += FormatMs(ns, _buffer.AsSpan(_used));

    private void AppendLong(long v)
    {
        v.TryFormat(_buffer.AsSpan(_used), out int n, default, CultureInfo.InvariantCulture);
        _used += n;
    }

    private void AppendFloat(float v)
    {
        // Shortest round-trip form ("R" semantics are the default since .NET Core 3.0).
        v.TryFormat(_buffer.AsSpan(_used), out int n, default, CultureInfo.InvariantCulture);
        _used += n;
    }
}
