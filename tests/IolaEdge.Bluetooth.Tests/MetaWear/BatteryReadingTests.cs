using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth.Tests.MetaWear;

public class BatteryReadingTests
{
    [Fact]
    public void The_read_command_is_the_settings_battery_register_with_the_read_bit() =>
        Assert.Equal("118C", Convert.ToHexString(MetaWearCommands.ReadBatteryState()));

    [Fact]
    public void The_sdk_test_vector_decodes_to_99_percent_and_4148_mv()
    {
        // TestSettingsRevision3.test_battery_state_data: 11 8c 63 34 10 -> charge 99, voltage 4148.
        Assert.True(BatteryReading.TryParse(Convert.FromHexString("118C633410"), out BatteryReading r, out BatteryRejectReason reason));
        Assert.Equal((BatteryRejectReason.None, (byte)99, (ushort)4148), (reason, r.ChargePercent, r.VoltageMv));
    }

    [Theory]
    [InlineData("118C00E80C", 0, 3304)]
    [InlineData("118C64FFFF", 100, 65535)]
    public void Charge_is_byte_two_and_voltage_a_little_endian_u16_after_it(string hex, int charge, int mv)
    {
        Assert.True(BatteryReading.TryParse(Convert.FromHexString(hex), out BatteryReading r, out _));
        Assert.Equal((charge, mv), (r.ChargePercent, (int)r.VoltageMv));
    }

    [Theory]
    [InlineData("118C", BatteryRejectReason.Truncated)]
    [InlineData("118C63", BatteryRejectReason.Truncated)]
    [InlineData("118C6334", BatteryRejectReason.Truncated)]
    [InlineData("118C63341000", BatteryRejectReason.Oversized)]
    [InlineData("118C653410", BatteryRejectReason.ChargeOutOfRange)]
    [InlineData("118B633410", BatteryRejectReason.UnexpectedHeader)]
    [InlineData("0380633410", BatteryRejectReason.UnexpectedHeader)]
    [InlineData("11", BatteryRejectReason.UnexpectedHeader)]
    public void A_malformed_reply_is_rejected_with_its_reason(string hex, BatteryRejectReason expected)
    {
        Assert.False(BatteryReading.TryParse(Convert.FromHexString(hex), out BatteryReading r, out BatteryRejectReason reason));
        Assert.Equal((expected, default(BatteryReading)), (reason, r));
    }

    [Fact]
    public void The_notification_handler_hands_battery_replies_over_as_responses_not_samples()
    {
        var decoder = new AccelerationDecoder(0);
        var handler = new NotificationHandler(decoder);
        var responses = new List<byte[]>();
        handler.ResponseReceived += responses.Add;
        handler.Dispatch(Convert.FromHexString("118C633410"), 1);
        handler.Dispatch(Convert.FromHexString("118C63"), 2);
        Assert.Equal(["118C633410", "118C63"], responses.Select(Convert.ToHexString));
        Assert.Equal((0L, 0L), (decoder.Packets, decoder.RejectedTotal));
    }
}
