namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// A module-info reply <c>[id, 0x80, implementation, revision, extra…]</c>; a 2-byte reply means
/// "absent" (SDK <c>moduleinfo.cpp</c>, metawear-protocol.md §3).
/// </summary>
internal readonly record struct ModuleInfo(byte ModuleId, bool Present, byte Implementation, byte Revision)
{
    /// <summary>Parses a reply; false when it is not a module-info reply.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out ModuleInfo info)
    {
        if (packet.Length < 2 || packet[1] != MetaWearCommands.ReadModuleInfoRegister)
        {
            info = default;
            return false;
        }

        info = packet.Length >= 4
            ? new ModuleInfo(packet[0], true, packet[2], packet[3])
            : new ModuleInfo(packet[0], false, 0, 0);
        return true;
    }

    /// <summary>The accelerometer chip when this is module 0x03's info.</summary>
    public AccelerometerChip Chip => (ModuleId, Present, Implementation) switch
    {
        (MetaWearCommands.AccelerometerModule, true, 1) => AccelerometerChip.Bmi160,
        (MetaWearCommands.AccelerometerModule, true, 4) => AccelerometerChip.Bmi270,
        _ => AccelerometerChip.Unknown,
    };

    /// <summary>The gyroscope chip when this is module 0x13's info (implementation 0 = BMI160, 1 = BMI270; SDK <c>gyro_bosch.cpp</c>).</summary>
    public GyroscopeChip Gyroscope => (ModuleId, Present, Implementation) switch
    {
        (MetaWearCommands.GyroscopeModule, true, 0) => GyroscopeChip.Bmi160,
        (MetaWearCommands.GyroscopeModule, true, 1) => GyroscopeChip.Bmi270,
        _ => GyroscopeChip.None,
    };

    /// <summary>Packed streaming: BMI160 needs accelerometer revision ≥ 1; BMI270 always has it (SDK <c>PACKED_ACC_REVISION</c>).</summary>
    public bool SupportsPacked => Chip == AccelerometerChip.Bmi270 || (Chip == AccelerometerChip.Bmi160 && Revision >= 1);
}
