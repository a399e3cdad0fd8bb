using System.Collections.Concurrent;
using IolaEdge.Midi.Inputs;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Rtmidi;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Inputs;

/// <summary>The learn input against a real JACK server: a keyboard that is plugged in late, unplugged and plugged back.</summary>
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
        ConcurrentQueue<MidiNoteOn> notes = new();
        bool throwOnce = true;
        using MidiNoteListener listener = new("learn", () => RtMidiInputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.ByRegex("^keys-tx:out$"), "keys-rx"), note =>
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

        using (RtMidiOutputPort keys = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "keys-tx"))
        {
            Assert.True(listener.WaitUntilReady(s_wait), listener.LastError);
            Assert.Equal("keys-tx:out", listener.ConnectedTo);
            WaitUntilDataFlows(keys, listener);
            keys.Send(MidiMessage.NoteOn(3, 50, 80), 0); // the handler throws: counted, listening goes on
            Assert.True(SpinWait.SpinUntil(() => listener.HandlerFailures == 1, s_wait));
            keys.Send(MidiMessage.ControlChange(3, 7, 100), 0);
            keys.Send(MidiMessage.NoteOff(3, 50), 0);
            keys.Send(MidiMessage.NoteOn(3, 51, 81), 0);
            Assert.True(SpinWait.SpinUntil(() => !notes.IsEmpty, s_wait), listener.LastError);
            Assert.True(SpinWait.SpinUntil(() => listener.Messages >= 4, s_wait));
            MidiNoteOn note = Assert.Single(notes);
            Assert.Equal((4, 51, 81), (note.Channel, note.Note, note.Velocity)); // channel as synths show it
            Assert.Equal(MidiInputState.Ready, listener.State);
        }

        Assert.True(SpinWait.SpinUntil(() => listener.State == MidiInputState.Absent, s_wait), "the unplug was not seen");
        Assert.True(listener.Disappearances >= 1);
        jack.WaitForPortGone("keys-tx:out", s_wait);

        using RtMidiOutputPort again = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "keys-tx");
        Assert.True(listener.WaitUntilReady(s_wait), listener.LastError);
        Assert.Equal(2, listener.Opens);
        WaitUntilDataFlows(again, listener);
        again.Send(MidiMessage.NoteOn(9, 36, 100), 0);
        Assert.True(SpinWait.SpinUntil(() => notes.Count == 2, s_wait), listener.LastError);
        Assert.Equal((10, 36, 100), (notes.Last().Channel, notes.Last().Note, notes.Last().Velocity));
    }

    // A connection JACK has just made carries data only once the server's process cycle runs the new graph: under load,
    // a message sent at once can go out before that and reach nobody. Control changes (read, counted, never a note) are
    // sent until one arrives.
    private void WaitUntilDataFlows(RtMidiOutputPort keys, MidiNoteListener listener)
    {
        long before = listener.Messages;
        bool flows = SpinWait.SpinUntil(() =>
        {
            keys.Send(MidiMessage.ControlChange(1, 7, 100), 0);
            return SpinWait.SpinUntil(() => listener.Messages > before, TimeSpan.FromMilliseconds(100));
        }, s_wait);
        Assert.True(flows, $"no message reached the listener in {s_wait.TotalSeconds} s; ports: {string.Join(", ", jack.Ports())}; jackd: {jack.Log}");
    }
}
