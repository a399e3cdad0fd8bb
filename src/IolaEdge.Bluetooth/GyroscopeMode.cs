namespace IolaEdge.Bluetooth;

/// <summary>Whether the sensor link streams the board's gyroscope beside the accelerometer (<c>Ble:Gyroscope</c>).</summary>
public enum GyroscopeMode
{
    /// <summary>Stream it when the board has one (module 0x13 present) and the sample counter is on; acceleration only otherwise.</summary>
    Auto = 0,

    /// <summary>Require it: a board without a gyroscope fails the connection cycle with a clear error.</summary>
    On,

    /// <summary>Never stream it: acceleration only.</summary>
    Off,
}
