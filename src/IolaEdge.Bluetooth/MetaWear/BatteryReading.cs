using System.Buffers.Binary;

namespace IolaEdge.Bluetooth.MetaWear;

/// <summary>
/// The board's battery state: the reply <c>11 8c | charge u8 | voltage u16 LE</c> to the read <c>11 8c</c> of the
/// settings module's battery register <c>0x0c</c> (SDK <c>settings_register.h</c> <c>BATTERY_STATE = 0xc</c>,
/// <c>datainterpreter.cpp</c> <c>convert_to_battery_state</c>: charge = byte 0, voltage = bytes 1–2; SDK test
/// <c>TestSettingsRevision3.test_battery_state_data</c>: <c>11 8c 63 34 10</c> → 99 %, 4148 mV).
/// </summary>
/// <param name="ChargePercent">State of charge, 0–100 %.</param>
/// <param name="VoltageMv">Battery voltage in mV.</param>
internal readonly record struct BatteryReading(byte ChargePercent, ushort VoltageMv)
{
    /// <summary>Header plus charge (1 byte) plus voltage (2 bytes).</summary>
    public const int Length = 5;

    private const int ChargeOffset = 2;
    private const int VoltageOffset = 3;

    /// <summary>True when <paramref name="packet"/> is a battery-state reply (any length): module 0x11, register 0x0c with the read bit.</summary>
    public static bool IsReply(ReadOnlySpan<byte> packet) =>
        packet.Length >= 2 && packet[0] == MetaWearCommands.SettingsModule && packet[1] == MetaWearCommands.ReadBatteryStateRegister;

    /// <summary>Decodes a reply; false with the reason for a packet that is not a well-formed battery state.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out BatteryReading reading, out BatteryRejectReason reason)
    {
        reading = default;
        if (!IsReply(packet))
        {
            reason = BatteryRejectReason.UnexpectedHeader;
            return false;
        }

        if (packet.Length < Length)
        {
            reason = BatteryRejectReason.Truncated;
            return false;
        }

        if (packet.Length > Length)
        {
            reason = BatteryRejectReason.Oversized;
            return false;
        }

        byte charge = packet[ChargeOffset];
        if (charge > 100)
        {
            reason = BatteryRejectReason.ChargeOutOfRange;
            return false;
        }

        reading = new BatteryReading(charge, BinaryPrimitives.ReadUInt16LittleEndian(packet[VoltageOffset..]));
        reason = BatteryRejectReason.None;
        return true;
    }
}
