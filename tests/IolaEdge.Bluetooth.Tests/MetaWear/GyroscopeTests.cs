using System.Buffers.Binary;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Bluetooth.Tests.MetaWear;

/// <summary>The gyroscope's protocol bytes (MetaWear C++ SDK) and its decoding at ±2000 °/s.</summary>
public class GyroscopeTests
{
    [Fact]
    public void The_gyro_commands_match_the_sdk()
    {
        Assert.Equal("13032900", Convert.ToHexString(MetaWearCommands.ConfigureGyroscope200Hz2000Dps())); // test_mbl_mw_gyro_bmi160_set_odr
        Assert.Equal("13020100", Convert.ToHexString(MetaWearCommands.GyroscopeEnableSampling()));
        Assert.Equal("13020001", Convert.ToHexString(MetaWearCommands.GyroscopeDisableSampling()));
        Assert.Equal("130101", Convert.ToHexString(MetaWearCommands.GyroscopeStart()));
        Assert.Equal("130100", Convert.ToHexString(MetaWearCommands.GyroscopeStop()));
        Assert.Equal("1380", Convert.ToHexString(MetaWearCommands.ReadModuleInfo(MetaWearCommands.GyroscopeModule)));
        Assert.Equal("09021305FFA0100501", Convert.ToHexString(MetaWearCommands.CreateGyroscopePacker(GyroscopeChip.Bmi160)));
        Assert.Equal("09021304FFA0100501", Convert.ToHexString(MetaWearCommands.CreateGyroscopePacker(GyroscopeChip.Bmi270)));
        Assert.Equal((0x07, 0x05), (MetaWearCommands.GyroscopePackedRegister(GyroscopeChip.Bmi160), MetaWearCommands.GyroscopePackedRegister(GyroscopeChip.Bmi270)));
    }

    [Theory]
    [InlineData("13800001", GyroscopeChip.Bmi160)] // MetaMotion R fixture (test/common.py)
    [InlineData("13800100", GyroscopeChip.Bmi270)] // MetaMotion S fixture
    [InlineData("1380", GyroscopeChip.None)]       // absent: an acceleration-only board
    [InlineData("13800701", GyroscopeChip.None)]   // an implementation we do not know
    public void Module_0x13_info_names_the_gyro_chip(string reply, GyroscopeChip chip)
    {
        Assert.True(ModuleInfo.TryParse(Convert.FromHexString(reply), out ModuleInfo info));
        Assert.Equal(chip, info.Gyroscope);
        Assert.Equal(AccelerometerChip.Unknown, info.Chip);
    }

    [Fact]
    public void A_counted_gyro_notification_decodes_to_degrees_per_second_at_16_4_lsb()
    {
        // The SDK's plain-gyro test vector 3e43 ff7f 0080 reads 262.409, 499.497, -499.512 °/s at ±500 °/s (65.6 LSB);
        // at ±2000 °/s (16.4 LSB) the same counts are four times that.
        var sink = new CountingSink { Kept = [] };
        var d = new AccelerationDecoder(0);
        d.Configure(sink, MetaWearCommands.GyroscopeDataRegister(GyroscopeChip.Bmi160), 1f / MetaWearCommands.GyroscopeLsbPerDps2000,
            TimeSpan.FromMilliseconds(60), 3, MetaWearCommands.PackedPerCount);
        byte[] p = new byte[19];
        p[0] = 0x09;
        p[1] = 0x03;
        p[2] = 3;
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(3), 7);
        Convert.FromHexString("3E43FF7F0080").CopyTo(p, 7);
        Convert.FromHexString("3E43FF7F0080").CopyTo(p, 13);
        Assert.True(d.TryDecode(p, 1_000_000_000, out _));
        Assert.Equal(4 * 262.409f, sink.Kept![0].X, 0.01f);
        Assert.Equal(4 * 499.497f, sink.Kept[0].Y, 0.01f);
        Assert.Equal(4 * -499.512f, sink.Kept[1].Z, 0.01f);
    }

    [Fact]
    public void The_handler_routes_the_gyro_accounter_to_the_gyro_decoder_and_everything_else_to_the_accelerometer()
    {
        var accSink = new CountingSink();
        var gyroSink = new CountingSink();
        var acc = new AccelerationDecoder(0);
        var gyro = new AccelerationDecoder(0);
        acc.Configure(accSink, MetaWearCommands.PlainDataRegister, 16, TimeSpan.FromMilliseconds(60), 1, 2);
        gyro.Configure(gyroSink, 0x05, 1f / 16.4f, TimeSpan.FromMilliseconds(60), 3, 2);
        var handler = new NotificationHandler(acc, gyro) { GyroscopeCounterId = 3 };
        byte[] accPacket = new byte[19];
        accPacket[0] = 9;
        accPacket[1] = 3;
        accPacket[2] = 1;
        byte[] gyroPacket = (byte[])accPacket.Clone();
        gyroPacket[2] = 3;
        handler.Dispatch(accPacket, 1);
        handler.Dispatch(gyroPacket, 2);
        handler.Dispatch(gyroPacket.AsSpan(0, 12), 3); // a cut gyro notification is the gyro decoder's rejection
        Assert.Equal((2L, 2L), (accSink.Count, gyroSink.Count));
        Assert.Equal((0L, 1L), (acc.RejectedTotal, gyro.Rejected(PacketRejectReason.Truncated)));
    }
}
