using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Cli;

/// <summary><c>iolaedge config check</c> and <c>config show</c>, through the real binary and in-process.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Check_accepts_a_valid_file_with_exit_0_and_counts_its_settings()
    {
        string file = Write("good.json", """{ "Midi": { "Mapping": { "Default": { "Channel": 2 } } }, "Detector": { "Gate": { "MinIntervalMs": 300 } } }""");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(_temp.Path, s_timeout, null, "config", "check", file);

        Assert.True(code == 0, stdout + stderr);
        Assert.Equal($"{file}: valid (2 setting(s) from this file)", stdout.Trim());
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Check_names_the_file_and_key_of_each_problem_and_exits_3()
    {
        string file = Write("bad.json", """{ "Midi": { "Chanel": 2, "Mapping": { "Default": { "Channel": 20 } } } }""");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(_temp.Path, s_timeout, null, "config", "check", file);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Equal("", stdout);
        string[] lines = stderr.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"iolaedge: configuration error: Midi:Mapping:Default:Channel (in {file}) = 20 is outside 1..16", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"iolaedge: configuration error: Midi:Chanel (in {file}) is not a setting", StringComparison.Ordinal)
            && l.EndsWith("did you mean Midi:Mapping:Default:Channel?", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_reports_broken_json_and_a_missing_file_in_one_line_each_with_exit_3()
    {
        string broken = Write("broken.json", """{ "Midi": { """);

        (int brokenCode, _, string brokenErr) = IolaEdgeProcess.Run(_temp.Path, s_timeout, null, "config", "check", broken);
        (int missingCode, _, string missingErr) = IolaEdgeProcess.Run(_temp.Path, s_timeout, null, "config", "check", _temp.File("nope.json"));

        Assert.Equal((ExitCodes.Configuration, ExitCodes.Configuration), (brokenCode, missingCode));
        Assert.Single(brokenErr.Trim().Split('\n'));
        Assert.Contains(broken, brokenErr, StringComparison.Ordinal);
        Assert.Contains("LineNumber", brokenErr, StringComparison.Ordinal);
        Assert.Single(missingErr.Trim().Split('\n'));
        Assert.Contains("nope.json", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_prints_every_key_with_the_layer_it_came_from()
    {
        string file = Write("iolaedge.json", """{ "Midi": { "Mapping": { "Default": { "Channel": 2 } } } }""");
        Dictionary<string, string> environment = new() { ["IOLAEDGE_MIDI__BACKEND"] = "none" };

        using IolaEdgeProcess process = IolaEdgeProcess.Start(_temp.Path, environment, "config", "show", "--config", file, "--set", "Run:Speed=max");
        int code = process.WaitForExit(s_timeout);

        Assert.True(code == 0, process.Stdout + process.Stderr);
        Dictionary<string, string> lines = process.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l[..l.IndexOf(" = ", StringComparison.Ordinal)], l => l);
        Assert.Matches(@"^Midi:Mapping:Default:Channel = 2 +\(in .*iolaedge\.json\)$", lines["Midi:Mapping:Default:Channel"]);
        Assert.Matches(@"^Midi:Backend = none +\(environment IOLAEDGE_MIDI__BACKEND\)$", lines["Midi:Backend"]);
        Assert.Matches(@"^Run:Speed = max +\(command line\)$", lines["Run:Speed"]);
        Assert.Matches(@"^Midi:Mapping:Default:Note = 60 +\(shipped appsettings\.json\)$", lines["Midi:Mapping:Default:Note"]);
        Assert.Matches(@"^Detector:Dsp:TriggerFraction = 0\.3 +\(default in code\)$", lines["Detector:Dsp:TriggerFraction"]);
        Assert.Matches(@"^Detector:Gate:MinIntervalMs = \(not set\) +\(default in code\)$", lines["Detector:Gate:MinIntervalMs"]);
    }

    [Fact]
    public void Show_lists_every_key_the_strict_configuration_accepts_and_each_one_validates()
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), configFile: null);

        IReadOnlyList<EffectiveSetting> settings = EffectiveConfiguration.Of(configuration);

        Assert.True(settings.Count > 150, $"only {settings.Count} keys");
        Assert.Equal(settings.Count, settings.Select(s => s.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (string section in new[] { "Run", "Pipeline", "Midi", "Events", "Log", "Recording", "Button", "Web", "Detector", "Soak" })
        {
            Assert.Contains(settings, s => s.Key.StartsWith(section + ":", StringComparison.Ordinal));
        }

        // Feeding every shown value back as a setting is accepted: each shown key is a real key with a valid value.
        Dictionary<string, string?> all = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value);
        IConfiguration echoed = DaemonHost.BuildConfiguration(all, configFile: null);
        Assert.Empty(DaemonHost.Validate(echoed));
    }

    [Fact]
    public void Show_with_an_invalid_setting_prints_the_problem_naming_the_command_line_and_exits_3()
    {
        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(_temp.Path, s_timeout, null, "config", "show", "--set", "Midi:Mapping:Default:Note=300");

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("iolaedge: configuration error: Midi:Mapping:Default:Note (command line) = 300", stderr, StringComparison.Ordinal);
    }

    private string Write(string name, string json)
    {
        string path = _temp.File(name);
        File.WriteAllText(path, json);
        return path;
    }
}
