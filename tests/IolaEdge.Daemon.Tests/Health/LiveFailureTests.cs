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
        SessionRunner runner = new(new BuiltInComponents(),
            new SessionOptions { Source = "sim:seed=3,minutes=0.5", Speed = "max" },
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

        // setpriv drops CAP_SYS_NICE from the bounding set, so even root is refused SCHED_FIFO (RLIMIT_RTPRIO is 0 here).
        (int code, string stdout, string stderr) = IolaEdgeProcess.RunWrapped(temp.Path, s_timeout,
            ["setpriv", "--bounding-set", "-sys_nice", "--inh-caps", "-sys_nice"],
            "run", "--source", "sim:seed=1,minutes=0.2", "--speed", "max", "--midi-file", midi, "--progress", "0",
            "--set", "Midi:Engine:RealtimePriority=10");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Match warning = Assert.Single(Regex.Matches(stdout, @"\[WRN\] real-time scheduling: not applied: .*"));
        Assert.Contains("CAP_SYS_NICE", warning.Value, StringComparison.Ordinal);
        Assert.Contains("LimitRTPRIO=10", warning.Value, StringComparison.Ordinal);
        Assert.Contains("Real-time scheduling not applied", stdout, StringComparison.Ordinal); // and in the summary
    }

    [GeneratedRegex(@"messages: (?<offered>\d+) offered, (?<sent>\d+) sent, (?<dropped>\d+) dropped \(port not open (?<absent>\d+)")]
    private static partial Regex MessageCounts();
}
