namespace IolaEdge.Bluetooth;

/// <summary>Where a sensor's connection cycle is; <see cref="BleSensorStateWords.Word"/> names each state for people and scrapers.</summary>
public enum BleSensorState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Looking for the adapter and the device (scanning if BlueZ does not know it yet).</summary>
    Discovering,

    /// <summary>Device1.Connect and waiting for ServicesResolved.</summary>
    Connecting,

    /// <summary>Locating GATT, subscribing, identifying the board, writing the stream configuration.</summary>
    Configuring,

    /// <summary>Samples are flowing.</summary>
    Streaming,

    /// <summary>Waiting before the next attempt after a failure or a lost link.</summary>
    Backoff,

    /// <summary>Stopped (cancelled; teardown done).</summary>
    Stopped,
}
