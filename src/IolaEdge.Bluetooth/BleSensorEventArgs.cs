namespace IolaEdge.Bluetooth;

/// <summary>A state change of one sensor (raised off the hot path; the daemon logs it).</summary>
public sealed class BleSensorEventArgs(int sensorId, string name, BleSensorState state, string message) : EventArgs
{
    /// <summary>Sensor id.</summary>
    public int SensorId { get; } = sensorId;

    /// <summary>Label, address or name.</summary>
    public string Name { get; } = name;

    /// <summary>New state.</summary>
    public BleSensorState State { get; } = state;

    /// <summary>What happened, e.g. "link lost: device removed; streamed 12000 samples" or "streaming after a 2.1 s gap".</summary>
    public string Message { get; } = message;
}
