using IolaEdge.Dsp.Samples;

namespace IolaEdge.Simulation;

/// <summary>
/// One sample as the sensor took it: its index, exact time and reading (sensor frame; acceleration in g,
/// angular velocity in °/s, NaN when the walk has no gyroscope).
/// </summary>
internal readonly record struct GaitSample(long Index, long TimeNs, float X, float Y, float Z, float GX, float GY, float GZ)
{
    /// <summary>The delivered form: <paramref name="sequence"/>, sensor time 0, arrival <paramref name="arrivalNs"/>.</summary>
    public ImuSample ToImuSample(int sensorId, long sequence, long arrivalNs) =>
        new(sensorId, sequence, 0, arrivalNs, X, Y, Z, GX, GY, GZ);
}
