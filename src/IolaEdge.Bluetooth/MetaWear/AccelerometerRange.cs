namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>Accelerometer full-scale range and its encodings (SDK <c>FSR_BITMASKS</c>, <c>BMI270_FSR_BITMASKS</c>, metawear-protocol.md §5).</summary>
internal static class AccelerometerRange
{
    /// <summary>The ranges both chips support, in g.</summary>
    public static readonly int[] SupportedG = [2, 4, 8, 16];

    /// <summary>LSB per g: 16384 / 8192 / 4096 / 2048 for ±2/4/8/16 g, both chips.</summary>
    public static float LsbPerG(int rangeG) => rangeG switch
    {
        2 => 16384f,
        4 => 8192f,
        8 => 4096f,
        16 => 2048f,
        _ => throw new ArgumentOutOfRangeException(nameof(rangeG), rangeG, "range must be 2, 4, 8 or 16 g"),
    };

    /// <summary>Range byte (b1 of <c>03 03 b0 b1</c>).</summary>
    public static byte Code(AccelerometerChip chip, int rangeG) => (chip, rangeG) switch
    {
        (AccelerometerChip.Bmi160, 2) => 0x03,
        (AccelerometerChip.Bmi160, 4) => 0x05,
        (AccelerometerChip.Bmi160, 8) => 0x08,
        (AccelerometerChip.Bmi160, 16) => 0x0c,
        (AccelerometerChip.Bmi270, 2) => 0x00,
        (AccelerometerChip.Bmi270, 4) => 0x01,
        (AccelerometerChip.Bmi270, 8) => 0x02,
        (AccelerometerChip.Bmi270, 16) => 0x03,
        _ => throw new ArgumentOutOfRangeException(nameof(rangeG), rangeG, $"no range code for {chip} at ±{rangeG} g"),
    };
}
