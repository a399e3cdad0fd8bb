using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Recording;

/// <summary>What a session row records.</summary>
internal enum SessionRowKind : byte
{
    /// <summary>An accelerometer sample (<c>sample</c> in the seed format).</summary>
    Sample,

    /// <summary>A ground-truth footfall annotation: button, key or control-socket mark (<c>footfall</c>).</summary>
    Footfall,

    /// <summary>A footfall the running detector reported (<c>detection</c>, an extension of the seed format).</summary>
    Detection,
}

/// <summary>
/// One row of a recorded session, as it travels from a producer to the background writer
/// (a value type copied through preallocated rings; never boxed).
/// </summary>
/// <remarks>
/// Times are session-clock nanoseconds (monotonic for live sources). The writer adds the
/// session's epoch offset when it formats the row, so files carry epoch times as the seed app did.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct SessionRow
{
    /// <summary>Creates a row.</summary>
    public SessionRow(SessionRowKind kind, int sensorId, long sequence, long timeNs, long sensorTimeNs,
        float x, float y, float z, float score)
    {
        Kind = kind;
        SensorId = sensorId;
        Sequence = sequence;
        TimeNs = timeNs;
        SensorTimeNs = sensorTimeNs;
        X = x;
        Y = y;
        Z = z;
        Score = score;
    }

    /// <summary>Row kind.</summary>
    public SessionRowKind Kind { get; }

    /// <summary>Sensor the row belongs to.</summary>
    public int SensorId { get; }

    /// <summary>Sample index within its sensor's stream (samples), detection count (detections), else 0.</summary>
    public long Sequence { get; }

    /// <summary>The seed's <c>timestamp</c>: packet arrival for samples, press time for annotations, footfall time for detections.</summary>
    public long TimeNs { get; }

    /// <summary>Reconstructed sensor time (samples), or the same as <see cref="TimeNs"/> for marks and detections.</summary>
    public long SensorTimeNs { get; }

    /// <summary>Acceleration x in g (samples only).</summary>
    public float X { get; }

    /// <summary>Acceleration y in g (samples only).</summary>
    public float Y { get; }

    /// <summary>Acceleration z in g (samples only).</summary>
    public float Z { get; }

    /// <summary>Detector score (detections only).</summary>
    public float Score { get; }

    /// <summary>The time the writer orders rows by: sensor time when known, otherwise <see cref="TimeNs"/>.</summary>
    public long OrderTimeNs => SensorTimeNs != 0 ? SensorTimeNs : TimeNs;
}
