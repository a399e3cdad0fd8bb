using IolaEdge.Dsp.Samples;
using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Tests.Messages;

public class LatencyStampMessageTests
{
    [Fact]
    public void Stamps_round_trip_in_microseconds_through_an_18_byte_non_commercial_SysEx()
    {
        var footfall = new FootfallEvent(3, 1234567, footfallTimeNs: 1_000_000_000, packetArrivalTimeNs: 2_000_000_000,
            decisionTimeNs: 1_045_000_000, score: 0.8f, strength: 1f, midiWriteTimeNs: 2_000_750_000);
        MidiMessage m = LatencyStampMessage.Encode(footfall);
        Assert.Equal(LatencyStampMessage.Length, m.Length);
        Assert.Equal(new byte[] { 0xF0, 0x7D, 0x49, 0x01, 0x03 }, m.Bytes[..5].ToArray());
        Assert.Equal(0xF7, m.Bytes[^1]);
        Assert.True(LatencyStampMessage.TryDecode(m, out int sensor, out long seq, out long algoUs, out long procUs));
        Assert.Equal(3, sensor);
        Assert.Equal(1234567, seq);
        Assert.Equal(45_000, algoUs);
        Assert.Equal(750, procUs);
    }

    [Fact]
    public void Negative_and_huge_latencies_are_clamped_to_the_28_bit_field()
    {
        var footfall = new FootfallEvent(0, 0, 1_000_000_000_000, 0, 0, 0, 0, midiWriteTimeNs: 10);
        Assert.True(LatencyStampMessage.TryDecode(LatencyStampMessage.Encode(footfall), out _, out _, out long algoUs, out long procUs));
        Assert.Equal(0, algoUs);
        Assert.Equal(0, procUs); // write 10 ns after arrival 0: rounds down to 0 µs
        var late = new FootfallEvent(0, 0, 0, 0, 1_000_000_000_000, 0, 0, midiWriteTimeNs: 1);
        Assert.True(LatencyStampMessage.TryDecode(LatencyStampMessage.Encode(late), out _, out _, out algoUs, out _));
        Assert.Equal((1 << 28) - 1, algoUs);
    }

    [Fact]
    public void Other_messages_do_not_decode()
    {
        Assert.False(LatencyStampMessage.TryDecode(MidiMessage.NoteOn(0, 1, 1), out _, out _, out _, out _));
        Assert.False(LatencyStampMessage.TryDecode(MidiMessage.SystemExclusive(0x7D, [0x49, 0x02]), out _, out _, out _, out _));
    }
}
