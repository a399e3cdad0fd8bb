using IolaEdge.Midi.Inputs;
using IolaEdge.Midi.Rtmidi;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Inputs;

/// <summary>
/// The learn input's opener against a real JACK server, watched from another process (jack_evmon): while the keyboard
/// is absent, one client waits for it, where each rescan used to register and unregister a client of its own.
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class RtMidiInputOpenerJackTests(JackServer jack)
{
    private static readonly MidiNoteListenerOptions s_fast = new() { RescanInterval = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(5) };
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void While_the_keyboard_is_absent_one_client_waits_for_it_and_connects_when_it_appears()
    {
        jack.Start();
        using JackClientEvents events = JackClientEvents.Start(jack.ServerName);
        using RtMidiInputOpener opener = new(RtMidiApi.Jack, RtMidiPortSelector.ByRegex("^late-keys:out$"), "learn-wait");
        long notes = 0;
        using MidiNoteListener listener = new("learn", opener.Open, _ => Interlocked.Increment(ref notes), s_fast);

        Assert.True(SpinWait.SpinUntil(() => listener.OpenFailures >= 20, s_wait), listener.LastError);
        Assert.Contains("no jack MIDI output port matches regex:^late-keys:out$", listener.LastError, StringComparison.Ordinal);
        Assert.Equal(1, opener.ClientsCreated);
        Assert.True(SpinWait.SpinUntil(() => events.Registered("learn-wait") == 1, s_wait), events.Text);
        Assert.Equal(0, events.Unregistered("learn-wait"));

        using JackPeer keys = JackPeer.Sender(jack.ServerName, "late-keys");
        Assert.True(listener.WaitUntilReady(s_wait), listener.LastError);
        Assert.Equal("late-keys:out", listener.ConnectedTo);
        Assert.True(SpinWait.SpinUntil(() =>
        {
            keys.SendNoteOn(channel: 1, note: 60, velocity: 90);
            return SpinWait.SpinUntil(() => Interlocked.Read(ref notes) > 0, TimeSpan.FromMilliseconds(100));
        }, s_wait), $"no note reached the listener; jackd: {jack.Log}");

        Assert.Equal(1, opener.ClientsCreated);
        Assert.Equal(1, events.Registered("learn-wait"));
        Assert.Equal(0, events.Unregistered("learn-wait"));
    }

    [Fact]
    public void After_the_server_dies_and_restarts_the_waiting_input_connects_to_the_keyboard()
    {
        jack.Start();
        using RtMidiInputOpener opener = new(RtMidiApi.Jack, RtMidiPortSelector.ByRegex("^later-keys:out$"), "learn-restart");
        using MidiNoteListener listener = new("learn", opener.Open, _ => { }, s_fast);
        Assert.True(SpinWait.SpinUntil(() => listener.OpenFailures >= 3, s_wait), listener.LastError);
        Assert.Equal(1, opener.ClientsCreated);

        jack.Kill();
        long failuresAtKill = listener.OpenFailures;
        Assert.True(SpinWait.SpinUntil(() => listener.OpenFailures >= failuresAtKill + 3, s_wait), listener.LastError);

        jack.Start();
        using JackPeer keys = JackPeer.Sender(jack.ServerName, "later-keys");
        Assert.True(listener.WaitUntilReady(s_wait), listener.LastError);
        Assert.Equal("later-keys:out", listener.ConnectedTo);
    }
}
