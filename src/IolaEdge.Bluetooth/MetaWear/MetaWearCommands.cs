namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// Command bytes written to the MetaWear command characteristic (metawear-protocol.md §3–§10,
/// from the MetaWear C++ SDK and its tests). Each method returns a new array: commands are sent at
/// setup and teardown only.
/// </summary>
internal static class MetaWearCommands
{
    /// <summary>Module 0x03: accelerometer.</summary>
    public const byte AccelerometerModule = 0x03;

    /// <summary>Module 0x11: settings (connection parameters, battery state).</summary>
    public const byte SettingsModule = 0x11;

    /// <summary>Settings register 0x0c: battery state (SDK <c>SettingsRegister::BATTERY_STATE</c>; the SDK registers it from settings revision 3).</summary>
    public const byte BatteryStateRegister = 0x0c;

    /// <summary>The battery register with the read bit, <c>0x8c</c>: the read command's and the reply's second byte.</summary>
    public const byte ReadBatteryStateRegister = 0x80 | BatteryStateRegister;

    /// <summary>Read of register 0 (<c>0x80</c> = read bit): module info.</summary>
    public const byte ReadModuleInfoRegister = 0x80;

    /// <summary>Plain data register (one sample per packet), both chips.</summary>
    public const byte PlainDataRegister = 0x04;

    /// <summary>Packed data register on the BMI160 (three samples per packet).</summary>
    public const byte PackedRegisterBmi160 = 0x1c;

    /// <summary>Packed data register on the BMI270.</summary>
    public const byte PackedRegisterBmi270 = 0x05;

    /// <summary>Module 0x09: data processor (the accounter that numbers samples).</summary>
    public const byte DataProcessorModule = 0x09;

    /// <summary>Data processor register 0x02: create; the board replies <c>09 02 id</c>.</summary>
    public const byte ProcessorCreateRegister = 0x02;

    /// <summary>Data processor register 0x03: output notifications <c>09 03 id …</c> (and <c>09 03 01</c> enables them).</summary>
    public const byte ProcessorNotifyRegister = 0x03;

    /// <summary>ODR code for 200 Hz (enum index + 1 = 9).</summary>
    private const byte Odr200HzCode = 9;

    /// <summary><c>[module, 0x80]</c>.</summary>
    public static byte[] ReadModuleInfo(byte module) => [module, ReadModuleInfoRegister];

    /// <summary>
    /// Data config <c>03 03 b0 b1</c> for 200 Hz: b0 = ODR code | bwp=2 (BMI160 <c>0x29</c>; BMI270 also
    /// sets the performance bit: <c>0xa9</c>), b1 = range code.
    /// </summary>
    public static byte[] Configure200Hz(AccelerometerChip chip, int rangeG)
    {
        byte b0 = chip == AccelerometerChip.Bmi270 ? (byte)(0xa0 | Odr200HzCode) : (byte)(0x20 | Odr200HzCode);
        return [AccelerometerModule, 0x03, b0, AccelerometerRange.Code(chip, rangeG)];
    }

    /// <summary>The data register to subscribe to.</summary>
    public static byte DataRegister(AccelerometerChip chip, bool packed) =>
        !packed ? PlainDataRegister : chip == AccelerometerChip.Bmi270 ? PackedRegisterBmi270 : PackedRegisterBmi160;

    /// <summary><c>03 reg 01</c> / <c>03 reg 00</c>.</summary>
    public static byte[] Subscribe(byte register, bool on) => [AccelerometerModule, register, on ? (byte)1 : (byte)0];

    /// <summary>Enable data interrupt <c>03 02 01 00</c>.</summary>
    public static byte[] EnableSampling() => [AccelerometerModule, 0x02, 0x01, 0x00];

    /// <summary>Disable data interrupt <c>03 02 00 01</c>.</summary>
    public static byte[] DisableSampling() => [AccelerometerModule, 0x02, 0x00, 0x01];

    /// <summary>Power on <c>03 01 01</c> (200 Hz ≥ 12.5 Hz, so the BMI270 uses 01 too).</summary>
    public static byte[] Start() => [AccelerometerModule, 0x01, 0x01];

    /// <summary>Power off <c>03 01 00</c>.</summary>
    public static byte[] Stop() => [AccelerometerModule, 0x01, 0x00];

    /// <summary>
    /// Connection parameters <c>11 09 min max latency timeout</c> (u16 LE; interval in 1.25 ms, timeout
    /// in 10 ms). MbientLab's advice for high-rate streaming: 7.5 ms, latency 0, 6000 ms →
    /// <c>11 09 06 00 06 00 00 00 58 02</c>.
    /// </summary>
    public static byte[] ConnectionParameters(double minIntervalMs = 7.5, double maxIntervalMs = 7.5, ushort latency = 0, int timeoutMs = 6000)
    {
        ushort min = (ushort)Math.Round(minIntervalMs / 1.25);
        ushort max = (ushort)Math.Round(maxIntervalMs / 1.25);
        ushort timeout = (ushort)(timeoutMs / 10);
        return
        [
            SettingsModule, 0x09,
            (byte)min, (byte)(min >> 8), (byte)max, (byte)(max >> 8),
            (byte)latency, (byte)(latency >> 8), (byte)timeout, (byte)(timeout >> 8),
        ];
    }

    /// <summary>
    /// Create an accounter in count mode on the plain accelerometer signal:
    /// <c>09 02 03 04 ff a0 11 30 03</c> (source module 03 register 04, no data id, a0 = 6 bytes from
    /// offset 0; processor type 0x11; config 30 03). Every output then carries a u32 sample count
    /// before x, y, z (metawear-protocol.md §8; SDK test <c>TestAccounterCount.test_create</c>).
    /// </summary>
    public static byte[] CreateSampleCounter() => [DataProcessorModule, ProcessorCreateRegister, AccelerometerModule, PlainDataRegister, 0xff, 0xa0, 0x11, 0x30, 0x03];

    /// <summary>Samples per packer output in the live chain (<see cref="CreatePacker"/>).</summary>
    public const int PackedPerCount = 2;

    /// <summary>
    /// Create a packer (type 0x10) on the plain accelerometer signal, two samples per output:
    /// <c>09 02 03 04 ff a0 10 05 01</c> (source as in <see cref="CreateSampleCounter"/>; config
    /// <c>PackerConfig</c> = length − 1 = 5, count − 1 = 1). SDK <c>mbl_mw_dataprocessor_packer_create(acc, 2)</c>
    /// as in <c>TestAccounter.test_count_and_time</c>; bytes from <c>dataprocessor_config.cpp</c> and
    /// <c>create_processor</c> (the SDK tests assert the same layout for the thermistor: <c>TestPacker</c>).
    /// </summary>
    public static byte[] CreatePacker() => [DataProcessorModule, ProcessorCreateRegister, AccelerometerModule, PlainDataRegister, 0xff, 0xa0, 0x10, 0x05, PackedPerCount - 1];

    /// <summary>
    /// Create an accounter in count mode on the packer's output: <c>09 02 09 03 id a0 11 30 03</c> (source
    /// = processor notify register with the packer's id; a0 because the packer keeps its input's
    /// 6-byte length; count length min(4, 20 − 3 − 6) = 4). Each output is then
    /// <c>09 03 id | count u32 | 2 × xyz</c>, 19 bytes, and the count numbers packer outputs, i.e.
    /// notifications (<c>forward_response</c> hands both samples the same count). SDK
    /// <c>mbl_mw_dataprocessor_accounter_create_count</c>; the same source layout is asserted by
    /// <c>TestPackerAccounterChain.test_create</c> (<c>09 02 09 03 00 20 11 31 03</c>).
    /// </summary>
    public static byte[] CreateChainCounter(byte packerId) => [DataProcessorModule, ProcessorCreateRegister, DataProcessorModule, ProcessorNotifyRegister, packerId, 0xa0, 0x11, 0x30, 0x03];

    /// <summary>Route a processor's output to the host: <c>09 07 id 01</c> / <c>09 07 id 00</c> (SDK data-signal subscribe).</summary>
    public static byte[] SubscribeProcessor(byte id, bool on) => [DataProcessorModule, 0x07, id, on ? (byte)1 : (byte)0];

    /// <summary>Enable processor notifications <c>09 03 01</c>, sent by the SDK after <see cref="SubscribeProcessor"/>.</summary>
    public static byte[] EnableProcessorNotifications() => [DataProcessorModule, ProcessorNotifyRegister, 0x01];

    /// <summary>Remove one processor <c>09 06 id</c> (processors persist on the board until removed).</summary>
    public static byte[] RemoveProcessor(byte id) => [DataProcessorModule, 0x06, id];

    /// <summary>Remove every processor <c>09 08</c> (what the SDK's teardown sends).</summary>
    public static byte[] RemoveAllProcessors() => [DataProcessorModule, 0x08];

    /// <summary>Module 0x13: gyroscope (SDK <c>module.h</c> <c>MBL_MW_MODULE_GYRO</c>).</summary>
    public const byte GyroscopeModule = 0x13;

    /// <summary>
    /// The gyroscope's plain data register (one sample, <c>13 reg x y z</c> int16): BMI160 <c>0x05</c>, BMI270 <c>0x04</c>
    /// (SDK <c>gyro_bosch_register.h</c>: <c>GyroBmi160Register::DATA = 5</c>, <c>GyroBmi270Register::DATA = 4</c>).
    /// </summary>
    public static byte GyroscopeDataRegister(GyroscopeChip chip) => chip == GyroscopeChip.Bmi270 ? (byte)0x04 : (byte)0x05;

    /// <summary>
    /// The gyroscope's own packed register (three samples, no counter): BMI160 <c>0x07</c>, BMI270 <c>0x05</c>
    /// (<c>PACKED_GYRO_DATA</c>). Not streamed by the sensor link (it would have no counter); kept for the docs and tests.
    /// </summary>
    public static byte GyroscopePackedRegister(GyroscopeChip chip) => chip == GyroscopeChip.Bmi270 ? (byte)0x05 : (byte)0x07;

    /// <summary>LSB per °/s at ±2000 °/s (SDK <c>FSR_SCALE[MBL_MW_GYRO_BOSCH_RANGE_2000dps = 0]</c> = 16.4, both chips).</summary>
    public const float GyroscopeLsbPerDps2000 = 16.4f;

    /// <summary>
    /// Gyroscope config <c>13 03 b0 b1</c> for 200 Hz at ±2000 °/s, both chips: b0 = odr code 9
    /// (<c>MBL_MW_GYRO_BOSCH_ODR_200Hz</c>) in bits 0–3 | bwp 2 in bits 4–5 = <c>0x29</c>, b1 = range code 0
    /// (<c>MBL_MW_GYRO_BOSCH_RANGE_2000dps</c>) in bits 0–2 (SDK <c>GyroBoschConfig</c>, <c>mbl_mw_gyro_bmi160_write_config</c>,
    /// <c>mbl_mw_gyro_bmi270_write_config</c>; SDK test <c>test_mbl_mw_gyro_bmi160_set_odr</c> asserts <c>13 03 29 00</c>).
    /// </summary>
    public static byte[] ConfigureGyroscope200Hz2000Dps() => [GyroscopeModule, 0x03, 0x20 | Odr200HzCode, 0x00];

    /// <summary>Gyroscope data interrupt on <c>13 02 01 00</c> (SDK test <c>test_enable_rotation_sampling</c>).</summary>
    public static byte[] GyroscopeEnableSampling() => [GyroscopeModule, 0x02, 0x01, 0x00];

    /// <summary>Gyroscope data interrupt off <c>13 02 00 01</c> (SDK test <c>test_disable_rotation_sampling</c>).</summary>
    public static byte[] GyroscopeDisableSampling() => [GyroscopeModule, 0x02, 0x00, 0x01];

    /// <summary>Gyroscope power on <c>13 01 01</c> (SDK test <c>test_gyro_active</c>; same bytes for the BMI270, <c>mbl_mw_gyro_bmi270_start</c>).</summary>
    public static byte[] GyroscopeStart() => [GyroscopeModule, 0x01, 0x01];

    /// <summary>Gyroscope power off <c>13 01 00</c> (SDK test <c>test_gyro_standby</c>).</summary>
    public static byte[] GyroscopeStop() => [GyroscopeModule, 0x01, 0x00];

    /// <summary>
    /// Create a packer of two samples on the gyroscope's plain data signal: <c>09 02 13 reg ff a0 10 05 01</c>
    /// (reg = <see cref="GyroscopeDataRegister"/>; the rotation signal is 3 × int16 like the acceleration, so the
    /// source byte is again <c>a0</c>; SDK <c>create_processor</c>, <c>PackerConfig</c>, as <see cref="CreatePacker"/>).
    /// The accounter behind it is <see cref="CreateChainCounter"/> with this packer's id.
    /// </summary>
    public static byte[] CreateGyroscopePacker(GyroscopeChip chip) =>
        [DataProcessorModule, ProcessorCreateRegister, GyroscopeModule, GyroscopeDataRegister(chip), 0xff, 0xa0, 0x10, 0x05, PackedPerCount - 1];

    /// <summary>
    /// Read the battery state <c>11 8c</c>; the board answers <c>11 8c charge voltage(u16 LE)</c> (<see cref="BatteryReading"/>).
    /// The SDK sends <c>11 cc</c> (the silent bit 0x40 too) when no handler is subscribed, which asks for no reply;
    /// subscribed, it sends <c>11 8c</c> (SDK test <c>TestSettingsRevision3.test_read_battery_component</c>).
    /// </summary>
    public static byte[] ReadBatteryState() => [SettingsModule, ReadBatteryStateRegister];

    /// <summary>Debug module: ask the board to drop the link (<c>fe 06</c>).</summary>
    public static byte[] DebugDisconnect() => [0xfe, 0x06];
}
