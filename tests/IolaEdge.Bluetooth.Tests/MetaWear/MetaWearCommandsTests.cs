using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth.Tests.MetaWear;

public class MetaWearCommandsTests
{
    [Theory]
    [InlineData(AccelerometerChip.Bmi160, 16, "0303290C")]
    [InlineData(AccelerometerChip.Bmi160, 8, "03032908")]
    [InlineData(AccelerometerChip.Bmi160, 4, "03032905")]
    [InlineData(AccelerometerChip.Bmi160, 2, "03032903")]
    [InlineData(AccelerometerChip.Bmi270, 16, "0303A903")]
    [InlineData(AccelerometerChip.Bmi270, 8, "0303A902")]
    [InlineData(AccelerometerChip.Bmi270, 4, "0303A901")]
    [InlineData(AccelerometerChip.Bmi270, 2, "0303A900")]
    public void The_200_Hz_configuration_matches_the_sdk_encoding(AccelerometerChip chip, int rangeG, string hex) =>
        Assert.Equal(hex, Convert.ToHexString(MetaWearCommands.Configure200Hz(chip, rangeG)));

    [Fact]
    public void The_connection_parameter_request_asks_for_7_5_ms() =>
        Assert.Equal("1109060006000000" + "5802", Convert.ToHexString(MetaWearCommands.ConnectionParameters()));

    [Fact]
    public void The_connection_parameters_match_the_sdk_test_vector() =>
        Assert.Equal("1109580220038000" + "6606", Convert.ToHexString(MetaWearCommands.ConnectionParameters(750, 1000, 128, 16384)));

    [Fact]
    public void Stream_commands_match_the_protocol_notes()
    {
        Assert.Equal("031C01", Convert.ToHexString(MetaWearCommands.Subscribe(MetaWearCommands.DataRegister(AccelerometerChip.Bmi160, packed: true), true)));
        Assert.Equal("030501", Convert.ToHexString(MetaWearCommands.Subscribe(MetaWearCommands.DataRegister(AccelerometerChip.Bmi270, packed: true), true)));
        Assert.Equal("030400", Convert.ToHexString(MetaWearCommands.Subscribe(MetaWearCommands.DataRegister(AccelerometerChip.Bmi270, packed: false), false)));
        Assert.Equal("03020100", Convert.ToHexString(MetaWearCommands.EnableSampling()));
        Assert.Equal("03020001", Convert.ToHexString(MetaWearCommands.DisableSampling()));
        Assert.Equal("030101", Convert.ToHexString(MetaWearCommands.Start()));
        Assert.Equal("030100", Convert.ToHexString(MetaWearCommands.Stop()));
        Assert.Equal("0380", Convert.ToHexString(MetaWearCommands.ReadModuleInfo(3)));
    }

    [Theory]
    [InlineData("03800101", AccelerometerChip.Bmi160, true)]
    [InlineData("03800102", AccelerometerChip.Bmi160, true)]
    [InlineData("03800100", AccelerometerChip.Bmi160, false)]
    [InlineData("03800400", AccelerometerChip.Bmi270, true)]
    [InlineData("0380", AccelerometerChip.Unknown, false)]
    [InlineData("03800300", AccelerometerChip.Unknown, false)]
    public void Module_info_identifies_the_accelerometer(string hex, AccelerometerChip chip, bool packed)
    {
        Assert.True(ModuleInfo.TryParse(Convert.FromHexString(hex), out ModuleInfo info));
        Assert.Equal(chip, info.Chip);
        Assert.Equal(packed, info.SupportsPacked);
    }

    [Fact]
    public void A_non_info_packet_is_not_module_info() =>
        Assert.False(ModuleInfo.TryParse(Convert.FromHexString("031c00"), out _));

    [Fact]
    public void Sample_counter_commands_match_the_sdk_tests()
    {
        Assert.Equal("0902030" + "4FFA0113003", Convert.ToHexString(MetaWearCommands.CreateSampleCounter())); // TestAccounterCount.test_create
        Assert.Equal("09070101", Convert.ToHexString(MetaWearCommands.SubscribeProcessor(1, true)));        // data-signal subscribe
        Assert.Equal("09070100", Convert.ToHexString(MetaWearCommands.SubscribeProcessor(1, false)));
        Assert.Equal("090301", Convert.ToHexString(MetaWearCommands.EnableProcessorNotifications()));
        Assert.Equal("090601", Convert.ToHexString(MetaWearCommands.RemoveProcessor(1)));
        Assert.Equal("0908", Convert.ToHexString(MetaWearCommands.RemoveAllProcessors()));
    }

    [Fact]
    public void Chain_commands_are_the_sdk_create_bytes()
    {
        // mbl_mw_dataprocessor_packer_create(acc, 2): source 03 04 ff, a0 = 6 bytes at offset 0, type 10, PackerConfig {length-1 = 5, count-1 = 1}.
        Assert.Equal("090203" + "04FFA0100501", Convert.ToHexString(MetaWearCommands.CreatePacker()));

        // mbl_mw_dataprocessor_accounter_create_count(packer): source 09 03 <packer id>, a0 (the packer keeps its input's length),
        // type 11, AccounterConfig {count mode, length-1 = 3, prescale 3} as in TestPackerAccounterChain (09 02 09 03 00 20 11 31 03, time mode).
        Assert.Equal("09020903" + "00A0113003", Convert.ToHexString(MetaWearCommands.CreateChainCounter(0)));
        Assert.Equal("09020903" + "05A0113003", Convert.ToHexString(MetaWearCommands.CreateChainCounter(5)));
    }
}
