using System.Text.Json;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Daemon.Tuning;
using Microsoft.Extensions.Configuration;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Tuning;

/// <summary>User presets (saved mappings) and the clock-only preset, through <see cref="LiveTuning"/> and the control socket's commands.</summary>
public sealed class UserPresetsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<SensorChain> _chains = [];
    private readonly CollectingSerilogSink _log = new();

    private string PresetsFile => _temp.File("state/presets.json");

    private LiveTuning Create(UserPresets? presets)
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), null);
        SensorChainFactory factory = new("dsp", tuning: null);
        _chains.Add(factory.Create(0));
        _chains.Add(factory.Create(1));
        return new LiveTuning(configuration, null, "dsp", factory.Chains, engine: null, presets);
    }

    private UserPresets Presets() => new(PresetsFile, _log.CreateLogger());

    public void Dispose()
    {
        foreach (SensorChain chain in _chains)
        {
            chain.Dispose();
        }

        _temp.Dispose();
    }

    [Fact]
    public void A_saved_preset_restores_the_mapping_after_a_change_and_after_a_restart()
    {
        LiveTuning tuning = Create(Presets());
        Assert.True(tuning.Set("Midi:Mapping:Default:Note", "41").Ok);
        Assert.True(tuning.Set("Midi:Mapping:Clock:StepsPerBeat", "4").Ok);

        TuningResult saved = tuning.SavePreset("park-walk");

        Assert.True(saved.Ok, saved.Message);
        Assert.StartsWith("preset park-walk saved: ", saved.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(PresetsFile)); // the state directory was created
        Assert.True(tuning.Set("Midi:Mapping:Default:Note", "50").Ok);
        Assert.True(tuning.Set("Detector:Gate:MinIntervalMs", "700").Ok);

        TuningResult applied = tuning.ApplyPreset("park-walk");

        Assert.True(applied.Ok, applied.Message);
        Assert.Equal("preset park-walk: 1 setting(s) changed: Midi:Mapping:Default:Note = 41", applied.Message);
        Assert.Equal("41", tuning.Get("Midi:Mapping:Default:Note").Value);
        Assert.Equal("700", tuning.Get("Detector:Gate:MinIntervalMs").Value); // the gate is not part of a preset
        Assert.Equal("preset park-walk: already in force", tuning.ApplyPreset("PARK-WALK").Message);

        // A new process: the file is read at start.
        LiveTuning restarted = Create(Presets());
        Assert.Equal(["drum", "melodic", "clock-only", "park-walk"], restarted.PresetNames());
        Assert.True(restarted.ApplyPreset("park-walk").Ok);
        Assert.Equal("41", restarted.Get("Midi:Mapping:Default:Note").Value);
        Assert.Equal("4", restarted.Get("Midi:Mapping:Clock:StepsPerBeat").Value);
        Assert.Contains("Midi:Mapping:Default:Note", restarted.Unsaved);
    }

    [Fact]
    public void Saving_again_replaces_the_preset_atomically_keeping_the_previous_file()
    {
        LiveTuning tuning = Create(Presets());
        Assert.True(tuning.SavePreset("a").Ok);
        string first = File.ReadAllText(PresetsFile);
        Assert.True(tuning.Set("Midi:Mapping:Default:Note", "44").Ok);

        TuningResult replaced = tuning.SavePreset("A");

        Assert.True(replaced.Ok, replaced.Message);
        Assert.StartsWith("preset A replaced: ", replaced.Message, StringComparison.Ordinal);
        Assert.Contains($"(previous file kept as {PresetsFile}.bak)", replaced.Message, StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllText(PresetsFile + ".bak"));
        using JsonDocument file = JsonDocument.Parse(File.ReadAllText(PresetsFile));
        JsonElement preset = file.RootElement.GetProperty("presets").GetProperty("A");
        Assert.Equal("44", preset.GetProperty("Midi:Mapping:Default:Note").GetString());
        Assert.False(file.RootElement.GetProperty("presets").TryGetProperty("a", out _));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(PresetsFile)!, ".*.tmp"));
    }

    [Theory]
    [InlineData("my preset", "preset name 'my preset' is not valid: use 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit")]
    [InlineData("-x", "preset name '-x' is not valid: use 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "preset name 'abcdefghijklmnopqrstuvwxyz0123456' is not valid: use 1 to 32 letters")]
    [InlineData("Drum", "preset name 'Drum' is a built-in preset and cannot be overwritten; choose another name")]
    [InlineData("clock-only", "preset name 'clock-only' is a built-in preset and cannot be overwritten; choose another name")]
    [InlineData("list", "preset name 'list' is a word of the preset command (list, save, delete); choose another name")]
    public void A_bad_or_built_in_name_is_refused_in_one_line_naming_it(string name, string expected)
    {
        LiveTuning tuning = Create(Presets());

        TuningResult result = tuning.SavePreset(name);

        Assert.False(result.Ok);
        Assert.StartsWith(expected, result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Message);
        Assert.False(File.Exists(PresetsFile));
    }

    [Fact]
    public void The_control_socket_lists_saves_applies_and_deletes_user_presets()
    {
        LiveTuning tuning = Create(Presets());
        TuningCommands commands = new(() => tuning);
        string Ask(string line)
        {
            Assert.True(commands.TryExecute(line, out string reply), line);
            return reply;
        }

        Assert.Equal($"ok built-in: drum, melodic, clock-only; saved: none ({PresetsFile})", Ask("preset list"));
        Assert.Equal("ok Midi:Mapping:Default:Channel = 3", Ask("set Midi:Mapping:Default:Channel=3"));
        Assert.StartsWith("ok preset bass saved: ", Ask("preset save bass"), StringComparison.Ordinal);
        Assert.Equal($"ok built-in: drum, melodic, clock-only; saved: bass ({PresetsFile})", Ask("preset list"));
        Assert.StartsWith("ok preset drum: ", Ask("preset drum"), StringComparison.Ordinal);
        Assert.Equal("ok 10", Ask("get Midi:Mapping:Default:Channel"));
        Assert.StartsWith("ok preset bass: ", Ask("preset bass"), StringComparison.Ordinal);
        Assert.Equal("ok 3", Ask("get Midi:Mapping:Default:Channel"));

        Assert.Equal("error preset name 'drum' is a built-in preset and cannot be overwritten; choose another name", Ask("preset save drum"));
        Assert.Equal("error preset name 'melodic' is a built-in preset and cannot be deleted", Ask("preset delete melodic"));
        Assert.Equal("error usage: preset save NAME", Ask("preset save"));
        Assert.StartsWith("error usage: preset NAME, preset list, preset save NAME, preset delete NAME (presets: drum, melodic, clock-only, bass)", Ask("preset"), StringComparison.Ordinal);
        Assert.StartsWith($"ok preset bass deleted from {PresetsFile}", Ask("preset delete bass"), StringComparison.Ordinal);
        Assert.Equal("error preset 'bass' is not a saved preset; saved: none", Ask("preset delete bass"));
        Assert.Equal("error preset 'bass' is not known; presets: drum, melodic, clock-only", Ask("preset bass"));
    }

    [Fact]
    public void A_corrupt_presets_file_is_one_line_naming_it_and_is_never_overwritten()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PresetsFile)!);
        const string corrupt = "{ \"presets\": { \"x\": ";
        File.WriteAllText(PresetsFile, corrupt);

        UserPresets presets = Presets();
        LiveTuning tuning = Create(presets);

        var warning = Assert.Single(_log.Lines, l => l.Level >= LogEventLevel.Warning);
        Assert.StartsWith($"presets file {PresetsFile} cannot be read: ", warning.Text, StringComparison.Ordinal);
        Assert.Contains("user presets are off until it is fixed or removed", warning.Text, StringComparison.Ordinal);
        Assert.Equal(["drum", "melodic", "clock-only"], tuning.PresetNames());
        Assert.True(tuning.ApplyPreset("drum").Ok); // built-ins still work
        TuningResult refused = tuning.SavePreset("mine");
        Assert.False(refused.Ok);
        Assert.StartsWith($"preset mine not saved: presets file {PresetsFile} cannot be read: ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(corrupt, File.ReadAllText(PresetsFile));

        // Fixed by hand, read again (SIGHUP): the preset it holds applies.
        File.WriteAllText(PresetsFile, "{ \"presets\": { \"x\": { \"Midi:Mapping:Default:Note\": \"47\" } } }");
        presets.Load();
        Assert.Null(presets.Problem);
        Assert.True(tuning.ApplyPreset("x").Ok);
        Assert.Equal("47", tuning.Get("Midi:Mapping:Default:Note").Value);
    }

    [Fact]
    public void A_preset_file_with_a_key_outside_the_mapping_is_refused_naming_the_key()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PresetsFile)!);
        File.WriteAllText(PresetsFile, "{ \"presets\": { \"x\": { \"Detector:Gate:MinIntervalMs\": \"400\" } } }");

        UserPresets presets = Presets();

        Assert.Equal($"presets file {PresetsFile} cannot be read: preset x: Detector:Gate:MinIntervalMs must be a Midi:Mapping:* key with a string, number or true/false value", presets.Problem);
        Assert.Empty(presets.Names);
    }

    [Fact]
    public void A_preset_value_that_is_no_longer_valid_is_refused_naming_the_key_and_changes_nothing()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PresetsFile)!);
        File.WriteAllText(PresetsFile, "{ \"presets\": { \"old\": { \"Midi:Mapping:Default:Note\": \"40\", \"Midi:Mapping:Default:Channel\": \"17\", \"Midi:Mapping:Sensors:5:Note\": \"1\" } } }");
        LiveTuning tuning = Create(Presets());

        TuningResult result = tuning.ApplyPreset("old");

        Assert.False(result.Ok);
        Assert.StartsWith("preset old not applied: Midi:Mapping:Default:Channel = 17 is outside 1..16", result.Message, StringComparison.Ordinal);
        Assert.Equal("60", tuning.Get("Midi:Mapping:Default:Note").Value);
    }

    [Fact]
    public void Clock_only_turns_the_clock_on_and_the_notes_off_and_drum_turns_the_notes_back_on()
    {
        LiveTuning tuning = Create(presets: null);

        TuningResult result = tuning.ApplyPreset("clock-only");

        Assert.True(result.Ok, result.Message);
        Assert.Equal("preset clock-only: Midi:Mapping:SendNotes = false, Midi:Mapping:Clock:Enabled = true", result.Message);
        Assert.Equal("false", tuning.Get("Midi:Mapping:SendNotes").Value);
        Assert.Equal("true", tuning.Get("Midi:Mapping:Clock:Enabled").Value);

        Assert.True(tuning.ApplyPreset("drum").Ok);
        Assert.Equal("true", tuning.Get("Midi:Mapping:SendNotes").Value);
        Assert.Equal("true", tuning.Get("Midi:Mapping:Clock:Enabled").Value); // drum is about notes; the clock stays
        Assert.Equal("user presets are off in this run (no presets file)", tuning.SavePreset("x").Message);
    }
}
