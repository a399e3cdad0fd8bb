namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// The Bosch gyroscope on the board, from the implementation byte of module 0x13's info
/// (SDK <c>gyro_bosch.cpp</c>: <c>MBL_MW_MODULE_GYRO_TYPE_BMI160 = 0</c>, <c>…_BMI270 = 1</c>).
/// </summary>
/// <remarks>The enum values are not the implementation bytes: 0 is the BMI160's byte but means "none" here.</remarks>
public enum GyroscopeChip
{
    /// <summary>No gyroscope (module 0x13 absent, unknown implementation, or not asked).</summary>
    None = 0,

    /// <summary>BMI160 (MetaMotion R/RL/C): implementation 0.</summary>
    Bmi160 = 1,

    /// <summary>BMI270 (MetaMotion S): implementation 1.</summary>
    Bmi270 = 2,
}
