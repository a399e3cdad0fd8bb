namespace IolaEdge.Recording;

/// <summary>Column names and event-type words of the seed app's recording CSV (architecture.md, "File formats").</summary>
public static class RecordingCsvFormat
{
    /// <summary>Arrival time in epoch milliseconds (the phone's or the daemon's clock).</summary>
    public const string Timestamp = "timestamp";

    /// <summary>Acceleration x in g.</summary>
    public const string AccelerationX = "accelerationX";

    /// <summary>Acceleration y in g.</summary>
    public const string AccelerationY = "accelerationY";

    /// <summary>Acceleration z in g.</summary>
    public const string AccelerationZ = "accelerationZ";

    /// <summary>Running row index.</summary>
    public const string SequenceNumber = "sequenceNumber";

    /// <summary><c>sample</c>, <c>footfall</c> or <c>detection</c>.</summary>
    public const string EventType = "eventType";

    /// <summary>Optional: angular velocity about the sensor's x axis in °/s (empty or absent without a gyroscope).</summary>
    public const string GyroscopeX = "gyroscopeX";

    /// <summary>Optional: angular velocity about the sensor's y axis in °/s (empty or absent without a gyroscope).</summary>
    public const string GyroscopeY = "gyroscopeY";

    /// <summary>Optional: angular velocity about the sensor's z axis in °/s (empty or absent without a gyroscope).</summary>
    public const string GyroscopeZ = "gyroscopeZ";

    /// <summary>Extra column written by IolaEdge: reconstructed sensor time in session-clock ns.</summary>
    public const string SensorTimeNs = "sensorTimeNs";

    /// <summary>Extra column written by IolaEdge: sensor id (0/1 for left/right).</summary>
    public const string SensorId = "sensorId";

    /// <summary>Extra column written by IolaEdge: detector score of detection rows.</summary>
    public const string Score = "score";

    /// <summary>Event type of sample rows.</summary>
    public const string SampleEvent = "sample";

    /// <summary>Event type of ground-truth rows.</summary>
    public const string FootfallEvent = "footfall";

    /// <summary>Event type of detector output rows.</summary>
    public const string DetectionEvent = "detection";

    /// <summary>Placeholder in the acceleration columns of footfall rows.</summary>
    public const string FootfallMarker = "FOOTFALL";

    /// <summary>Placeholder in the acceleration columns of detection rows.</summary>
    public const string DetectionMarker = "DETECTION";
}
