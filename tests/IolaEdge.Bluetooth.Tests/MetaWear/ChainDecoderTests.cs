using System.Buffers.Binary;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Bluetooth.Tests.MetaWear;

/// <summary>The packer + accounter chain: <c>09 03 id | count u32 | 2 × xyz</c>, the count numbering notifications.</summary>
public class ChainDecoderTests
{
    private const long Period = 5_000_000;

    private static (AccelerationDecoder Decoder, CountingSink Sink) Make(byte id, bool keep = true)
    {
        var sink = new CountingSink { Kept = keep ? [] : null };
        var d = new AccelerationDecoder(0);
        d.Configure(sink, MetaWearCommands.PlainDataRegister, 16, TimeSpan.FromMilliseconds(60), id, MetaWearCommands.PackedPerCount);
        return (d, sink);
    }

    private static byte[] Chain(byte id, uint count, short z0 = 0, short z1 = 0)
    {
        byte[] p = new byte[19];
        p[0] = 0x09;
        p[1] = 0x03;
        p[2] = id;
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(3), count);
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(11), z0);
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(17), z1);
        return p;
    }

    [Fact]
    public void The_sdk_test_notification_decodes_to_two_samples_a_period_apart()
    {
        // TestAccounter.test_count_and_time: processor 2 = accounter behind a packer of 2 acceleration samples.
        (AccelerationDecoder d, CountingSink sink) = Make(2);
        Assert.True(d.TryDecode(Convert.FromHexString("0903028D0000004EFF35FD79074DFF35FD7D07"), 1_000_000_000, out _));
        Assert.Equal(2, sink.Kept!.Count);
        (ImuSample a, ImuSample b) = (sink.Kept[0], sink.Kept[1]);
        Assert.Equal((-178 / 2048f, -715 / 2048f, 1913 / 2048f), (a.X, a.Y, a.Z));
        Assert.Equal((-179 / 2048f, -715 / 2048f, 1917 / 2048f), (b.X, b.Y, b.Z));
        Assert.Equal((0L, 1L), (a.Sequence, b.Sequence));
        Assert.Equal(Period, b.SensorTimeNs - a.SensorTimeNs);
        Assert.Equal(1_000_000_000, b.SensorTimeNs); // the newest sample anchors at the arrival both share
        Assert.Equal((1_000_000_000L, 1_000_000_000L), (a.ArrivalTimeNs, b.ArrivalTimeNs));
        Assert.Equal((2L, 1L, 0L), (d.Samples, d.Packets, d.LostSamples));
    }

    [Fact]
    public void A_count_step_of_k_loses_k_minus_1_notifications_of_two_samples_across_the_wrap()
    {
        (AccelerationDecoder d, CountingSink sink) = Make(1);
        uint[] counts = [uint.MaxValue - 2, uint.MaxValue - 1, uint.MaxValue, 1, 2, 7, 8]; // 0 and 3..6 lost: 5 notifications
        foreach (uint c in counts)
        {
            long newest = ((unchecked(c - counts[0]) * 2L) + 1) * Period; // taken time of the notification's newest sample
            Assert.True(d.TryDecode(Chain(1, c, (short)c, (short)(c + 1)), 1_000_000_000 + newest + 2_000_000, out _));
        }

        List<ImuSample> kept = sink.Kept!;
        Assert.Equal([0L, 1, 2, 3, 4, 5, 8, 9, 10, 11, 20, 21, 22, 23], kept.Select(s => s.Sequence));
        Assert.Equal((10L, 14L, 7L), (d.LostSamples, d.Samples, d.Packets));
        Assert.Equal(d.Samples + d.LostSamples, kept[^1].Sequence + 1); // counters add up
        foreach ((ImuSample a, ImuSample b) in kept.Zip(kept.Skip(1)))
        {
            Assert.Equal((b.Sequence - a.Sequence) * Period, b.SensorTimeNs - a.SensorTimeNs); // whole periods, one inside a notification
            Assert.True(b.SensorTimeNs <= b.ArrivalTimeNs);
        }

        var clock = new IolaEdge.Dsp.Timing.SampleClock();
        foreach (ImuSample s in kept)
        {
            Assert.Equal(s.SensorTimeNs, clock.Stamp(s).SensorTimeNs);
        }

        Assert.Equal(10, clock.EstimatedLostSamples); // the pipeline's clock counts the same losses from the times
    }

    [Fact]
    public void Notifications_queued_behind_a_late_first_one_keep_whole_period_steps_and_the_base_slews_back_to_the_arrivals()
    {
        // The first notification is read 30 ms late (the bus thread was busy) and the next two were queued behind it,
        // read 1 and 2 ms after it; from then on notifications arrive on time, 10 ms apart. Arrivals cannot move the
        // times already given out, so the base is pulled back a quarter period per sample at most: every step stays
        // within a quarter period of the counted one, and the pipeline's clock counts no loss.
        (AccelerationDecoder d, CountingSink sink) = Make(1);
        long late = 1_030_000_000;
        long[] arrivals = [late, late + 1_000_000, late + 2_000_000];
        for (uint c = 0; c < 40; c++)
        {
            long arrival = c < arrivals.Length ? arrivals[c] : 1_000_000_000 + (c * 2 * Period) + 500_000;
            Assert.True(d.TryDecode(Chain(1, c), arrival, out _));
        }

        List<ImuSample> kept = sink.Kept!;
        Assert.Equal(80, kept.Count);
        foreach ((ImuSample a, ImuSample b) in kept.Zip(kept.Skip(1)))
        {
            long step = b.SensorTimeNs - a.SensorTimeNs;
            Assert.InRange(step, Period - (Period / 4), Period);
            if (b.Sequence % 2 == 1)
            {
                Assert.Equal(Period, step); // one period inside a notification
            }
        }

        Assert.True(kept.Skip(60).All(s => s.SensorTimeNs <= s.ArrivalTimeNs), "the base is back behind the arrivals");
        int shortened = kept.Zip(kept.Skip(1)).Count(p => p.Second.SensorTimeNs - p.First.SensorTimeNs < Period);
        Assert.True(shortened > 2, $"{shortened} steps pulled back");
        Assert.Equal(shortened, d.TimeBasePullBacks); // each notification pulled back is counted once
        var clock = new IolaEdge.Dsp.Timing.SampleClock();
        foreach (ImuSample s in kept)
        {
            clock.Stamp(s);
        }

        Assert.Equal(0, clock.EstimatedLostSamples);
    }

    [Theory]
    [InlineData("090301", PacketRejectReason.Truncated)]
    [InlineData("0903010a000000", PacketRejectReason.Truncated)]
    [InlineData("0903010a000000010203040506", PacketRejectReason.Truncated)] // a single-sample accounter output
    [InlineData("0903010a00000001020304050601020304", PacketRejectReason.Truncated)]
    [InlineData("0903010a0000000102030405060102030405", PacketRejectReason.Truncated)]
    [InlineData("0903010a000000010203040506010203040506ff", PacketRejectReason.Oversized)]
    [InlineData("0903000a000000010203040506010203040506", PacketRejectReason.UnexpectedHeader)]
    [InlineData("031c0a000000010203040506010203040506", PacketRejectReason.UnexpectedHeader)]
    [InlineData("09", PacketRejectReason.Truncated)]
    [InlineData("", PacketRejectReason.Truncated)]
    public void Malformed_chain_packets_are_rejected_and_counted(string hex, PacketRejectReason expected)
    {
        (AccelerationDecoder d, CountingSink sink) = Make(1);
        Assert.False(d.TryDecode(Convert.FromHexString(hex), 1, out PacketRejectReason reason));
        Assert.Equal(expected, reason);
        Assert.Equal((1L, 0L, 0L, 0L), (d.RejectedTotal, d.Packets, d.Samples, sink.Count));
    }

    [Fact]
    public void A_repeated_or_earlier_count_is_rejected_without_touching_the_loss_count()
    {
        (AccelerationDecoder d, CountingSink sink) = Make(1);
        Assert.True(d.TryDecode(Chain(1, 10), 10_000_000, out _));
        Assert.False(d.TryDecode(Chain(1, 10), 20_000_000, out PacketRejectReason reason));
        Assert.Equal(PacketRejectReason.CounterOutOfOrder, reason);
        Assert.False(d.TryDecode(Chain(1, 9), 30_000_000, out reason));
        Assert.Equal(PacketRejectReason.CounterOutOfOrder, reason);
        Assert.True(d.TryDecode(Chain(1, 11), 40_000_000, out _));
        Assert.Equal((0L, 4L, 2L, 2L), (d.LostSamples, d.Samples, d.Packets, d.Rejected(PacketRejectReason.CounterOutOfOrder)));
        Assert.Equal([0L, 1, 2, 3], sink.Kept!.Select(s => s.Sequence));
    }

    [Fact]
    public void Fuzzed_payloads_never_throw_and_every_one_is_decoded_or_counted()
    {
        (AccelerationDecoder d, CountingSink sink) = Make(3, keep: false);
        var rng = new Random(4711);
        const int N = 200_000;
        int accepted = 0;
        byte[] buffer = new byte[40];
        uint count = 0;
        for (int i = 0; i < N; i++)
        {
            int len = rng.Next(4) == 0 ? rng.Next(0, buffer.Length + 1) : rng.Next(16, 23);
            rng.NextBytes(buffer);
            if (rng.Next(5) != 0 && len >= 3)
            {
                buffer[0] = 0x09; // mostly the right header, so that the length and counter checks get exercised
                buffer[1] = 0x03;
                buffer[2] = 3;
                if (len >= 7 && rng.Next(3) != 0)
                {
                    count += (uint)rng.Next(-1, 4); // repeats, reorders, steps and losses
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(3), count);
                }
            }

            if (d.TryDecode(buffer.AsSpan(0, len), 1_000_000 + (i * 10_000_000L), out PacketRejectReason reason))
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
        Assert.True(accepted > 1000 && d.Rejected(PacketRejectReason.CounterOutOfOrder) > 0 && d.Rejected(PacketRejectReason.Truncated) > 0);
        Assert.Equal(2 * d.Packets, d.Samples);
        Assert.Equal(d.Samples, sink.Count);
        Assert.Equal(d.Samples + d.LostSamples, sink.Last.Sequence + 1);
        Assert.Equal(0, d.LostSamples % 2);
    }

    [Fact]
    public void Decoding_the_chain_allocates_nothing_in_steady_state()
    {
        (AccelerationDecoder d, CountingSink sink) = Make(0, keep: false);
        byte[] packet = Chain(0, 0);
        byte[] cut = packet[..12];
        uint count = 0;
        long arrival = 1_000_000_000;
        long allocated = Allocations.OfSteadyState(() =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                count += i % 30 == 0 ? 2u : 1u;
                BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(3), count);
                arrival += 2 * Period;
                d.TryDecode(packet, arrival, out _);
                d.TryDecode(cut, arrival, out _);
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(300_000, sink.Count);
    }
}
