using System.Runtime.InteropServices;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Recording;

/// <summary>What a session row records.</summary>
internal enum RecorderRowKind : byte
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
internal readonly record struct RecorderRow
{
    /// <summary>Creates a row without angular velocity.</summary>
    public RecorderRow(RecorderRowKind kind, int sensorId, long sequence, long timeNs, long sensorTimeNs,
        float x, float y, float z, float score)
        : this(kind, sensorId, sequence, timeNs, sensorTimeNs, x, y, z, score, float.NaN, float.NaN, float.NaN)
    {
    }

    /// <summary>Creates a row; NaN angular velocity means none (acceleration-only sample, mark, detection).</summary>
    public RecorderRow(RecorderRowKind kind, int sensorId, long sequence, long timeNs, long sensorTimeNs,
        float x, float y, float z, float score, float angularVelocityX, float angularVelocityY, float angularVelocityZ)
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
        AngularVelocityX = angularVelocityX;
        AngularVelocityY = angularVelocityY;
        AngularVelocityZ = angularVelocityZ;
    }

    /// <summary>A sample row carrying everything <paramref name="sample"/> holds.</summary>
    public static RecorderRow FromSample(in ImuSample sample) =>
        new(RecorderRowKind.Sample, sample.SensorId, sample.Sequence, sample.ArrivalTimeNs, sample.SensorTimeNs,
            sample.X, sample.Y, sample.Z, 0f, sample.AngularVelocityX, sample.AngularVelocityY, sample.AngularVelocityZ);

    /// <summary>Row kind.</summary>
    public RecorderRowKind Kind { get; }

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

    /// <summary>Angular velocity about x in °/s (samples from a gyroscope), else NaN.</summary>
    public float AngularVelocityX { get; }

    /// <summary>Angular velocity about y in °/s (samples from a gyroscope), else NaN.</summary>
    public float AngularVelocityY { get; }

    /// <summary>Angular velocity about z in °/s (samples from a gyroscope), else NaN.</summary>
    public float AngularVelocityZ { get; }

    /// <summary>Whether the row carries angular velocity.</summary>
    public bool HasAngularVelocity => !float.IsNaN(AngularVelocityX);

    /// <summary>The sample this row records, on the session clock shifted by <paramref name="offsetNs"/> (samples only).</summary>
    public ImuSample ToSample(long offsetNs) =>
        new(SensorId, Sequence, SensorTimeNs == 0 ? 0 : SensorTimeNs + offsetNs, TimeNs + offsetNs, X, Y, Z,
            AngularVelocityX, AngularVelocityY, AngularVelocityZ);

    /// <summary>The time the writer orders rows by: sensor time when known, otherwise <see cref="TimeNs"/>.</summary>
    public long OrderTimeNs => SensorTimeNs != 0 ? SensorTimeNs : TimeNs;
}
