using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Configuration;

public sealed class StrictConfigurationTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Midi:Chanel", "Midi:Chanel (command line) is not a setting; known under Midi: Backend, FilePath, DevicePath, Port, Mapping, Engine, Learn, PresetsFile; did you mean Midi:Mapping:Default:Channel?")]
    [InlineData("Midi:Channel", "Midi:Channel (command line) is not a setting; known under Midi: Backend, FilePath, DevicePath, Port, Mapping, Engine, Learn, PresetsFile; did you mean Midi:Mapping:Default:Channel?")]
    [InlineData("Midi:Mapping:Default:Chanel", "Midi:Mapping:Default:Chanel (command line) is not a setting; known under Midi:Mapping:Default: SensorId, Note, Channel")]
    [InlineData("Runn:Speed", "Runn (command line) is not a configuration section; known: Run, Pipeline, Midi, Events, Log, Recording, Button, Web, Realtime, Detector, Soak, Serilog; did you mean Run?")]
    [InlineData("Session:Speed", "Session:Speed (command line) is an old name: the Session section is now Run; write Run:Speed")]
    [InlineData("Recording:Directroy", "Recording:Directroy (command line) is not a setting; known under Recording: Directory")]
    [InlineData("Pipeline:RingCapacity:Extra", "Pipeline:RingCapacity:Extra (command line) is not a setting: Pipeline:RingCapacity is a single value")]
    [InlineData("Midi:Mapping:Sensors:0:Chanel", "Midi:Mapping:Sensors:0:Chanel (command line) is not a setting; known under Midi:Mapping:Sensors:0: SensorId")]
    public void An_unknown_key_or_section_set_on_the_command_line_is_an_error_with_a_suggestion(string key, string expected)
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?> { [key] = "2" }, configFile: null);

        string failure = Assert.Single(DaemonHost.Validate(configuration));
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_section_in_a_configuration_file_names_the_file()
    {
        using TempDirectory temp = new();
        string file = temp.File("iolaedge.json");
        File.WriteAllText(file, """{ "Runn": { "Speed": "2" }, "Midi": { "Mapping": { "Default": { "Channel": 3 } } } }""");

        string failure = Assert.Single(DaemonHost.Validate(DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), file)));

        Assert.StartsWith($"Runn (in {file}) is not a configuration section", failure, StringComparison.Ordinal);
        Assert.EndsWith("did you mean Run?", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_file_with_the_old_session_section_gets_one_line_per_key_naming_the_new_key()
    {
        using TempDirectory temp = new();
        string file = temp.File("iolaedge.json");
        File.WriteAllText(file, """{ "Session": { "Source": "sim", "Speed": "2" } }""");

        List<string> failures = DaemonHost.Validate(DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), file));

        Assert.Equal(
            [$"Session:Source (in {file}) is an old name: the Session section is now Run; write Run:Source",
             $"Session:Speed (in {file}) is an old name: the Session section is now Run; write Run:Speed"],
            failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_key_in_the_environment_ends_the_run_with_exit_3_naming_the_variable()
    {
        using TempDirectory temp = new();
        Dictionary<string, string> environment = new() { ["IOLAEDGE_MIDI__BAKEND"] = "none", ["IOLAEDGE_NOT_CONFIGURATION"] = "left alone" };

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, environment, "run", "--midi", "none", "--duration", "1");

        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}");
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("iolaedge: configuration error: Midi:BAKEND (environment IOLAEDGE_MIDI__BAKEND) is not a setting; known under Midi: Backend, FilePath, DevicePath, Port, Mapping, Engine, Learn, PresetsFile; did you mean Midi:Backend?", line);
    }

    [Fact]
    public void The_installed_and_shipped_configurations_have_no_unknown_key()
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), configFile: null);

        Assert.Empty(IolaEdge.Daemon.Configuration.StrictConfiguration.UnknownKeys(configuration));
    }
}
