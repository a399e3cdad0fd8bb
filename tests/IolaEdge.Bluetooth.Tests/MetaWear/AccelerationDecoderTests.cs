using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Bluetooth.Tests.MetaWear;

public class AccelerationDecoderTests
{
    private static (AccelerationDecoder Decoder, CountingSink Sink) Make(byte register, int rangeG, int sensorId = 0)
    {
        var sink = new CountingSink { Kept = [] };
        var d = new AccelerationDecoder(sensorId);
        d.Configure(sink, register, rangeG, TimeSpan.FromMilliseconds(60));
        return (d, sink);
    }

    [Fact]
    public void A_plain_packet_decodes_as_in_the_sdk_test()
    {
        // SDK test TestBmi160AccelerationData.test_get_acceleration_data_g at ±4 g.
        (AccelerationDecoder d, CountingSink sink) = Make(0x04, 4, sensorId: 1);
        Assert.True(d.TryDecode(Convert.FromHexString("030416c494a22ad0"), 1234, out PacketRejectReason reason));
        Assert.Equal(PacketRejectReason.None, reason);
        ImuSample s = Assert.Single(sink.Kept!);
        Assert.Equal(-1.872f, s.X, 0.001f);
        Assert.Equal(-2.919f, s.Y, 0.001f);
        Assert.Equal(-1.495f, s.Z, 0.001f);
        Assert.Equal(1, s.SensorId);
        Assert.Equal(1234, s.ArrivalTimeNs);
        Assert.Equal(0, s.SensorTimeNs);
        Assert.Equal(0, s.Sequence);
    }

    [Theory]
    [InlineData(0x1c)]
    [InlineData(0x05)]
    public void A_packed_packet_decodes_three_samples_in_order_as_in_the_sdk_test(byte register)
    {
        // SDK test TestBmi160HighFreqAccData.test_get_acceleration_data_g at ±8 g (same payload for BMI270 behind 03 05).
        (AccelerationDecoder d, CountingSink sink) = Make(register, 8);
        byte[] packet = Convert.FromHexString("031c62b7530de9fd16d04d0e57028affa1050a01");
        packet[1] = register;
        Assert.True(d.TryDecode(packet, 99, out _));
        Assert.Equal(3, sink.Kept!.Count);
        float[][] expected = [[-4.539f, 0.833f, -0.131f], [-2.995f, 0.894f, 0.146f], [-0.029f, 0.352f, 0.065f]];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i][0], sink.Kept[i].X, 0.001f);
            Assert.Equal(expected[i][1], sink.Kept[i].Y, 0.001f);
            Assert.Equal(expected[i][2], sink.Kept[i].Z, 0.001f);
            Assert.Equal(i, sink.Kept[i].Sequence);
            Assert.Equal(99, sink.Kept[i].ArrivalTimeNs);
        }

        Assert.Equal(3, d.Samples);
        Assert.Equal(1, d.Packets);
    }

    [Fact]
    public void Every_truncation_of_a_packed_packet_is_rejected_and_counted()
    {
        (AccelerationDecoder d, CountingSink sink) = Make(0x1c, 16);
        byte[] packet = Convert.FromHexString("031c62b7530de9fd16d04d0e57028affa1050a01");
        int rejected = 0;
        for (int len = 0; len < packet.Length; len++)
        {
            bool ok = d.TryDecode(packet.AsSpan(0, len), 1, out PacketRejectReason reason);
            if (len is 8 or 14)
            {
                Assert.True(ok); // 1 or 2 whole samples: a short final packet is still valid data
                continue;
            }

            Assert.False(ok);
            Assert.True(reason is PacketRejectReason.Truncated or PacketRejectReason.PartialSample, $"length {len}: {reason}");
            rejected++;
        }

        Assert.Equal(rejected, d.RejectedTotal);
        Assert.Equal(3, sink.Count);
    }

    [Theory]
    [InlineData(0x1c, "031c" + "000000000000" + "000000000000" + "000000000000" + "000000000000")]
    [InlineData(0x04, "0304" + "000000000000" + "000000000000")]
    public void More_samples_than_the_register_carries_is_oversized(byte register, string hex)
    {
        (AccelerationDecoder d, CountingSink sink) = Make(register, 16);
        Assert.False(d.TryDecode(Convert.FromHexString(hex), 1, out PacketRejectReason reason));
        Assert.Equal(PacketRejectReason.Oversized, reason);
        Assert.Equal(1, d.Rejected(PacketRejectReason.Oversized));
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public void A_packet_of_another_register_is_rejected_as_unexpected()
    {
        (AccelerationDecoder d, _) = Make(0x1c, 16);
        Assert.False(d.TryDecode(Convert.FromHexString("0304000000000000"), 1, out PacketRejectReason reason));
        Assert.Equal(PacketRejectReason.UnexpectedHeader, reason);
        Assert.False(d.TryDecode(Convert.FromHexString("1304000000000000"), 1, out reason));
        Assert.Equal(2, d.Rejected(PacketRejectReason.UnexpectedHeader));
    }

    [Fact]
    public void Random_payloads_never_throw_and_every_one_is_either_decoded_or_counted()
    {
        (AccelerationDecoder d, CountingSink sink) = Make(0x1c, 16);
        var rng = new Random(12345);
        const int N = 200_000;
        int accepted = 0;
        byte[] buffer = new byte[64];
        for (int i = 0; i < N; i++)
        {
            int len = rng.Next(0, buffer.Length + 1);
            rng.NextBytes(buffer);
            if (rng.Next(4) == 0 && len >= 2)
            {
                buffer[0] = 0x03; // bias towards the right header so the length checks get exercised
                buffer[1] = 0x1c;
            }

            if (d.TryDecode(buffer.AsSpan(0, len), i, out PacketRejectReason reason))
            {
                accepted++;
                Assert.Equal(PacketRejectReason.None, reason);
            }
            else
            {
                Assert.NotEqual(PacketRejectReason.None, reason);
            }
        }

        Assert.Equal(N, accepted + d.RejectedTotal);
        Assert.Equal(accepted, d.Packets);
        Assert.True(accepted > 0 && d.RejectedTotal > 0);
        Assert.Equal(d.Samples, sink.Count);
    }

    [Fact]
    public void An_unconfigured_decoder_rejects_and_counts()
    {
        var d = new AccelerationDecoder(0);
        Assert.False(d.TryDecode(Convert.FromHexString("0304000000000000"), 1, out PacketRejectReason reason));
        Assert.NotEqual(PacketRejectReason.None, reason);
        Assert.Equal(1, d.RejectedTotal);
    }

    [Fact]
    public void A_long_silence_between_packets_counts_one_arrival_gap()
    {
        (AccelerationDecoder d, _) = Make(0x04, 16);
        byte[] p = Convert.FromHexString("0304000000000008");
        d.TryDecode(p, 1_000_000_000, out _);
        d.TryDecode(p, 1_005_000_000, out _);
        d.TryDecode(p, 1_200_000_000, out _);
        Assert.Equal(1, d.ArrivalGaps);
    }

    [Fact]
    public void Decoding_allocates_nothing_in_steady_state()
    {
        (AccelerationDecoder d, _) = Make(0x1c, 16);
        var sink = new CountingSink();
        d.Configure(sink, 0x1c, 16, TimeSpan.FromMilliseconds(60));
        byte[] packet = Convert.FromHexString("031c62b7530de9fd16d04d0e57028affa1050a01");
        byte[] bad = Convert.FromHexString("031c62b7");
        long allocated = Allocations.OfSteadyState(() =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                d.TryDecode(packet, i, out _);
                d.TryDecode(bad, i, out _);
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(450_000, sink.Count);
    }

    private static byte[] Counted(byte id, uint count, short x = 0, short y = 0, short z = 2048)
    {
        byte[] p = new byte[13];
        p[0] = 0x09;
        p[1] = 0x03;
        p[2] = id;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(3), count);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(7), x);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(9), y);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(11), z);
        return p;
    }

    private static (AccelerationDecoder Decoder, CountingSink Sink) MakeCounted(byte id)
    {
        var sink = new CountingSink { Kept = [] };
        var d = new AccelerationDecoder(0);
        d.Configure(sink, MetaWearCommands.PlainDataRegister, 16, TimeSpan.FromMilliseconds(60), id);
        return (d, sink);
    }

    [Fact]
    public void A_sample_counter_packet_decodes_as_in_the_sdk_test()
    {
        // SDK test TestAccounterCount.test_count_extraction: count 492.
        (AccelerationDecoder d, CountingSink sink) = MakeCounted(0);
        Assert.True(d.TryDecode(Convert.FromHexString("090300ec010000010b9a074040"), 1_000_000_000, out _));
        ImuSample s = Assert.Single(sink.Kept!);
        Assert.Equal(0x0b01 / 2048f, s.X, 0.0001f);
        Assert.Equal(0x079a / 2048f, s.Y, 0.0001f);
        Assert.Equal(0x4040 / 2048f, s.Z, 0.0001f);
        Assert.Equal(0, s.Sequence);
        Assert.Equal(1_000_000_000, s.SensorTimeNs); // the first sample anchors at its arrival
        Assert.True(d.Counted);
    }

    [Fact]
    public void Counter_steps_give_exact_losses_sequence_gaps_and_whole_period_sample_times()
    {
        (AccelerationDecoder d, CountingSink sink) = MakeCounted(2);
        uint[] counts = [uint.MaxValue - 2, uint.MaxValue - 1, uint.MaxValue, 1, 2, 7, 8]; // wraps at 2^32; 0 and 3..6 lost
        foreach (uint c in counts)
        {
            long taken = unchecked(c - counts[0]) * 5_000_000L; // every sample arrives 2 ms after it was taken
            Assert.True(d.TryDecode(Counted(2, c), 1_000_000_000 + taken + 2_000_000, out _));
        }

        Assert.Equal([0L, 1, 2, 4, 5, 10, 11], sink.Kept!.Select(s => s.Sequence));
        Assert.Equal(5, d.LostSamples);
        Assert.Equal(7, d.Samples);
        long[] steps = sink.Kept!.Zip(sink.Kept!.Skip(1), (a, b) => b.SensorTimeNs - a.SensorTimeNs).ToArray();
        Assert.Equal([5_000_000L, 5_000_000, 10_000_000, 5_000_000, 25_000_000, 5_000_000], steps);

        // What the pipeline's clock makes of those times: it keeps them and counts the same losses.
        var clock = new IolaEdge.Dsp.Timing.SampleClock();
        foreach (ImuSample s in sink.Kept!)
        {
            Assert.Equal(s.SensorTimeNs, clock.Stamp(s).SensorTimeNs);
        }

        Assert.Equal(5, clock.EstimatedLostSamples);
    }

    [Fact]
    public void A_repeated_count_or_another_processor_is_rejected_and_counted()
    {
        (AccelerationDecoder d, CountingSink sink) = MakeCounted(1);
        Assert.True(d.TryDecode(Counted(1, 10), 1, out _));
        Assert.False(d.TryDecode(Counted(1, 10), 2, out PacketRejectReason reason));
        Assert.Equal(PacketRejectReason.CounterOutOfOrder, reason);
        Assert.False(d.TryDecode(Counted(1, 9), 3, out reason));
        Assert.Equal(PacketRejectReason.CounterOutOfOrder, reason);
        Assert.False(d.TryDecode(Counted(0, 11), 4, out reason));
        Assert.Equal(PacketRejectReason.UnexpectedHeader, reason);
        Assert.False(d.TryDecode(Counted(1, 11).AsSpan(0, 12), 5, out reason));
        Assert.Equal(PacketRejectReason.Truncated, reason);
        Assert.Equal(1, sink.Count);
        Assert.Equal(4, d.RejectedTotal);
        Assert.Equal(0, d.LostSamples);
    }

    [Fact]
    public void Decoding_counted_samples_allocates_nothing_in_steady_state()
    {
        var sink = new CountingSink();
        var d = new AccelerationDecoder(0);
        d.Configure(sink, MetaWearCommands.PlainDataRegister, 16, TimeSpan.FromMilliseconds(60), 0);
        byte[] packet = Counted(0, 0);
        uint count = 0;
        long arrival = 1_000_000_000;
        long allocated = Allocations.OfSteadyState(() =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                count += i % 30 == 0 ? 2u : 1u;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(3), count);
                arrival += 5_000_000;
                d.TryDecode(packet, arrival, out _);
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(150_000, sink.Count);
    }
}
