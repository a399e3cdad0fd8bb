using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Outputs;

public class FanOutMidiOutputTests
{
    [Fact]
    public void A_failing_output_is_isolated_and_its_failures_counted()
    {
        var a = new RecordingOutput();
        var b = new RecordingOutput();
        using var fan = new FanOutMidiOutput([a, new ThrowingOutput(), b]);
        fan.Send(MidiMessage.NoteOn(0, 60, 100), 1);
        fan.Send(MidiMessage.NoteOff(0, 60), 2);
        fan.Flush();
        Assert.Equal(2, a.Count);
        Assert.Equal(2, b.Count);
        Assert.Equal(0, fan.FailureCount(0));
        Assert.Equal(3, fan.FailureCount(1)); // two sends and a flush
        Assert.Equal(0, fan.FailureCount(2));
        Assert.Contains("throwing: IOException: flush failed", fan.LastError(1), StringComparison.Ordinal);
        Assert.Equal("fanout(recording,throwing,recording)", fan.Name);
    }

    [Fact]
    public void Dispose_closes_every_output()
    {
        var a = new RecordingOutput();
        var b = new RecordingOutput();
        new FanOutMidiOutput([a, b]).Dispose();
        Assert.True(a.Disposed && b.Disposed);
    }
}
