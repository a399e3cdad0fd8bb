using System.Globalization;
using IolaEdge.Daemon.Recording;

namespace IolaEdge.Daemon.Tests.Recording.Support;

/// <summary>
/// A minimal formatter in the seed's column order, used to test the recorder's queue, writer and
/// rotation machinery independently of the product CSV format.
/// </summary>
internal sealed class SeedLikeRowFormatter : ISessionRowFormatter
{
    public string Header => "timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType,sensorTimeNs,sensorId";

    public int Format(in SessionRow row, long epochOffsetNs, Span<char> destination)
    {
        long ms = (row.TimeNs + epochOffsetNs) / 1_000_000;
        string text = row.Kind switch
        {
            SessionRowKind.Sample => string.Create(CultureInfo.InvariantCulture,
                $"{ms},{row.X},{row.Y},{row.Z},{row.Sequence},sample,{row.SensorTimeNs + epochOffsetNs},{row.SensorId}\n"),
            SessionRowKind.Footfall => string.Create(CultureInfo.InvariantCulture,
                $"{ms},FOOTFALL,FOOTFALL,FOOTFALL,{row.Sequence},footfall,{row.SensorTimeNs + epochOffsetNs},{row.SensorId}\n"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"{ms},{row.Score},0,0,{row.Sequence},detection,{row.SensorTimeNs + epochOffsetNs},{row.SensorId}\n"),
        };
        text.AsSpan().CopyTo(destination);
        return text.Length;
    }

    /// <summary>Parses a file written with this formatter (header skipped) into (eventType, sequence, timeNs) rows.</summary>
    public static List<(string Type, long Sequence, long SensorTimeNs)> Read(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split(','))
            .Select(c => (c[5], long.Parse(c[4], CultureInfo.InvariantCulture), long.Parse(c[6], CultureInfo.InvariantCulture)))
            .ToList();
}
