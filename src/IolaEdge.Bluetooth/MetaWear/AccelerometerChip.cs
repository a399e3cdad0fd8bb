namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>The Bosch accelerometer on the board, from the implementation byte of module 0x03's info.</summary>
public enum AccelerometerChip
{
    /// <summary>Not identified (module absent or an old board).</summary>
    Unknown = 0,

    /// <summary>BMI160 (MetaMotion R/RL/C): implementation 1.</summary>
    Bmi160 = 1,

    /// <summary>BMI270 (MetaMotion S): implementation 4.</summary>
    Bmi270 = 4,
}
