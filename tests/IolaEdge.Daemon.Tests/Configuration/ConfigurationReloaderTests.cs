using System.Net.Sockets;
using System.Text;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Daemon.Tuning;
using Microsoft.Extensions.Configuration;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Configuration;

/// <summary>What a SIGHUP reload applies, reports and refuses (in-process; the real signal is in <see cref="SighupReloadEndToEndTests"/>).</summary>
public sealed class ConfigurationReloaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<SensorChain> _chains = [];
    private readonly CollectingSerilogSink _log = new();

    public void Dispose()
    {
        foreach (SensorChain chain in _chains)
        {
            chain.Dispose();
        }

        _temp.Dispose();
    }

    [Fact]
    public void A_changed_gate_key_is_applied_and_a_changed_pipeline_key_is_reported_as_needing_a_restart()
    {
        string file = Write("""{ "Detector": { "Gate": { "MinIntervalMs": 300 } } }""");
        (ConfigurationReloader reloader, LiveTuning tuning) = Start(file);

        Write("""{ "Detector": { "Gate": { "MinIntervalMs": 450 } }, "Pipeline": { "RingCapacity": 8192 }, "Midi": { "Mapping": { "Default": { "Note": 40 } } } }""");
        ReloadOutcome outcome = reloader.Reload(tuning);

        Assert.True(outcome.Accepted);
        Assert.Equal(["Detector:Gate:MinIntervalMs", "Midi:Mapping:Default:Note"], outcome.Applied);
        Assert.Equal(["Pipeline:RingCapacity"], outcome.NeedRestart);
        Assert.All(_chains, c => Assert.Equal(450, c.Gate.Options.MinIntervalMs));
        Assert.Equal("40", tuning.Get("Midi:Mapping:Default:Note").Value);
        Assert.Empty(tuning.Unsaved); // the file holds these values already
        Assert.Contains((LogEventLevel.Information, "SIGHUP: Detector:Gate:MinIntervalMs = '450' (was '300'): applied"), _log.Lines);
        Assert.Contains((LogEventLevel.Warning, "SIGHUP: Pipeline:RingCapacity = '8192' (was '4096'): needs a restart to take effect"), _log.Lines);
    }

    [Fact]
    public void An_invalid_file_changes_nothing_and_one_line_names_the_file_and_the_key()
    {
        string file = Write("""{ "Detector": { "Gate": { "MinIntervalMs": 300 } } }""");
        (ConfigurationReloader reloader, LiveTuning tuning) = Start(file);
        double before = _chains[0].Gate.Options.MinIntervalMs;

        Write("""{ "Detector": { "Gate": { "MinIntervalMs": 450 } }, "Midi": { "Mapping": { "Default": { "Channel": 20 } } } }""");
        ReloadOutcome outcome = reloader.Reload(tuning);

        Assert.False(outcome.Accepted);
        Assert.All(_chains, c => Assert.Equal(before, c.Gate.Options.MinIntervalMs));
        Assert.Equal("10", tuning.Get("Midi:Mapping:Default:Channel").Value);
        string error = Assert.Single(_log.Lines, l => l.Level == LogEventLevel.Error).Text;
        Assert.StartsWith($"SIGHUP: configuration not reloaded, previous settings kept: Midi:Mapping:Default:Channel (in {file}) = 20", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_removed_from_the_file_returns_to_its_default_and_a_live_change_of_an_untouched_key_stays()
    {
        string file = Write("""{ "Detector": { "Gate": { "MinIntervalMs": 300 }, "Dsp": { "TriggerFraction": 0.4 } } }""");
        (ConfigurationReloader reloader, LiveTuning tuning) = Start(file);
        double detectorsOwn = new GateDefaults().MinIntervalMs;
        Assert.True(tuning.Set("Midi:Mapping:Default:Note", "50").Ok); // through the page or the control socket

        Write("""{ "Detector": { "Dsp": { "TriggerFraction": 0.4 } } }""");
        ReloadOutcome outcome = reloader.Reload(tuning);

        Assert.Equal(["Detector:Gate:MinIntervalMs"], outcome.Applied);
        Assert.All(_chains, c => Assert.Equal(detectorsOwn, c.Gate.Options.MinIntervalMs));
        Assert.Equal("50", tuning.Get("Midi:Mapping:Default:Note").Value);
        Assert.Contains((LogEventLevel.Information, "SIGHUP: Detector:Gate:MinIntervalMs = (not set) (was '300'): applied"), _log.Lines);
    }

    [Fact]
    public void A_key_that_needs_a_restart_is_reported_again_at_the_next_reload_and_an_unchanged_file_changes_nothing()
    {
        string file = Write("{}");
        (ConfigurationReloader reloader, LiveTuning tuning) = Start(file);
        Write("""{ "Run": { "Speed": "2" } }""");

        Assert.Equal(["Run:Speed"], reloader.Reload(tuning).NeedRestart);
        Assert.Equal(["Run:Speed"], reloader.Reload(tuning).NeedRestart);
        Write("{}");
        ReloadOutcome same = reloader.Reload(tuning);

        Assert.Equal((true, 0, 0), (same.Accepted, same.Applied.Count, same.NeedRestart.Count));
        Assert.Contains(_log.Lines, l => l.Text.EndsWith(": no setting changed", StringComparison.Ordinal));
    }

    private (ConfigurationReloader Reloader, LiveTuning Tuning) Start(string file)
    {
        IConfiguration startup = DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), file);
        SensorChainFactory factory = new("dsp", tuning: null);
        _chains.Add(factory.Create(0));
        _chains.Add(factory.Create(1));
        LiveTuning tuning = new(startup, file, "dsp", factory.Chains, engine: null);
        return (new ConfigurationReloader(new Dictionary<string, string?>(), file, startup, _log.CreateLogger()), tuning);
    }

    private string Write(string json)
    {
        string path = _temp.File("iolaedge.json");
        File.WriteAllText(path, json);
        return path;
    }

    // The dsp detector's own gate, as a run without Detector:Gate overrides has it.
    private sealed class GateDefaults
    {
        public double MinIntervalMs { get; }

        public GateDefaults()
        {
            SensorChainFactory factory = new("dsp", tuning: null);
            using SensorChain chain = factory.Create(0);
            MinIntervalMs = chain.Gate.Options.MinIntervalMs;
        }
    }
}

/// <summary><c>kill -HUP</c> to a running <c>iolaedge run</c>: the changed file applies live, a bad file is refused, the run goes on.</summary>
[Trait("Category", "Peer")]
public sealed class SighupReloadEndToEndTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Sighup_applies_a_changed_gate_key_to_the_running_daemon_and_refuses_a_bad_file()
    {
        using TempDirectory temp = new();
        string config = temp.File("iolaedge.json");
        string socket = temp.File("control.sock");
        File.WriteAllText(config, """{ "Detector": { "Gate": { "MinIntervalMs": 300 } } }""");
        using IolaEdgeProcess process = IolaEdgeProcess.Start(temp.Path, null,
            "run", "--config", config, "--source", "sim:seed=3,minutes=30", "--speed", "4", "--midi", "none", "--progress", "0", "--control-socket", socket);
        Assert.True(process.WaitForOutput("Footfall sensor 0 #2 ", s_timeout), process.Stdout + process.Stderr);

        File.WriteAllText(config, """{ "Detector": { "Gate": { "MinIntervalMs": 420 } }, "Pipeline": { "RingCapacity": 8192 } }""");
        process.Signal("HUP");
        Assert.True(process.WaitForOutput("SIGHUP: configuration reloaded from", TimeSpan.FromSeconds(30)), process.Stdout + process.Stderr);
        Assert.Contains("SIGHUP: Detector:Gate:MinIntervalMs = '420' (was '300'): applied", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("SIGHUP: Pipeline:RingCapacity = '8192' (was '4096'): needs a restart to take effect", process.Stdout, StringComparison.Ordinal);
        Assert.Equal("ok 420", await Ask(socket, "get Detector:Gate:MinIntervalMs"));

        File.WriteAllText(config, """{ "Detector": { "Gate": { "MinIntervalMs": 500, "Nope": 1 } } }""");
        process.Signal("HUP");
        Assert.True(process.WaitForOutput("previous settings kept", TimeSpan.FromSeconds(30)), process.Stdout + process.Stderr);
        Assert.Contains($"Detector:Gate:Nope (in {config})", process.Stdout, StringComparison.Ordinal);
        Assert.Equal("ok 420", await Ask(socket, "get Detector:Gate:MinIntervalMs"));

        int seen = process.Stdout.Length;
        Assert.True(SpinWait.SpinUntil(() => process.Stdout[seen..].Contains("Footfall sensor", StringComparison.Ordinal), s_timeout), "the run stopped after SIGHUP");
        process.Signal("TERM");
        Assert.Equal(0, process.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Sighup_reads_a_presets_file_fixed_by_hand_and_the_configuration_reload_goes_on_as_before()
    {
        using TempDirectory temp = new();
        string config = temp.File("iolaedge.json");
        string socket = temp.File("control.sock");
        string presets = temp.File("presets.json");
        File.WriteAllText(config, """{ "Detector": { "Gate": { "MinIntervalMs": 300 } } }""");
        File.WriteAllText(presets, """{ "presets": { "bar": """);
        using IolaEdgeProcess process = IolaEdgeProcess.Start(temp.Path, null,
            "run", "--config", config, "--source", "sim:seed=3,minutes=30", "--speed", "4", "--midi", "none", "--progress", "0", "--control-socket", socket,
            "--set", $"Midi:PresetsFile={presets}");
        Assert.True(process.WaitForOutput("Footfall sensor 0 #2 ", s_timeout), process.Stdout + process.Stderr);
        Assert.Contains($"[WRN] presets file {presets} cannot be read: ", process.Stdout, StringComparison.Ordinal);
        Assert.StartsWith($"ok built-in: drum, melodic, clock-only; saved: none ({presets}); presets file {presets} cannot be read: ",
            await Ask(socket, "preset list"), StringComparison.Ordinal);

        File.WriteAllText(presets, """{ "presets": { "bar": { "Midi:Mapping:Default:Note": "45", "Midi:Mapping:SendNotes": false } } }""");
        File.WriteAllText(config, """{ "Detector": { "Gate": { "MinIntervalMs": 420 } } }""");
        process.Signal("HUP");
        Assert.True(process.WaitForOutput($"User presets from {presets}: bar", TimeSpan.FromSeconds(30)), process.Stdout + process.Stderr);
        Assert.Contains("SIGHUP: Detector:Gate:MinIntervalMs = '420' (was '300'): applied", process.Stdout, StringComparison.Ordinal);
        Assert.Equal($"ok built-in: drum, melodic, clock-only; saved: bar ({presets})", await Ask(socket, "preset list"));
        Assert.Equal("ok preset bar: 2 setting(s) changed: Midi:Mapping:Default:Note = 45, Midi:Mapping:SendNotes = false", await Ask(socket, "preset bar"));
        Assert.Equal("ok 420", await Ask(socket, "get Detector:Gate:MinIntervalMs"));
        process.Signal("TERM");
        Assert.Equal(0, process.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    private static async Task<string> Ask(string path, string line)
    {
        using Socket client = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        await client.SendAsync(Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None);
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        StringBuilder reply = new();
        byte[] one = new byte[1];
        while (await client.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 1 && one[0] != (byte)'\n')
        {
            reply.Append((char)one[0]);
        }

        return reply.ToString();
    }
}
