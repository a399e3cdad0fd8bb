using System.Runtime.InteropServices;

namespace IolaEdge.Dsp.Samples;

/// <summary>
/// One IMU sample (acceleration, and angular velocity when the sensor streams it), as it flows
/// through the hot path (a 56-byte value type, never boxed).
/// </summary>
/// <remarks>
/// <para>Times are nanoseconds on the <em>session clock</em>: the process's monotonic clock
/// (<see cref="Timing.MonotonicClock"/>) for live sources, or the file's epoch clock
/// (epoch milliseconds × 1 000 000) for replayed recordings, so that evaluation results stay in
/// the recording's own time base. <see cref="SensorTimeNs"/> is the sample time as the sample clock
/// gives it: reconstructed from bursty arrival times, or the timestamp itself when the source's
/// timestamps are true sample times (regular whole-period steps).</para>
/// <para>Angular velocity is in °/s in the sensor frame, on the same axes as the acceleration.
/// A sample without it (an acceleration-only sensor or file, and <c>default</c>) reports
/// <see cref="HasAngularVelocity"/> false and NaN in the three components; its stored components
/// are zero, so two acceleration-only samples with the same fields compare equal however they were
/// made.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct ImuSample
{
    // Field order keeps the struct at 56 bytes: the flag sits in the padding after the sensor id.
    private readonly int _sensorId;
    private readonly bool _hasAngularVelocity;
    private readonly long _sequence;
    private readonly long _sensorTimeNs;
    private readonly long _arrivalTimeNs;
    private readonly float _x;
    private readonly float _y;
    private readonly float _z;
    private readonly float _angularVelocityX;
    private readonly float _angularVelocityY;
    private readonly float _angularVelocityZ;

    /// <summary>Creates an acceleration-only sample (no angular velocity).</summary>
    public ImuSample(int sensorId, long sequence, long sensorTimeNs, long arrivalTimeNs, float x, float y, float z)
    {
        _sensorId = sensorId;
        _sequence = sequence;
        _sensorTimeNs = sensorTimeNs;
        _arrivalTimeNs = arrivalTimeNs;
        _x = x;
        _y = y;
        _z = z;
    }

    /// <summary>Creates a sample with angular velocity (°/s, sensor frame).</summary>
    /// <remarks>A NaN in any angular-velocity component makes an acceleration-only sample.</remarks>
    public ImuSample(int sensorId, long sequence, long sensorTimeNs, long arrivalTimeNs, float x, float y, float z,
        float angularVelocityX, float angularVelocityY, float angularVelocityZ)
        : this(sensorId, sequence, sensorTimeNs, arrivalTimeNs, x, y, z)
    {
        if (!float.IsNaN(angularVelocityX) && !float.IsNaN(angularVelocityY) && !float.IsNaN(angularVelocityZ))
        {
            _hasAngularVelocity = true;
            _angularVelocityX = angularVelocityX;
            _angularVelocityY = angularVelocityY;
            _angularVelocityZ = angularVelocityZ;
        }
    }

    /// <summary>Which sensor produced the sample (0 for a single sensor; 0/1 for left/right).</summary>
    public int SensorId => _sensorId;

    /// <summary>Running index of the sample within its sensor's stream (gaps allowed).</summary>
    public long Sequence => _sequence;

    /// <summary>Reconstructed time at which the sensor took the sample, in session-clock ns.</summary>
    public long SensorTimeNs => _sensorTimeNs;

    /// <summary>Time at which the packet carrying the sample reached the process, in session-clock ns.</summary>
    public long ArrivalTimeNs => _arrivalTimeNs;

    /// <summary>Acceleration along the sensor's x axis, in g.</summary>
    public float X => _x;

    /// <summary>Acceleration along the sensor's y axis, in g.</summary>
    public float Y => _y;

    /// <summary>Acceleration along the sensor's z axis, in g.</summary>
    public float Z => _z;

    /// <summary>Whether the sample carries angular velocity (a gyroscope streamed it).</summary>
    public bool HasAngularVelocity => _hasAngularVelocity;

    /// <summary>Angular velocity about the sensor's x axis, in °/s; NaN without a gyroscope.</summary>
    public float AngularVelocityX => _hasAngularVelocity ? _angularVelocityX : float.NaN;

    /// <summary>Angular velocity about the sensor's y axis, in °/s; NaN without a gyroscope.</summary>
    public float AngularVelocityY => _hasAngularVelocity ? _angularVelocityY : float.NaN;

    /// <summary>Angular velocity about the sensor's z axis, in °/s; NaN without a gyroscope.</summary>
    public float AngularVelocityZ => _hasAngularVelocity ? _angularVelocityZ : float.NaN;

    /// <summary>|a| in g.</summary>
    public float AccelerationMagnitude => MathF.Sqrt((_x * _x) + (_y * _y) + (_z * _z));

    /// <summary>|ω| in °/s, NaN without angular velocity.</summary>
    public float AngularSpeed => _hasAngularVelocity
        ? MathF.Sqrt((_angularVelocityX * _angularVelocityX) + (_angularVelocityY * _angularVelocityY) + (_angularVelocityZ * _angularVelocityZ))
        : float.NaN;

    /// <summary>Returns a copy with another sensor time (used by the sample clock); everything else is kept.</summary>
    public ImuSample WithSensorTime(long sensorTimeNs) => WithTimes(sensorTimeNs, _arrivalTimeNs);

    /// <summary>Returns a copy with other sensor and arrival times; everything else (angular velocity included) is kept.</summary>
    public ImuSample WithTimes(long sensorTimeNs, long arrivalTimeNs) =>
        _hasAngularVelocity
            ? new(_sensorId, _sequence, sensorTimeNs, arrivalTimeNs, _x, _y, _z, _angularVelocityX, _angularVelocityY, _angularVelocityZ)
            : new(_sensorId, _sequence, sensorTimeNs, arrivalTimeNs, _x, _y, _z);

    /// <summary>Returns a copy with another sequence number and times; everything else is kept.</summary>
    public ImuSample WithSequenceAndTimes(long sequence, long sensorTimeNs, long arrivalTimeNs) =>
        _hasAngularVelocity
            ? new(_sensorId, sequence, sensorTimeNs, arrivalTimeNs, _x, _y, _z, _angularVelocityX, _angularVelocityY, _angularVelocityZ)
            : new(_sensorId, sequence, sensorTimeNs, arrivalTimeNs, _x, _y, _z);
}
