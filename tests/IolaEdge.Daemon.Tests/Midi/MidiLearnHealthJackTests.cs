using System.Text.RegularExpressions;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Daemon.Tests.Systemd.Support;
using IolaEdge.Midi.Tests.Support;

namespace IolaEdge.Daemon.Tests.Midi;

/// <summary>
/// The MIDI learn input's health against a real JACK server (dummy driver) and an independent python3-rtmidi keyboard: a
/// learn port that never opens, or that disappears, is logged once, carried in systemd STATUS= (a real notify socket) and the
/// progress line, and summed up at the end; the run goes on and exits 0.
/// </summary>
[Collection(JackCollection.Name)]
[Trait("Category", "Peer")]
[Trait("Category", "Slow")]
public sealed class MidiLearnHealthJackTests(JackServer jack)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_learn_port_that_never_opens_is_one_warning_in_status_and_the_summary_and_the_run_goes_on()
    {
        jack.Start();
        using TempDirectory temp = new();
        using NotifySocket notify = new();
        using IolaEdgeProcess daemon = StartDaemon(temp, notify, "name:absent-keys", "--duration", "6");

        Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(60)));
        string stdout = daemon.Stdout;
        Match warning = Assert.Single(Regex.Matches(stdout, @"\[WRN\] MIDI learn jack port name:absent-keys: .*"));
        Assert.Contains(": not open: open failed: ", warning.Value, StringComparison.Ordinal);
        Assert.Contains("retrying every 1 s; MIDI learn waits for it", warning.Value, StringComparison.Ordinal);
        Assert.Matches(@"Progress: .*; MIDI learn jack port name:absent-keys not open: open failed: ", stdout);
        Assert.Matches(@"MIDI learn jack port name:absent-keys: never opened \(open failed: .*\); 0 messages read, 0 note ons, 0 learned, 0 timed out; open failures [1-9]\d*, lost 0", stdout);
        Assert.Contains(Datagrams(notify), d => d.Contains("STATUS=", StringComparison.Ordinal) && d.Contains("MIDI learn jack port name:absent-keys not open: open failed: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stdout + daemon.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_learn_port_that_disappears_is_one_warning_in_status_and_listening_again_when_it_returns()
    {
        jack.Start();
        using TempDirectory temp = new();
        using NotifySocket notify = new();
        JackPeer keys = JackPeer.Sender(jack.ServerName, "fading-keys");
        jack.WaitForPort("fading-keys:out", s_wait);
        using IolaEdgeProcess daemon = StartDaemon(temp, notify, "name:fading-keys", "--duration", "90");
        try
        {
            Assert.True(daemon.WaitForOutput("[INF] MIDI learn jack port name:fading-keys: listening (connected to fading-keys:out)", s_wait), daemon.Stdout);

            keys.Dispose(); // unplugged
            Assert.True(daemon.WaitForOutput("[WRN] MIDI learn jack port name:fading-keys: lost: ", s_wait), daemon.Stdout);
            Assert.True(SpinWait.SpinUntil(() => Datagrams(notify).Any(d => d.Contains("MIDI learn jack port name:fading-keys lost: ", StringComparison.Ordinal)), s_wait),
                "STATUS= does not carry the lost learn input");
            Thread.Sleep(2500); // more rescans: still one line

            keys = JackPeer.Sender(jack.ServerName, "fading-keys"); // plugged back in
            Assert.True(daemon.WaitForOutput("[INF] MIDI learn jack port name:fading-keys: listening again (connected to fading-keys:out)", s_wait), daemon.Stdout);
            daemon.Signal("TERM");
            Assert.Equal(0, daemon.WaitForExit(s_wait));
        }
        finally
        {
            keys.Dispose();
        }

        string stdout = daemon.Stdout;
        Assert.True(Regex.Count(stdout, @"\[WRN\] MIDI learn jack port name:fading-keys: lost: ") == 1, stdout);
        Assert.Matches(@"MIDI learn jack port name:fading-keys: open \(2 opens\); \d+ messages read, 0 note ons, 0 learned, 0 timed out; open failures \d+, lost 1", stdout);
    }

    private IolaEdgeProcess StartDaemon(TempDirectory temp, NotifySocket notify, string learnPort, params string[] extra)
    {
        Dictionary<string, string> environment = new()
        {
            ["JACK_DEFAULT_SERVER"] = jack.ServerName, ["JACK_NO_START_SERVER"] = "1", ["NOTIFY_SOCKET"] = notify.Path,
        };
        return IolaEdgeProcess.Start(temp.Path, environment,
        [
            "run", "--speed", "1", "--progress", "1", "--midi", "file", "-o", temp.File("run.mid"),
            "--set", "Events:LogEachFootfall=false", "--set", "Realtime:Policy=Other",
            "--set", "Midi:Learn:Backend=jack", "--set", $"Midi:Learn:Port={learnPort}", .. extra,
        ]);
    }

    // Every datagram the daemon sent so far (READY, STATUS=, STOPPING): NotifySocket hands each out once.
    private readonly List<string> _datagrams = [];

    private List<string> Datagrams(NotifySocket notify)
    {
        while (notify.Receive(TimeSpan.FromMilliseconds(50)) is { } datagram)
        {
            _datagrams.Add(datagram);
        }

        return _datagrams;
    }
}
