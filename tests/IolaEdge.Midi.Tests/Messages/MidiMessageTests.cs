using IolaEdge.Midi.Messages;

namespace IolaEdge.Midi.Tests.Messages;

public class MidiMessageTests
{
    [Theory]
    [InlineData("NoteOn", 0, 60, 100, new byte[] { 0x90, 0x3C, 0x64 })]
    [InlineData("NoteOn", 9, 36, 127, new byte[] { 0x99, 0x24, 0x7F })]
    [InlineData("NoteOff", 15, 127, 0, new byte[] { 0x8F, 0x7F, 0x00 })]
    [InlineData("NoteOff", 0, 0, 64, new byte[] { 0x80, 0x00, 0x40 })]
    [InlineData("ControlChange", 2, 16, 55, new byte[] { 0xB2, 0x10, 0x37 })]
    [InlineData("ControlChange", 0, 119, 0, new byte[] { 0xB0, 0x77, 0x00 })]
    public void Channel_messages_encode_to_the_spec_bytes_with_their_own_status(string kind, int channel, int data1, int data2, byte[] expected)
    {
        MidiMessage message = kind switch
        {
            "NoteOn" => MidiMessage.NoteOn(channel, data1, data2),
            "NoteOff" => MidiMessage.NoteOff(channel, data1, data2),
            _ => MidiMessage.ControlChange(channel, data1, data2),
        };
        Assert.Equal(expected, message.Bytes.ToArray());
        Assert.Equal(expected.Length, message.Length);
        Assert.False(message.IsRealTime);
    }

    [Fact]
    public void Real_time_messages_are_single_bytes()
    {
        Assert.Equal(new byte[] { 0xF8 }, MidiMessage.Clock().Bytes.ToArray());
        Assert.Equal(new byte[] { 0xFA }, MidiMessage.Start().Bytes.ToArray());
        Assert.Equal(new byte[] { 0xFB }, MidiMessage.Continue().Bytes.ToArray());
        Assert.Equal(new byte[] { 0xFC }, MidiMessage.Stop().Bytes.ToArray());
        Assert.True(MidiMessage.Clock().IsRealTime);
    }

    [Fact]
    public void SysEx_is_framed_with_the_non_commercial_id()
    {
        MidiMessage m = MidiMessage.SystemExclusive(MidiStatus.NonCommercialId, [0x01, 0x02, 0x7F]);
        Assert.Equal(new byte[] { 0xF0, 0x7D, 0x01, 0x02, 0x7F, 0xF7 }, m.Bytes.ToArray());
        Assert.True(m.IsSystemExclusive);
        Assert.Equal("F0 7D 01 02 7F F7", m.ToString());
    }

    [Fact]
    public void Two_consecutive_note_ons_repeat_the_status_byte()
    {
        // Running status is never used: every message stands alone.
        Assert.Equal(0x90, MidiMessage.NoteOn(0, 60, 1).Bytes[0]);
        Assert.Equal(0x90, MidiMessage.NoteOn(0, 61, 1).Bytes[0]);
    }

    [Theory]
    [InlineData(16, 60, 100, "channel", "0..15")]
    [InlineData(-1, 60, 100, "channel", "0..15")]
    [InlineData(0, 128, 100, "note", "0..127")]
    [InlineData(0, 60, 0, "velocity", "1..127")]
    [InlineData(0, 60, 128, "velocity", "1..127")]
    public void Out_of_range_note_on_fields_throw_naming_field_value_and_range(int channel, int note, int velocity, string field, string range)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MidiMessage.NoteOn(channel, note, velocity));
        Assert.Equal(field, ex.ParamName);
        Assert.Contains(range, ex.Message, StringComparison.Ordinal);
        Assert.Contains("was", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_change_rejects_channel_mode_controllers()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MidiMessage.ControlChange(0, 120, 0));
        Assert.Equal("controller", ex.ParamName);
    }

    [Fact]
    public void SysEx_rejects_data_bytes_with_the_high_bit_and_oversized_payloads()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MidiMessage.SystemExclusive(0x7D, [0x01, 0x80]));
        Assert.Contains("byte 1 is 0x80", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiMessage.SystemExclusive(0x7D, new byte[MidiMessage.MaxLength - 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiMessage.SystemExclusive(0x7E, [1]));
    }

    [Theory]
    [InlineData(new byte[] { 0x90, 0x3C, 0x64 }, true, null)]
    [InlineData(new byte[] { 0xF8 }, true, null)]
    [InlineData(new byte[] { 0xF0, 0x7D, 0x01, 0xF7 }, true, null)]
    [InlineData(new byte[] { 0x90, 0x3C }, false, "needs 3 bytes")]
    [InlineData(new byte[] { 0x90, 0x3C, 0x80 }, false, "above 0x7F")]
    [InlineData(new byte[] { 0x3C }, false, "not supported")]
    [InlineData(new byte[] { 0xF0, 0x7D, 0x01 }, false, "not supported")]
    [InlineData(new byte[0], false, "length 0")]
    public void TryParse_accepts_exactly_one_well_formed_message(byte[] bytes, bool ok, string? error)
    {
        Assert.Equal(ok, MidiMessage.TryParse(bytes, out MidiMessage message, out string? why));
        if (ok)
        {
            Assert.Equal(bytes, message.Bytes.ToArray());
        }
        else
        {
            Assert.Contains(error!, why, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Equal_bytes_are_equal_messages()
    {
        Assert.Equal(MidiMessage.NoteOn(1, 2, 3), MidiMessage.NoteOn(1, 2, 3));
        Assert.NotEqual(MidiMessage.NoteOn(1, 2, 3), MidiMessage.NoteOn(1, 2, 4));
        Assert.True(MidiMessage.Clock() == MidiMessage.Clock());
    }
}
