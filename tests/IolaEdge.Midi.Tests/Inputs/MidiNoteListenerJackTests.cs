using System.Collections.Concurrent;
using IolaEdge.Midi.Inputs;
using IolaEdge.Midi.Rtmidi;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Inputs;

/// <summary>
/// The learn input against a real JACK server: a keyboard that is plugged in late, unplugged and plugged back, and a
/// server that restarts. The keyboard is another process, as a real one is. The input opens through
/// <see cref="RtMidiInputOpener"/>: one client waits for the keyboard and stays through its unplug, watched from another
/// process (jack_evmon), where each rescan and each replug used to register a client of its own (the stall this caused
/// is described there).
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class MidiNoteListenerJackTests(JackServer jack)
{
    private static readonly MidiNoteListenerOptions s_fast = new() { RescanInterval = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(5) };
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_named_keyboard_absent_at_start_is_connected_when_it_appears_and_again_after_a_replug_and_only_note_ons_reach_the_handler()
    {
        jack.Start();
        using JackClientEvents events = JackClientEvents.Start(jack.ServerName);
        ConcurrentQueue<MidiNoteOn> notes = new();
        bool throwOnce = true;
        using RtMidiInputOpener opener = new(RtMidiApi.Jack, RtMidiPortSelector.ByRegex("^keys-tx:out$"), "keys-rx");
        using MidiNoteListener listener = new("learn", opener.Open, note =>
        {
            if (throwOnce)
            {
                throwOnce = false;
                throw new InvalidOperationException("handler failed on purpose");
            }

            notes.Enqueue(note);
        }, s_fast);

        Assert.True(SpinWait.SpinUntil(() => listener.OpenFailures > 0, s_wait));
        Assert.Equal(MidiInputState.Absent, listener.State);
        Assert.Contains("no jack MIDI output port matches regex:^keys-tx:out$", listener.LastError, StringComparison.Ordinal);

        using (JackPeer keys = JackPeer.Sender(jack.ServerName, "keys-tx"))
        {
            Assert.True(listener.WaitUntilReady(s_wait), listener.LastError);
            Assert.Equal("keys-tx:out", listener.ConnectedTo);
            WaitUntilDataFlows(keys, listener);
            keys.SendNoteOn(channel: 4, note: 50, velocity: 80); // the handler throws: counted, listening goes on
            Assert.True(SpinWait.SpinUntil(() => listener.HandlerFailures == 1, s_wait));
            keys.SendControlChange(channel: 4, control: 7, value: 100);
            keys.SendNoteOff(channel: 4, note: 50);
            keys.SendNoteOn(channel: 4, note: 51, velocity: 81);
            Assert.True(SpinWait.SpinUntil(() => !notes.IsEmpty, s_wait), listener.LastError);
            Assert.True(SpinWait.SpinUntil(() => listener.Messages >= 4, s_wait));
            MidiNoteOn note = Assert.Single(notes);
            Assert.Equal((4, 51, 81), (note.Channel, note.Note, note.Velocity));
            Assert.Equal(MidiInputState.Ready, listener.State);
        }

        Assert.True(SpinWait.SpinUntil(() => listener.State == MidiInputState.Absent, s_wait), "the unplug was not seen");
        Assert.True(listener.Disappearances >= 1);
        jack.WaitForPortGone("keys-tx:out", s_wait);

        using JackPeer again = JackPeer.Sender(jack.ServerName, "keys-tx");
        Assert.True(listener.WaitUntilReady(s_wait), listener.LastError);
        Assert.Equal(2, listener.Opens);
        WaitUntilDataFlows(again, listener);
        again.SendNoteOn(channel: 10, note: 36, velocity: 100);
        Assert.True(SpinWait.SpinUntil(() => notes.Count == 2, s_wait), listener.LastError);
        Assert.Equal((10, 36, 100), (notes.Last().Channel, notes.Last().Note, notes.Last().Velocity));

        // One client throughout: waiting, connected, waiting again through the unplug, connected again.
        Assert.Equal(1, opener.ClientsCreated);
        Assert.Equal(1, events.Registered("keys-rx"));
        Assert.Equal(0, events.Unregistered("keys-rx"));
    }

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

    // A connection JACK has just made carries data only once the server's process cycle runs the new graph: under load,
    // a message sent at once can go out before that and reach nobody. Control changes (read, counted, never a note) are
    // sent until one arrives.
    private void WaitUntilDataFlows(JackPeer keys, MidiNoteListener listener)
    {
        long before = listener.Messages;
        bool flows = SpinWait.SpinUntil(() =>
        {
            keys.SendControlChange(channel: 2, control: 7, value: 100);
            return SpinWait.SpinUntil(() => listener.Messages > before, TimeSpan.FromMilliseconds(100));
        }, s_wait);
        Assert.True(flows, $"no message reached the listener in {s_wait.TotalSeconds} s; ports: {string.Join(", ", jack.Ports())}; jackd: {jack.Log}");
    }
}
