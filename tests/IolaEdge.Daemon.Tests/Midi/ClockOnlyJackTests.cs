using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Dsp.Timing;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Daemon.Tests.Midi;

/// <summary>
/// The clock-only preset against a real JACK server (dummy driver) and an independent python3-rtmidi "sequencer": the real
/// daemon replays the bundled walk, plays notes, takes <c>preset clock-only</c> on its control socket, and from then on
/// sends MIDI clock (Start, clocks, Stop at the end) and no note on.
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class ClockOnlyJackTests(JackServer jack)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_preset_clock_only_the_sequencer_gets_start_clocks_and_stop_and_no_note_on()
    {
        jack.Start();
        using TempDirectory temp = new();
        string socket = temp.File("control.sock");
        using JackPeer sequencer = JackPeer.Receiver(jack.ServerName, "clock-seq");
        Dictionary<string, string> environment = new() { ["JACK_DEFAULT_SERVER"] = jack.ServerName, ["JACK_NO_START_SERVER"] = "1" };
        using IolaEdgeProcess daemon = IolaEdgeProcess.Start(temp.Path, environment,
            "run", "--speed", "1", "--duration", "90", "--progress", "0", "--control-socket", socket, "--midi", "jack", "--midi-port", "name:clock-seq:in",
            "--set", "Events:LogEachFootfall=false", "--set", "Realtime:Policy=Other", "--set", "Midi:Learn:Backend=none",
            "--set", $"Midi:PresetsFile={temp.File("presets.json")}");
        Assert.True(sequencer.WaitForMessage(m => m.StartsWith("993C", StringComparison.Ordinal), s_wait), "no note before the preset:\n" + daemon.Stdout);

        await using ControlLine control = await ControlLine.ConnectAsync(socket, () => daemon.Stdout);
        Assert.Equal("ok preset clock-only: Midi:Mapping:SendNotes = false, Midi:Mapping:Clock:Enabled = true", await control.SendAsync("preset clock-only"));
        long appliedNs = MonotonicClock.NowNs();

        // The walk goes on: the clock starts once the gait tracker knows the stride, and ticks 24 per beat.
        Assert.True(SpinWait.SpinUntil(() => After(sequencer, appliedNs).Count(m => m == "F8") >= 96, TimeSpan.FromSeconds(40)),
            "not enough clocks after the preset: " + string.Join(" ", After(sequencer, appliedNs).Take(40)) + "\n" + daemon.Stdout);
        daemon.Signal("TERM");
        Assert.Equal(0, daemon.WaitForExit(s_wait));
        Assert.True(SpinWait.SpinUntil(() => After(sequencer, appliedNs).LastOrDefault() == "FC", TimeSpan.FromSeconds(5)), "no Stop at the end");

        // Messages already on their way when the preset was applied may still arrive in its first JACK periods (≤ 50 ms).
        List<string> after = After(sequencer, appliedNs + 100_000_000);
        Assert.Contains("FA", after);
        Assert.DoesNotContain(after, m => m.StartsWith('9'));
        Assert.Matches(@"MIDI stamps: \d+ events read = .* \+ [1-9]\d* without a note", daemon.Stdout);
    }

    // Messages received after monotonic time sinceNs (the peer prints CLOCK_MONOTONIC ns, as MonotonicClock reads it).
    private static List<string> After(JackPeer peer, long sinceNs) =>
        [.. peer.Lines.Where(l => l != "READY").Select(l => l.Split(' ')).Where(p => p.Length == 2 && long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture) > sinceNs).Select(p => p[0])];
}
