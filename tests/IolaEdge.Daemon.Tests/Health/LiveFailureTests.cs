using System.Text.RegularExpressions;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Tests.Support;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Health;

/// <summary>Live failures are loud: logged once, in the summary, and in the exit code (docs/daemon.md, "Live failures").</summary>
[Trait("Category", "Peer")]
public sealed partial class LiveFailureTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_midi_device_that_never_opens_is_logged_once_every_message_is_counted_dropped_and_the_run_exits_5()
    {
        using TempDirectory temp = new();
        string device = temp.File("nonexistent-midi");
        CollectingSerilogSink sink = new();
        RunHost runner = new(new BuiltInComponents(),
            new RunOptions { Source = "sim:seed=3,minutes=0.5", Speed = "max" },
            new PipelineOptions { ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "raw", DevicePath = device },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            sink.CreateLogger());

        int code = await runner.RunAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Output, code);
        var failing = Assert.Single(sink.Lines, l => l.Level == LogEventLevel.Error && l.Text.Contains("\"not open:", StringComparison.Ordinal));
        Assert.Contains(device, failing.Text, StringComparison.Ordinal);
        string summary = Assert.Single(sink.Lines, l => l.Text.Contains("never opened (", StringComparison.Ordinal)).Text;
        Match counts = MessageCounts().Match(summary);
        Assert.True(counts.Success, summary);
        long offered = long.Parse(counts.Groups["offered"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(offered > 20, summary);
        Assert.Equal("0", counts.Groups["sent"].Value);
        Assert.Equal(counts.Groups["offered"].Value, counts.Groups["dropped"].Value);
        Assert.Equal(counts.Groups["offered"].Value, counts.Groups["absent"].Value);

        // No note left: every event comes back without a write time, counted as not sent.
        string stamps = Assert.Single(sink.Lines, l => l.Text.Contains("MIDI stamps:", StringComparison.Ordinal)).Text;
        Assert.Matches(@"MIDI stamps: (\d+) events read = 0 with the note's sent time \+ \1 note not sent .* \+ 0 sent time not reported in time \+ 0 without a note", stamps);
        Assert.Contains(sink.Lines, l => l.Level == LogEventLevel.Error && l.Text.Contains("exit code 5", StringComparison.Ordinal));
    }

    [Fact]
    public void A_ble_source_without_a_system_bus_says_so_once_and_the_run_exits_4()
    {
        using TempDirectory temp = new();
        Dictionary<string, string> environment = new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=" + temp.File("no-bus-here") };

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, environment,
            "run", "--source", "ble:AA:BB:CC:DD:EE:FF", "--duration", "3", "--midi", "none", "--progress", "1");

        Assert.True(code == 4, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Single(Regex.Matches(stdout, @"\[ERR\] BLE: no D-Bus system bus"));
        Assert.Contains("BLE ble:AA:BB:CC:DD:EE:FF: no D-Bus system bus during the whole run", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Progress: 0 samples.*; BLE no D-Bus system bus", stdout);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void Real_time_scheduling_that_is_refused_is_logged_once_naming_the_missing_capability()
    {
        using TempDirectory temp = new();
        string midi = temp.File("walk.mid");

        // prlimit lowers RLIMIT_RTPRIO to 0 and setpriv drops CAP_SYS_NICE from the bounding set, so even root is refused SCHED_FIFO.
        (int code, string stdout, string stderr) = IolaEdgeProcess.RunWrapped(temp.Path, s_timeout,
            ["prlimit", "--rtprio=0", "setpriv", "--bounding-set", "-sys_nice", "--inh-caps", "-sys_nice"],
            "run", "--source", "sim:seed=1,minutes=0.2", "--speed", "max", "--midi-file", midi, "--progress", "0",
            "--set", "Realtime:Policy=Fifo", "--set", "Realtime:PipelinePriority=5", "--set", "Realtime:MidiPriority=10");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Match warning = Assert.Single(Regex.Matches(stdout, @"\[WRN\] .*"));
        Assert.StartsWith("[WRN] real-time scheduling: not applied: iolaedge-pipeline, iolaedge-midi: sched_setscheduler(SCHED_FIFO, 5) failed: Operation not permitted", warning.Value, StringComparison.Ordinal);
        Assert.Contains("no CAP_SYS_NICE, RLIMIT_RTPRIO 0", warning.Value, StringComparison.Ordinal);
        Assert.Contains("LimitRTPRIO=10", warning.Value, StringComparison.Ordinal); // the highest priority asked
        Assert.Matches(@"\[INF\] Real-time thread iolaedge-midi \(tid \d+\): SCHED_OTHER \(asked SCHED_FIFO priority 10: refused\)", stdout); // one line per thread
        Assert.Contains("Real-time scheduling not applied", stdout, StringComparison.Ordinal); // and in the summary
    }

    [GeneratedRegex(@"messages: (?<offered>\d+) offered, (?<sent>\d+) sent, (?<dropped>\d+) dropped \(port not open (?<absent>\d+)")]
    private static partial Regex MessageCounts();
}

/// <summary>The bar of issue 13: a missing MIDI device, a BLE source without a bus and a full disk, said in three summary lines.</summary>
[Trait("Category", "Peer")]
public sealed class ThreeFailuresSummaryTests
{
    [Fact]
    public void A_missing_midi_device_a_ble_source_without_a_bus_and_a_full_disk_are_three_summary_lines()
    {
        using TempDirectory temp = new();
        string disk = temp.File("tiny");
        Directory.CreateDirectory(disk);
        Assert.True(Tool("mount", $"-t tmpfs -o size=64k tmpfs {disk}"), "mounting a tmpfs needs root");
        try
        {
            FillUp(Path.Combine(disk, "filler"));
            string device = temp.File("midiC9D0");
            Dictionary<string, string> environment = new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=" + temp.File("no-bus") };

            (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, TimeSpan.FromSeconds(120), environment,
                "run", "--source", "ble:C4:1A:00:00:00:01", "--midi", "raw", "--midi-device", device, "--record", Path.Combine(disk, "rec"),
                "--duration", "3", "--progress", "0", "--set", "Button:Enabled=false");

            Assert.True(code == 4, $"exit {code}\n{stdout}\n{stderr}"); // input first: the sensor never delivered
            string summary = stdout[stdout.IndexOf("Summary (", StringComparison.Ordinal)..];
            Assert.Matches(@"\[INF\] BLE ble:C4:1A:00:00:00:01: no D-Bus system bus during the whole run", summary);
            Assert.Matches(@"\[INF\] MIDI raw:\S+midiC9D0: never opened \(open failed: ", summary);
            Assert.Matches(@"\[INF\] Recording: .*state Failed \(recording stopped on an I/O error: disk full on ", summary);
            Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            Tool("umount", disk);
        }
    }

    // Writes until the kernel says ENOSPC: the recorder's first header write then fails as on a full SD card.
    private static void FillUp(string path)
    {
        using FileStream filler = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        byte[] block = new byte[4096];
        try
        {
            for (int i = 0; i < 1024; i++)
            {
                filler.Write(block);
            }
        }
        catch (IOException)
        {
            return; // full
        }

        Assert.Fail("the 64 KiB tmpfs never filled up");
    }

    private static bool Tool(string tool, string args)
    {
        using System.Diagnostics.Process p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(tool, args) { RedirectStandardError = true })!;
        p.WaitForExit(10_000);
        return p.ExitCode == 0;
    }
}
