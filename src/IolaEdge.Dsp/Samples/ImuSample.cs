using System.Runtime.InteropServices;

namespace IolaEdge.Dsp.Samples;

/// <summary>
/// One accelerometer sample, as it flows through the hot path (a 40-byte value type, never boxed).
/// </summary>
/// <remarks>
/// Times are nanoseconds on the <em>session clock</em>: the process's monotonic clock
/// (<see cref="Timing.MonotonicClock"/>) for live sources, or the file's epoch clock
/// (epoch milliseconds × 1 000 000) for replayed recordings, so that evaluation results stay in
/// the recording's own time base. <see cref="SensorTimeNs"/> is the sample time as the sample clock
/// gives it: reconstructed from bursty arrival times, or the timestamp itself when the source's
/// timestamps are true sample times (regular whole-period steps).
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct ImuSample
{
    /// <summary>Creates a sample.</summary>
    public ImuSample(int sensorId, long sequence, long sensorTimeNs, long arrivalTimeNs, float x, float y, float z)
    {
        SensorId = sensorId;
        Sequence = sequence;
        SensorTimeNs = sensorTimeNs;
        ArrivalTimeNs = arrivalTimeNs;
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>Which sensor produced the sample (0 for a single sensor; 0/1 for left/right).</summary>
    public int SensorId { get; }

    /// <summary>Running index of the sample within its sensor's stream (gaps allowed).</summary>
    public long Sequence { get; }

    /// <summary>Reconstructed time at which the sensor took the sample, in session-clock ns.</summary>
    public long SensorTimeNs { get; }

    /// <summary>Time at which the packet carrying the sample reached the process, in session-clock ns.</summary>
    public long ArrivalTimeNs { get; }

    /// <summary>Acceleration along the sensor's x axis, in g.</summary>
    public float X { get; }

    /// <summary>Acceleration along the sensor's y axis, in g.</summary>
    public float Y { get; }

    /// <summary>Acceleration along the sensor's z axis, in g.</summary>
    public float Z { get; }

    /// <summary>Returns a copy with another sensor time (used by the sample clock).</summary>
    public ImuSample WithSensorTime(long sensorTimeNs) =>
        new(SensorId, Sequence, sensorTimeNs, ArrivalTimeNs, X, Y, Z);
}
