using System.Diagnostics;
using IolaEdge.Midi.Inputs;
using IolaEdge.Midi.Messages;
using IolaEdge.Midi.Outputs;
using IolaEdge.Midi.Rtmidi;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Midi.Tests.Rtmidi;

/// <summary>
/// A JACK server killed and started again faster than a port's rescan (systemd restarts a failed unit after 100 ms; jackd
/// is ready about 0.4 s later): our clients of the earlier run are dead, though the server answers and rtmidi still lists
/// the old graph. The synth and the keyboard are other processes, as real ones are.
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class JackServerRestartTests(JackServer jack)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Each_start_of_the_server_is_a_run_of_its_own_and_a_killed_or_stopped_server_is_none()
    {
        jack.Start();
        JackServerRun first = Assert.NotNull(JackServerProbe.Current());
        Assert.Equal(first, JackServerProbe.Current()); // connecting leaves the socket file as it is

        jack.Kill(); // its socket file stays behind
        Assert.Null(JackServerProbe.Current());
        jack.Start();
        JackServerRun second = Assert.NotNull(JackServerProbe.Current());
        Assert.NotEqual(first, second);

        jack.Stop();
        Assert.Null(JackServerProbe.Current());
        jack.Start();
        Assert.NotEqual(second, Assert.NotNull(JackServerProbe.Current()));
    }

    [Fact]
    public void A_port_whose_server_restarted_since_it_opened_reports_its_peer_gone()
    {
        jack.Start();
        using RtMidiOutputPort port = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "restart-probe");
        Assert.True(port.IsTargetPresent());

        RestartQuickly();
        Assert.False(port.IsTargetPresent());
    }

    [Fact]
    public void No_client_opens_while_one_of_the_servers_earlier_run_is_open_and_one_opens_once_it_is_closed()
    {
        jack.Start();
        RtMidiOutputPort earlier = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "restart-earlier");
        try
        {
            RestartQuickly();
            var refused = Assert.Throws<RtMidiException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "restart-later"));
            Assert.Equal("rtmidi_out_create", refused.Call);
            Assert.Contains("restart-earlier", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            earlier.Dispose();
        }

        using RtMidiOutputPort later = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "restart-later");
        Assert.True(later.IsTargetPresent());
        jack.WaitForPort("restart-later:out", s_wait);
    }

    [Fact]
    public void While_the_server_is_down_no_client_is_tried_until_those_of_its_last_run_are_closed()
    {
        // libjack frees the clients of a dead server on any attempt to open one, even one that fails for want of a server.
        jack.Start();
        RtMidiOutputPort earlier = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "down-earlier");
        try
        {
            jack.Kill();
            var refused = Assert.Throws<RtMidiException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "down-later"));
            Assert.Equal("rtmidi_out_create", refused.Call);
            Assert.Contains("the JACK server is not running; waiting for this process's client(s) of its earlier run (down-earlier)", refused.Message, StringComparison.Ordinal);
            Assert.False(earlier.IsTargetPresent());
        }
        finally
        {
            earlier.Dispose();
        }

        var failed = Assert.Throws<RtMidiException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "down-later"));
        Assert.DoesNotContain("waiting for", failed.Message, StringComparison.Ordinal); // tried: no server to join
        jack.Start();
        using RtMidiOutputPort later = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "down-later");
        jack.WaitForPort("down-later:out", s_wait);
    }

    [Fact]
    public void A_client_of_the_earlier_run_still_open_after_the_grace_is_left_to_libjack_and_closing_it_later_touches_nothing()
    {
        jack.Start();
        RtMidiOutputPort forgotten = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "restart-forgotten");
        forgotten.Send(MidiMessage.NoteOn(0, 60, 1), 0);
        long leftBefore = JackClients.LeftToLibjack;
        RestartQuickly();
        Assert.Throws<RtMidiException>(() => RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "restart-after"));

        var waited = Stopwatch.StartNew();
        RtMidiOutputPort? after = null;
        while (after is null)
        {
            try
            {
                after = RtMidiOutputPort.Open(RtMidiApi.Jack, RtMidiPortSelector.Virtual("out"), "restart-after");
            }
            catch (RtMidiException) when (waited.Elapsed < JackClients.StaleGrace + s_wait)
            {
                Thread.Sleep(100);
            }
        }

        using (after)
        {
            Assert.True(waited.Elapsed >= JackClients.StaleGrace - TimeSpan.FromMilliseconds(200), $"opened after {waited.Elapsed}");
            Assert.Equal(leftBefore + 1, JackClients.LeftToLibjack);
            Assert.False(forgotten.IsTargetPresent());
            forgotten.Dispose(); // libjack freed its client when `after` opened: closing it now must not reach libjack
            Assert.True(after.IsTargetPresent());
            jack.WaitForPort("restart-after:out", s_wait);
        }
    }

    [Fact]
    public void A_supervised_output_whose_server_restarts_within_one_rescan_reopens_and_reaches_the_synth_again()
    {
        jack.Start();
        SupervisedPortOptions options = new() { RescanInterval = TimeSpan.FromSeconds(2) };
        using var port = RtMidiOutputPort.Supervised(RtMidiApi.Jack, RtMidiPortSelector.ByRegex("^restart-synth:in$"), "restart-tx", "out", options);
        using (JackPeer synth = JackPeer.Receiver(jack.ServerName, "restart-synth"))
        {
            jack.WaitForPort("restart-synth:in", s_wait);
            Assert.True(port.WaitUntilReady(s_wait), port.LastError);
            Assert.True(SendUntilReceived(port, synth, 60), string.Join('\n', synth.Lines));
            long opens = port.Opens;

            RestartQuickly();
            using JackPeer again = JackPeer.Receiver(jack.ServerName, "restart-synth");
            jack.WaitForPort("restart-synth:in", s_wait);
            Assert.True(SendUntilReceived(port, again, 61), $"state {port.State}, opens {port.Opens}, last error {port.LastError}; {string.Join('\n', again.Lines)}");
            Assert.True(port.Opens > opens);
        }
    }

    [Fact]
    public void A_learn_input_whose_server_restarts_within_one_rescan_connects_to_the_keyboard_again()
    {
        jack.Start();
        MidiNoteListenerOptions options = new() { RescanInterval = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(5) };
        using RtMidiInputOpener opener = new(RtMidiApi.Jack, RtMidiPortSelector.ByRegex("^restart-keys:out$"), "restart-rx");
        using MidiNoteListener listener = new("learn", opener.Open, _ => { }, options);
        using (JackPeer keys = JackPeer.Sender(jack.ServerName, "restart-keys"))
        {
            Assert.True(listener.WaitUntilReady(s_wait), listener.LastError);
            Assert.True(SendUntilRead(keys, listener), listener.LastError);

            RestartQuickly();
        }

        using JackPeer again = JackPeer.Sender(jack.ServerName, "restart-keys");
        Assert.True(SendUntilRead(again, listener), $"state {listener.State}, connected to {listener.ConnectedTo}, last error {listener.LastError}");
        Assert.Equal(2, opener.ClientsCreated);
    }

    // SIGKILL and start again at once: within a rescan of the ports under test.
    private void RestartQuickly()
    {
        jack.Kill();
        jack.Start();
    }

    // Sends Note On `note` until the synth has it, within 10 s (a connection just made carries data from the next cycle).
    private static bool SendUntilReceived(SupervisedPortOutput port, JackPeer synth, int note)
    {
        string expected = $"90{note:X2}01";
        return SpinWait.SpinUntil(() =>
        {
            port.Send(MidiMessage.NoteOn(0, (byte)note, 1), 0);
            return synth.WaitForMessage(m => m == expected, TimeSpan.FromMilliseconds(50));
        }, s_wait);
    }

    // Sends control changes (read and counted, never a note) until the listener has read one, within 10 s.
    private static bool SendUntilRead(JackPeer keys, MidiNoteListener listener)
    {
        long before = listener.Messages;
        return SpinWait.SpinUntil(() =>
        {
            keys.SendControlChange(channel: 2, control: 7, value: 100);
            return SpinWait.SpinUntil(() => listener.Messages > before, TimeSpan.FromMilliseconds(100));
        }, s_wait);
    }
}
