using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Daemon.Tests.Midi;

/// <summary>
/// <c>--midi-port</c> naming a synth that is not there yet (the belt pack boots before the synth is switched on): a
/// loud warning (log, progress line = systemd STATUS) while it is absent, notes once it appears, and again after it is
/// unplugged and plugged back in. Real JACK server (dummy driver), the synth a python3-rtmidi peer.
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class AutoConnectJackTests(JackServer jack)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_auto_port_skips_our_own_learn_input_waits_loudly_for_a_synth_connects_when_it_appears_and_again_after_a_replug()
    {
        jack.Start();
        using TempDirectory temp = new();
        Dictionary<string, string> environment = new() { ["JACK_DEFAULT_SERVER"] = jack.ServerName, ["JACK_NO_START_SERVER"] = "1" };
        using IolaEdgeProcess daemon = IolaEdgeProcess.Start(temp.Path, environment,
            "run", "--speed", "1", "--duration", "120", "--progress", "1", "--midi", "jack", "--midi-port", "auto",
            "--set", "Events:LogEachFootfall=false", "--set", "Realtime:Policy=Other");

        // No synth: our own learn input is the only JACK MIDI input, and auto must not take it.
        Assert.True(daemon.WaitForOutput(": listening (open)", s_wait), daemon.Stdout + daemon.Stderr);
        Assert.True(daemon.WaitForOutput("[ERR] MIDI rtmidi:jack:auto: not open: open failed: rtmidi_open_port: no jack MIDI input port matches auto", s_wait), daemon.Stdout);
        Assert.True(daemon.WaitForOutput("; MIDI rtmidi:jack:auto not open: open failed: rtmidi_open_port: no jack MIDI input port matches auto", s_wait),
            "the progress line (systemd STATUS) does not carry the warning:\n" + daemon.Stdout);

        using (JackPeer synth = JackPeer.Receiver(jack.ServerName, "late-synth"))
        {
            Assert.True(synth.WaitForMessage(m => m.StartsWith("993C", StringComparison.Ordinal), s_wait), "no note after the synth appeared:\n" + daemon.Stdout);
            Assert.True(daemon.WaitForOutput("[INF] MIDI rtmidi:jack:auto: open", s_wait), daemon.Stdout);
        }

        // Unplugged: the port is lost (loudly), then plugged back in under the same name.
        Assert.True(daemon.WaitForOutput("[ERR] MIDI rtmidi:jack:auto: lost: ", s_wait), daemon.Stdout);
        jack.WaitForPortGone("late-synth:in", s_wait);
        using JackPeer again = JackPeer.Receiver(jack.ServerName, "late-synth");
        Assert.True(again.WaitForMessage(m => m.StartsWith("993C", StringComparison.Ordinal), s_wait), "no note after the synth was plugged back in:\n" + daemon.Stdout);
        Assert.True(daemon.WaitForOutput("[INF] MIDI rtmidi:jack:auto: open again", s_wait), daemon.Stdout);

        daemon.Signal("TERM");
        Assert.Equal(0, daemon.WaitForExit(s_wait));
        Assert.True(daemon.Stdout.Contains("MIDI rtmidi:jack:auto: open (2 opens)", StringComparison.Ordinal), daemon.Stdout);
    }
}
