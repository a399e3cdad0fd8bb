using System.Globalization;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Daemon.Tests.Midi;

/// <summary>
/// MIDI learn against a real JACK server (dummy driver) and independent python3-rtmidi peers: the real daemon replays
/// the bundled walk, a "keyboard" peer sends a Note On into the daemon's learn input, a "synth" peer receives the notes.
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class MidiLearnJackTests(JackServer jack)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_note_sent_into_the_learn_port_while_learning_on_the_control_socket_sets_the_default_note_and_the_next_footfall_plays_it()
    {
        jack.Start();
        using TempDirectory temp = new();
        string socket = temp.File("control.sock");
        using JackPeer synth = JackPeer.Receiver(jack.ServerName, "learn-synth");
        using IolaEdgeProcess daemon = StartDaemon(temp, socket, "--midi", "jack", "--midi-port", "name:learn-synth:in");
        Assert.True(daemon.WaitForOutput("MIDI learn jack virtual input iolaedge-learn:in: listening (open)", s_wait), daemon.Stdout + daemon.Stderr);
        Assert.True(synth.WaitForMessage(m => m.StartsWith("993C", StringComparison.Ordinal), s_wait), "no default note 60 on channel 10:\n" + daemon.Stdout);

        using JackPeer keys = JackPeer.Sender(jack.ServerName, "learn-keys");
        jack.Connect("learn-keys:out", "iolaedge-learn:in");
        await using ControlLine control = await ControlLine.ConnectAsync(socket, () => daemon.Stdout);
        await WaitUntilTheLearnInputReadsAsync(control, keys, daemon);
        Task<string> learning = control.SendAsync("learn default 30");
        Assert.True(daemon.WaitForOutput("MIDI learn armed for Midi:Mapping:Default", s_wait), daemon.Stdout);
        // Pressed again until the learn answers, as a player would: jackd runs without real-time priority here, and a
        // cycle it runs late can lose the one press (the page's learn test lost one so).
        for (int press = 0; press < 10 && !learning.IsCompleted; press++)
        {
            keys.SendNoteOn(channel: 3, note: 45, velocity: 90);
            await Task.WhenAny(learning, Task.Delay(1000));
        }

        string reply = await learning.WaitAsync(s_wait);
        Assert.StartsWith("ok learned Midi:Mapping:Default:Note = 45, Midi:Mapping:Default:Channel = 3 (Note On 45 velocity 90 on channel 3)", reply, StringComparison.Ordinal);
        Assert.True(synth.WaitForMessage(m => m.StartsWith("922D", StringComparison.Ordinal), s_wait),
            "the next footfall did not play note 45 on channel 3; received: " + string.Join(" ", synth.Messages().TakeLast(10)) + "\n" + daemon.Stdout);
        Assert.Equal("ok 45", await control.SendAsync("get Midi:Mapping:Default:Note"));
        Assert.Equal("ok 3", await control.SendAsync("get Midi:Mapping:Default:Channel"));
        Assert.Contains("MIDI learn: Midi:Mapping:Default:Note = 45, Midi:Mapping:Default:Channel = 3", daemon.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_learn_without_a_note_times_out_changing_nothing_and_notes_while_not_learning_are_ignored()
    {
        jack.Start();
        using TempDirectory temp = new();
        string socket = temp.File("control.sock");
        // MIDI to a file, learning on JACK: the learn input does not depend on the output backend.
        using IolaEdgeProcess daemon = StartDaemon(temp, socket, "--midi", "file", "-o", temp.File("run.mid"), "--set", "Midi:Learn:Backend=jack");
        Assert.True(daemon.WaitForOutput(": listening (open)", s_wait), daemon.Stdout + daemon.Stderr);
        using JackPeer keys = JackPeer.Sender(jack.ServerName, "idle-keys");
        jack.Connect("idle-keys:out", "iolaedge-learn:in");
        await using ControlLine control = await ControlLine.ConnectAsync(socket, () => daemon.Stdout);
        await WaitUntilTheLearnInputReadsAsync(control, keys, daemon);

        string timedOut = await control.SendAsync("learn 1 1").WaitAsync(s_wait); // sensor id 1: the configured Sensors:0 entry
        Assert.Equal("error learn for Midi:Mapping:Sensors:0 timed out after 1 s: no Note On arrived on jack virtual input iolaedge-learn:in (open); nothing changed", timedOut);
        Assert.Equal("ok 62", await control.SendAsync("get Midi:Mapping:Sensors:0:Note"));
        Assert.Contains("[WRN] MIDI learn for Midi:Mapping:Sensors:0 timed out after 1 s", daemon.Stdout, StringComparison.Ordinal);

        keys.SendNoteOn(channel: 1, note: 70, velocity: 100); // nobody is learning: read and dropped
        await Task.Delay(300);
        Assert.Equal("ok 62", await control.SendAsync("get Midi:Mapping:Sensors:0:Note"));
        Assert.Equal("ok 60", await control.SendAsync("get Midi:Mapping:Default:Note"));

        Assert.StartsWith("error learn: '5' is not a mapping entry; use 'default' (the note of every sensor without an entry) or a sensor id with a Midi:Mapping:Sensors entry (configured sensor ids: 1)",
            await control.SendAsync("learn 5"), StringComparison.Ordinal);
        Assert.StartsWith("error learn: SECONDS '0' is not a whole number from 1 to 600", await control.SendAsync("learn default 0"), StringComparison.Ordinal);
        Assert.Equal("ok no learn in progress", await control.SendAsync("learn cancel"));

        // A learn cancelled from a second client answers the first.
        Task<string> waiting = control.SendAsync("learn default 60");
        Assert.True(daemon.WaitForOutput("MIDI learn armed for Midi:Mapping:Default", s_wait), daemon.Stdout);
        await using (ControlLine other = await ControlLine.ConnectAsync(socket, () => daemon.Stdout))
        {
            Assert.Equal("ok learn for Midi:Mapping:Default cancelled", await other.SendAsync("learn cancel"));
        }

        Assert.Equal("error learn for Midi:Mapping:Default cancelled; nothing changed", await waiting.WaitAsync(s_wait));
    }

    [Fact]
    public async Task After_jackd_restarts_faster_than_a_rescan_the_output_plays_to_the_synth_again_and_the_learn_input_reads_again()
    {
        jack.Start();
        using TempDirectory temp = new();
        string socket = temp.File("control.sock");
        using IolaEdgeProcess daemon = StartDaemon(temp, socket, "--midi", "jack", "--midi-port", "name:again-synth:in");
        Assert.True(daemon.WaitForOutput("MIDI learn jack virtual input iolaedge-learn:in: listening (open)", s_wait), daemon.Stdout + daemon.Stderr);
        using (JackPeer synth = JackPeer.Receiver(jack.ServerName, "again-synth"))
        {
            Assert.True(synth.WaitForMessage(m => m.StartsWith("993C", StringComparison.Ordinal), s_wait), "no note before the restart:\n" + daemon.Stdout);

            // Killed and started again within the daemon's 1 s rescan: its clients of the earlier run are dead, though the
            // server answers; the first of the output and the learn input to see it waits for the other to close its own.
            jack.Kill();
            jack.Start();
        }

        using JackPeer again = JackPeer.Receiver(jack.ServerName, "again-synth");
        Assert.True(again.WaitForMessage(m => m.StartsWith("993C", StringComparison.Ordinal), s_wait),
            "no note reached the synth after the restart:\n" + daemon.Stdout + daemon.Stderr);
        using JackPeer keys = JackPeer.Sender(jack.ServerName, "again-keys");
        jack.WaitForPort("iolaedge-learn:in", s_wait);
        jack.Connect("again-keys:out", "iolaedge-learn:in");
        await using ControlLine control = await ControlLine.ConnectAsync(socket, () => daemon.Stdout);
        await WaitUntilTheLearnInputReadsAsync(control, keys, daemon);
    }

    // The learn input's count from the control socket's status, once a control change has reached it (JackPeer.SendUntilReadAsync).
    private async Task WaitUntilTheLearnInputReadsAsync(ControlLine control, JackPeer keys, IolaEdgeProcess daemon)
    {
        string status = "";
        bool read = await keys.SendUntilReadAsync(async () =>
        {
            status = await control.SendAsync("status");
            Match count = Regex.Match(status, @" learn_messages=(\d+)");
            Assert.True(count.Success, "no learn counter in the status: " + status);
            return long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
        }, s_wait);
        Assert.True(read, $"no message reached the learn input in {s_wait.TotalSeconds} s (status: {status}); jackd: {jack.Log}\n{daemon.Stdout}");
    }

    private IolaEdgeProcess StartDaemon(TempDirectory temp, string socket, params string[] midi)
    {
        Dictionary<string, string> environment = new() { ["JACK_DEFAULT_SERVER"] = jack.ServerName, ["JACK_NO_START_SERVER"] = "1" };
        return IolaEdgeProcess.Start(temp.Path, environment,
        [
            "run", "--speed", "1", "--duration", "90", "--progress", "0", "--control-socket", socket,
            "--set", "Events:LogEachFootfall=false", "--set", "Realtime:Policy=Other", .. midi,
        ]);
    }
}
