using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Outputs;

/// <summary>Every message offered to a supervised port ends up sent or dropped with a reason, whatever the port does.</summary>
public sealed class SupervisedPortAccountingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iola-acct-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_fifo_whose_reader_stalls_counts_every_message_it_could_not_write()
    {
        string fifo = Path.Combine(_dir, "midi");
        NativeLibc.MkFifo(fifo);
        // A reader that opened and never reads: the pipe fills (64 KiB), then every write blocks.
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        var port = new SupervisedPortOutput("raw:" + fifo, () => new RawMidiDeviceOutput(fifo),
            new SupervisedPortOptions { RescanInterval = TimeSpan.FromMilliseconds(10), StuckSendTimeout = TimeSpan.FromMilliseconds(5) });
        Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)), port.LastError);
        const int Messages = 40_000; // 120 KB: about twice what the pipe holds
        for (int i = 0; i < Messages; i++)
        {
            port.Send(MidiMessage.NoteOn(0, 60, 100), 0);
            if (i % 64 == 0)
            {
                Thread.Sleep(1); // let the sender keep up while the pipe has room
            }
        }

        // The watchdog's timer may not have looked yet on a quick machine: look until the blocked write is seen.
        long deadline = IolaEdge.Dsp.Timing.MonotonicClock.NowNs() + 5_000_000_000;
        while (port.StuckSends == 0 && IolaEdge.Dsp.Timing.MonotonicClock.NowNs() < deadline)
        {
            port.CheckWatchdog(IolaEdge.Dsp.Timing.MonotonicClock.NowNs());
            Thread.Sleep(5);
        }

        port.Dispose();

        Assert.Equal(Messages, port.Offered);
        Assert.True(port.StuckSends >= 1, "the stalled reader never blocked a write");
        Assert.True(port.LostMessages > 0);
        Assert.True(port.MessagesSent <= 65536 / 3, $"{port.MessagesSent} sent into a 64 KiB pipe nobody reads");
        Assert.Equal(port.Offered, port.MessagesSent + port.LostMessages);
    }

    // CI once counted a stuck sender's queue twice here (sent + lost = offered + 447): the watchdog's timer retired the
    // worker that Dispose had just read, then Dispose abandoned it again, and the fresh worker the timer made was never stopped.
    [Fact]
    public void Disposing_while_the_watchdog_retires_a_stuck_sender_counts_each_message_once_and_leaves_no_port_open()
    {
        for (int round = 0; round < 40; round++)
        {
            var opened = new System.Collections.Concurrent.ConcurrentQueue<BlockingOutput>();
            var port = new SupervisedPortOutput("race", () =>
            {
                var p = new BlockingOutput { BlockSends = opened.IsEmpty };
                opened.Enqueue(p);
                return p;
            }, new SupervisedPortOptions { RescanInterval = TimeSpan.FromMilliseconds(10), StuckSendTimeout = TimeSpan.FromMilliseconds(1) });
            Assert.True(port.WaitUntilReady(TimeSpan.FromSeconds(5)), port.LastError);
            for (int i = 0; i < 10; i++)
            {
                port.Send(MidiMessage.NoteOn(0, 60, 100), 0);
            }

            Assert.True(opened.TryPeek(out BlockingOutput? first));
            SpinWait.SpinUntil(() => Volatile.Read(ref first.Sends) > 0, TimeSpan.FromSeconds(5));
            Thread.Sleep(3); // past the stuck-send timeout

            using var start = new Barrier(2);
            var watchdog = new Thread(() =>
            {
                start.SignalAndWait();
                port.CheckWatchdog(IolaEdge.Dsp.Timing.MonotonicClock.NowNs());
            });
            watchdog.Start();
            // If Dispose gets the stuck sender, the send returns 20 ms later and the thread stops on its own (on its own
            // thread: a busy thread pool must not hold the release back past Dispose's patience).
            var unstick = new Thread(() =>
            {
                Thread.Sleep(20);
                first.Release();
            });
            unstick.Start();
            start.SignalAndWait();
            port.Dispose();
            watchdog.Join();
            unstick.Join();
            Thread.Sleep(20); // a sender thread started behind Dispose's back would open its port by now

            Assert.Equal(10, port.Offered);
            Assert.Equal(port.Offered, port.MessagesSent + port.LostMessages);
            // Every port is closed in the end, the stuck one too: its thread closes it once the send has returned.
            SpinWait.SpinUntil(() => opened.All(p => p.Disposed), TimeSpan.FromSeconds(5));
            int closed = opened.Count(p => p.Disposed);
            Assert.True(opened.Count == closed, $"round {round}: {opened.Count} ports opened, {closed} closed, {port.AbandonedPorts} abandoned");
        }
    }

    [Fact]
    public void A_port_that_never_opens_drops_every_message_as_not_open()
    {
        string missing = Path.Combine(_dir, "nonexistent");
        var port = new SupervisedPortOutput("raw:" + missing, () => new RawMidiDeviceOutput(missing),
            new SupervisedPortOptions { RescanInterval = TimeSpan.FromMilliseconds(10) });
        for (int i = 0; i < 100; i++)
        {
            port.Send(MidiMessage.Clock(), 0);
        }

        port.Dispose();

        Assert.Equal(0, port.Opens);
        Assert.Equal(100, port.Offered);
        Assert.Equal(100, port.AbsentMessages);
        Assert.Equal(port.Offered, port.MessagesSent + port.LostMessages);
        Assert.Contains(missing, port.LastError, StringComparison.Ordinal);
    }
}
