using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Outputs;

public class SupervisedPortOutputTests
{
    private static readonly SupervisedPortOptions s_fast = new()
    {
        RescanInterval = TimeSpan.FromMilliseconds(20),
        StuckSendTimeout = TimeSpan.FromMilliseconds(5),
    };

    // The first send blocks for good; the second port's sends return at once, but on a loaded machine a
    // thread can be descheduled for more than 5 ms, and that send would count as stuck too.
    private static readonly SupervisedPortOptions s_stuckOnce = new()
    {
        RescanInterval = TimeSpan.FromMilliseconds(20),
        StuckSendTimeout = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public void A_send_stuck_past_the_timeout_marks_the_port_dead_and_a_new_port_is_opened()
    {
        var ports = new List<BlockingOutput>();
        using var port = new SupervisedPortOutput("stuck", () =>
        {
            var p = new BlockingOutput { BlockSends = ports.Count == 0 };
            ports.Add(p);
            return p;
        }, s_stuckOnce);
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)));
        port.Send(MidiMessage.NoteOn(0, 60, 100), 0); // the first port hangs in this send
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (port.StuckSends == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.Equal(1, port.StuckSends);
        Assert.Equal(1, port.AbandonedPorts);
        Assert.Contains("stuck", port.LastError, StringComparison.Ordinal);
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)), "no new port after the stuck one");
        port.Send(MidiMessage.NoteOn(0, 61, 100), 0);
        deadline = DateTime.UtcNow.AddSeconds(5);
        while (port.MessagesSent == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.Equal(1, port.MessagesSent);
        Assert.Equal(2, ports.Count);
        Assert.False(ports[0].Disposed);
        ports[0].Release(); // the abandoned thread returns: it sends nothing more and closes its own port
        Assert.True(SpinWait.SpinUntil(() => ports[0].Disposed, TimeSpan.FromSeconds(5)), "the abandoned port was left open");
        Assert.Equal(1, port.MessagesSent);
        Assert.Equal(1, ports[0].Sends);
        Assert.False(ports[1].Disposed);
    }

    [Fact]
    public void Failed_opens_are_retried_and_messages_meanwhile_are_counted_not_queued()
    {
        int attempts = 0;
        var recording = new RecordingOutput();
        using var port = new SupervisedPortOutput("flaky", () =>
            Interlocked.Increment(ref attempts) < 3 ? throw new IOException("not plugged in") : recording, s_fast);
        for (int i = 0; i < 10; i++)
        {
            port.Send(MidiMessage.Clock(), 0);
        }

        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)));
        Assert.True(port.OpenFailures >= 2);
        Assert.True(port.AbsentMessages >= 1);
        port.Send(MidiMessage.Start(), 0);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (recording.Count == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(2);
        }

        Assert.Equal(MidiMessage.Start(), Assert.Single(recording.Snapshot()).Message);
        Assert.True(port.LastSendDoneNs > 0 && port.LastSendDoneNs <= MonotonicClock.NowNs());
    }

    [Fact]
    public void Out_of_range_options_name_the_option()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SupervisedPortOutput("x", () => new RecordingOutput(), new SupervisedPortOptions { QueueCapacity = 1 }));
        Assert.Contains("QueueCapacity = 1 is outside 2..65536", ex.Message, StringComparison.Ordinal);
    }
}
