using System.Text.Json;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Daemon.Tuning;
using IolaEdge.Dsp.Samples;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Tuning;

public sealed class LiveTuningTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<SensorChain> _chains = [];

    private LiveTuning Create(string? configFile = null, params (string Key, string Value)[] settings)
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(settings.ToDictionary(s => s.Key, s => (string?)s.Value), configFile);
        SensorChainFactory factory = new("dsp", tuning: null);
        _chains.Add(factory.Create(0));
        _chains.Add(factory.Create(1));
        return new LiveTuning(configuration, configFile, "dsp", factory.Chains, engine: null);
    }

    public void Dispose()
    {
        foreach (SensorChain chain in _chains)
        {
            chain.Dispose();
        }

        _temp.Dispose();
    }

    [Fact]
    public void A_gate_key_changes_every_sensors_gate_at_once()
    {
        LiveTuning tuning = Create();

        TuningResult result = tuning.Set("Detector:Gate:MinIntervalMs", "900");

        Assert.True(result.Ok, result.Message);
        Assert.All(_chains, c => Assert.Equal(900, c.Gate!.Options.MinIntervalMs));
        Assert.Equal("900", tuning.Get("detector:gate:minintervalms").Value);
        Assert.Equal(["Detector:Gate:MinIntervalMs"], tuning.Unsaved);
    }

    [Fact]
    public void A_detector_key_is_applied_by_the_pipeline_thread_before_its_next_sample()
    {
        LiveTuning tuning = Create();

        Assert.True(tuning.Set("Detector:Dsp:TriggerFraction", "0.5").Ok);
        Assert.All(_chains, c => Assert.Equal(0, c.DspChangesApplied)); // posted, not yet taken

        Span<FootfallEvent> events = stackalloc FootfallEvent[4];
        _chains[0].Process(new ImuSample(0, 0, 0, 1_000_000, 0, 0, 1), events);

        Assert.Equal(1, _chains[0].DspChangesApplied);
        Assert.Equal(0, _chains[1].DspChangesApplied);
        Assert.Equal("0.5", tuning.Get("Detector:Dsp:TriggerFraction").Value);
    }

    [Theory]
    [InlineData("Detector:Gate:SampleThreshold", "7", "Detector:Gate:SampleThreshold = '7'")]
    [InlineData("Detector:Dsp:TriggerFraction", "0.01", "Detector:Dsp:TriggerFraction = '0.01'")]
    [InlineData("Detector:Gate:HitWindow", "many", "Detector:Gate:HitWindow = 'many'")]
    [InlineData("Midi:Mapping:Default:Note", "128", "Midi:Mapping:Default:Note = 128")]
    [InlineData("Midi:Mapping:Default:Velocity", "Loud", "Midi:Mapping:Default:Velocity = 'Loud'")]
    public void A_bad_value_is_refused_naming_the_key_and_changes_nothing(string key, string value, string expected)
    {
        LiveTuning tuning = Create();
        string? before = tuning.Get(key).Value;

        TuningResult result = tuning.Set(key, value);

        Assert.False(result.Ok);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        Assert.Equal(before, tuning.Get(key).Value);
        Assert.Empty(tuning.Unsaved);
    }

    [Fact]
    public void An_unknown_key_is_refused_with_a_hint()
    {
        LiveTuning tuning = Create();

        TuningResult result = tuning.Set("Detector:Dsp:NominalRateHz", "100");

        Assert.False(result.Ok);
        Assert.Contains("Detector:Dsp:NominalRateHz is not a live setting", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sliders_ranges_are_the_validators_own()
    {
        LiveTuning tuning = Create();
        Dictionary<string, TunableSetting> settings = tuning.Settings().ToDictionary(s => s.Setting.Key, s => s.Setting);

        Assert.Equal((0.05, 1.0), (settings["Detector:Dsp:TriggerFraction"].Min, settings["Detector:Dsp:TriggerFraction"].Max));
        Assert.Equal((0.0, 5000.0), (settings["Detector:Gate:MinIntervalMs"].Min, settings["Detector:Gate:MinIntervalMs"].Max));
        Assert.Equal((0.0, 127.0), (settings["Midi:Mapping:Default:Note"].Min, settings["Midi:Mapping:Default:Note"].Max));
        Assert.Equal(SettingKind.Choice, settings["Midi:Mapping:Default:Velocity"].Kind);
        Assert.Equal(SettingKind.Boolean, settings["Midi:Mapping:Clock:Enabled"].Kind);
        Assert.Contains("Midi:Mapping:Sensors:0:Note", settings.Keys); // the shipped appsettings.json maps sensor 1
    }

    [Fact]
    public void Save_sets_the_changed_keys_in_the_start_file_and_keeps_the_previous_one()
    {
        string file = _temp.File("iolaedge.json");
        const string original = "{\n  // the belt pack\n  \"Run\": { \"Source\": \"bundled\" },\n  \"midi\": { \"mapping\": { \"default\": { \"note\": 60 } } }\n}";
        File.WriteAllText(file, original);
        LiveTuning tuning = Create(file);
        Assert.True(tuning.Set("Midi:Mapping:Default:Note", "36").Ok);
        Assert.True(tuning.Set("Midi:Mapping:Sensors:0:Note", "38").Ok);
        Assert.True(tuning.Set("Detector:Gate:MinIntervalMs", "300").Ok);
        Assert.True(tuning.Set("Midi:Mapping:Clock:Enabled", "true").Ok);

        TuningResult saved = tuning.Save();

        Assert.True(saved.Ok, saved.Message);
        Assert.Equal(original, File.ReadAllText(file + ".bak"));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(file));
        JsonElement root = json.RootElement;
        Assert.Equal("bundled", root.GetProperty("Run").GetProperty("Source").GetString());
        Assert.Equal(36, root.GetProperty("midi").GetProperty("mapping").GetProperty("default").GetProperty("note").GetInt32()); // the file's spelling kept
        Assert.Equal(38, root.GetProperty("midi").GetProperty("mapping").GetProperty("Sensors")[0].GetProperty("Note").GetInt32());
        Assert.Equal(300, root.GetProperty("Detector").GetProperty("Gate").GetProperty("MinIntervalMs").GetDouble());
        Assert.True(root.GetProperty("midi").GetProperty("mapping").GetProperty("Clock").GetProperty("Enabled").GetBoolean());
        Assert.Empty(tuning.Unsaved);
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp")); // no temporary file left

        // The saved file is a valid configuration that starts with the saved values.
        IConfiguration reread = DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), file);
        Assert.Empty(DaemonHost.Validate(reread));
        Assert.Equal("38", reread["Midi:Mapping:Sensors:0:Note"]);
        Assert.Equal("1", reread["Midi:Mapping:Sensors:0:SensorId"]); // from appsettings.json, merged by index
    }

    [Fact]
    public void Save_without_a_start_file_says_so()
    {
        LiveTuning tuning = Create();
        Assert.True(tuning.Set("Detector:Gate:MinIntervalMs", "300").Ok);

        TuningResult saved = tuning.Save();

        Assert.False(saved.Ok);
        Assert.Contains("--config", saved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_control_socket_commands_set_get_keys_and_save()
    {
        string file = _temp.File("c.json");
        File.WriteAllText(file, "{}");
        LiveTuning tuning = Create(file);
        TuningCommands commands = new(() => tuning);

        Assert.True(commands.TryExecute("set Detector:Gate:MinIntervalMs=400", out string set));
        Assert.Equal("ok Detector:Gate:MinIntervalMs = 400", set);
        Assert.True(commands.TryExecute("get Detector:Gate:MinIntervalMs", out string get));
        Assert.Equal("ok 400", get);
        Assert.True(commands.TryExecute("set Detector:Gate:MinIntervalMs=-1", out string bad));
        Assert.StartsWith("error Detector:Gate:MinIntervalMs = '-1'", bad, StringComparison.Ordinal);
        Assert.True(commands.TryExecute("set nothing", out string usage));
        Assert.Equal("error usage: set KEY=VALUE", usage);
        Assert.True(commands.TryExecute("keys", out string keys));
        Assert.Contains(" Detector:Gate:MinIntervalMs=400 ", keys, StringComparison.Ordinal);
        Assert.True(commands.TryExecute("save", out string save));
        Assert.StartsWith("ok saved 1 setting(s) to " + file, save, StringComparison.Ordinal);
        Assert.False(commands.TryExecute("mark 0", out _));
    }

    [Fact]
    public void The_drum_preset_maps_kick_and_snare_on_channel_10_in_one_change()
    {
        LiveTuning tuning = Create();

        TuningResult result = tuning.ApplyPreset("drum");

        Assert.True(result.Ok, result.Message);
        Assert.Equal("36", tuning.Get("Midi:Mapping:Default:Note").Value);
        Assert.Equal("38", tuning.Get("Midi:Mapping:Sensors:0:Note").Value);
        Assert.Equal("10", tuning.Get("Midi:Mapping:Sensors:0:Channel").Value);
        Assert.Contains("Midi:Mapping:Sensors:0:Note", tuning.Unsaved);
    }

    [Fact]
    public void An_unknown_preset_lists_the_known_ones()
    {
        LiveTuning tuning = Create();
        TuningCommands commands = new(() => tuning);

        Assert.True(commands.TryExecute("preset polka", out string reply));

        Assert.Equal("error preset 'polka' is not known; presets: drum, melodic, clock-only", reply);
        Assert.True(commands.TryExecute("preset melodic", out string melodic));
        Assert.StartsWith("ok preset melodic: Midi:Mapping:Default:Note = 60", melodic, StringComparison.Ordinal);
        Assert.Equal("Exponential", tuning.Get("Midi:Mapping:Default:Velocity").Value);
    }
}
