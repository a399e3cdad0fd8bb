using IolaEdge.Midi.Inputs;

namespace IolaEdge.Midi.Tests.Inputs;

/// <summary>
/// The listener's state while it shuts down. The port is a stand-in whose close blocks until the test releases it: no
/// real peer can be made to hold its close open at a chosen moment, and that moment is what the state must survive
/// (a health probe reading then could log a lost learn input as the run shut down).
/// </summary>
public sealed class MidiNoteListenerShutdownTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_listener_being_disposed_reads_disposed_while_it_closes_its_port_and_never_absent()
    {
        using ManualResetEventSlim closing = new();
        using ManualResetEventSlim release = new();
        using SlowClosingPort port = new(closing, release);
        MidiNoteListener listener = new("learn", () => port, _ => { },
            new MidiNoteListenerOptions { RescanInterval = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(5) });
        Assert.True(listener.WaitUntilReady(s_wait));

        Task disposing = Task.Run(listener.Dispose);
        Assert.True(closing.Wait(s_wait)); // the listener's thread is inside the port's close
        Assert.Equal(MidiInputState.Disposed, listener.State);

        release.Set();
        await disposing.WaitAsync(s_wait);
        Assert.Equal(MidiInputState.Disposed, listener.State);
        Assert.Equal(0, listener.Disappearances);
        Assert.Equal(1, listener.Opens);
    }

    private sealed class SlowClosingPort(ManualResetEventSlim closing, ManualResetEventSlim release) : IMidiInputPort
    {
        private int _closed;

        public string Name => "slow-closing";

        public string? ConnectedTo => "keys:out";

        public int TryReceive(Span<byte> destination) => 0;

        public bool IsSourcePresent() => true;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                closing.Set();
                release.Wait(s_wait);
            }
        }
    }
}
