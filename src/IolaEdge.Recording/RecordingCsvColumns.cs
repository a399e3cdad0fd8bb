using System.Text;

namespace IolaEdge.Recording;

/// <summary>Column positions found in the header (-1 when an optional column is absent).</summary>
internal readonly record struct RecordingCsvColumns(
    int Timestamp, int X, int Y, int Z, int EventType, int Sequence, int SensorTime, int SensorId, int Score,
    int GyroX, int GyroY, int GyroZ)
{
    public int MaxRequired => Math.Max(Math.Max(Math.Max(Timestamp, X), Math.Max(Y, Z)), EventType);

    /// <summary>The header's name of the column at <paramref name="index"/> (one of the known ones).</summary>
    public string NameOf(int index) =>
        index == Timestamp ? RecordingCsvFormat.Timestamp
        : index == X ? RecordingCsvFormat.AccelerationX
        : index == Y ? RecordingCsvFormat.AccelerationY
        : index == Z ? RecordingCsvFormat.AccelerationZ
        : index == EventType ? RecordingCsvFormat.EventType
        : index == Sequence ? RecordingCsvFormat.SequenceNumber
        : index == SensorTime ? RecordingCsvFormat.SensorTimeNs
        : index == SensorId ? RecordingCsvFormat.SensorId
        : index == Score ? RecordingCsvFormat.Score
        : index == GyroX ? RecordingCsvFormat.GyroscopeX
        : index == GyroY ? RecordingCsvFormat.GyroscopeY
        : RecordingCsvFormat.GyroscopeZ;

    public static RecordingCsvColumns FromHeader(ReadOnlySpan<byte> header, byte separator)
    {
        Span<Range> fields = stackalloc Range[RecordingCsvReader.MaxFields];
        int count = Utf8CsvFields.Split(header, separator, fields);
        int ts = -1, x = -1, y = -1, z = -1, ev = -1, seq = -1, st = -1, id = -1, score = -1;
        int gx = -1, gy = -1, gz = -1;
        for (int i = 0; i < count; i++)
        {
            string name = Encoding.UTF8.GetString(Utf8CsvFields.Field(header, fields[i])).TrimStart('\uFEFF');
            switch (name)
            {
                case RecordingCsvFormat.Timestamp: ts = i; break;
                case RecordingCsvFormat.AccelerationX: x = i; break;
                case RecordingCsvFormat.AccelerationY: y = i; break;
                case RecordingCsvFormat.AccelerationZ: z = i; break;
                case RecordingCsvFormat.EventType: ev = i; break;
                case RecordingCsvFormat.SequenceNumber: seq = i; break;
                case RecordingCsvFormat.SensorTimeNs: st = i; break;
                case RecordingCsvFormat.SensorId: id = i; break;
                case RecordingCsvFormat.Score: score = i; break;
                case RecordingCsvFormat.GyroscopeX: gx = i; break;
                case RecordingCsvFormat.GyroscopeY: gy = i; break;
                case RecordingCsvFormat.GyroscopeZ: gz = i; break;
                default: break;
            }
        }

        if (ts < 0 || x < 0 || y < 0 || z < 0 || ev < 0)
        {
            throw new InvalidDataException(
                "recording CSV: header must name timestamp, accelerationX, accelerationY, accelerationZ and eventType; got '"
                + Encoding.UTF8.GetString(header).Trim() + "'");
        }

        if ((gx < 0 || gy < 0 || gz < 0) && (gx >= 0 || gy >= 0 || gz >= 0))
        {
            throw new InvalidDataException(
                "recording CSV: header must name all three of gyroscopeX, gyroscopeY, gyroscopeZ or none; got '"
                + Encoding.UTF8.GetString(header).Trim() + "'");
        }

        return new RecordingCsvColumns(ts, x, y, z, ev, seq, st, id, score, gx, gy, gz);
    }
}
