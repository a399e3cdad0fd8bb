using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Configuration;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public void The_shipped_defaults_are_valid()
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), configFile: null);

        Assert.Empty(DaemonHost.Validate(configuration));
        Assert.Equal("dsp", configuration["Run:Detector"]); // appsettings.json is shipped beside the binary
    }

    [Theory]
    [InlineData("Run:Speed", "fast", "or 'max'")]
    [InlineData("Run:Speed", "0", "greater than 0")]
    [InlineData("Run:Source", "tcp:1234", "'bundled'")]
    [InlineData("Run:Detector", "lstm", "one of dsp, onnx-stream, onnx-window")]
    [InlineData("Pipeline:RingCapacity", "8", "from 16 to 1048576")]
    [InlineData("Pipeline:RingCapacity", "lots", "from 16 to 1048576")]
    [InlineData("Pipeline:ProgressIntervalSeconds", "-1", "from 0 to 86400")]
    [InlineData("Run:Source", "sim:seed=x", "seed")]
    [InlineData("Midi:Mapping:Default:Channel", "17", "1..16")]
    [InlineData("Midi:Mapping:Default:Channel", "ten", "from 1 to 16")]
    [InlineData("Midi:Mapping:Default:Note", "128", "0..127")]
    [InlineData("Midi:Engine:QueueCapacity", "4", "16..65536")]
    [InlineData("Midi:Port", "index:x", "index must be")]
    [InlineData("Midi:Backend", "coreaudio", "one of file, jack, alsa, raw, none")]
    [InlineData("Midi:Learn:Backend", "coreaudio", "one of jack, alsa, none")]
    [InlineData("Midi:Learn:TimeoutSeconds", "0", "from 1 to 600")]
    [InlineData("Midi:Learn:Port", "index:x", "index must be")]
    [InlineData("Midi:Mapping:SendNotes", "maybe", "true or false")]
    [InlineData("Midi:PresetsFile", "/tmp/", "not a directory")]
    [InlineData("Events:LogEachFootfall", "maybe", "true or false")]
    [InlineData("Log:Format", "xml", "one of text, json")]
    [InlineData("Log:Level", "Loud", "one of Verbose")]
    [InlineData("Detector:Dsp:MinImpactFraction", "1.5", "[0, 1]")]
    [InlineData("Detector:Dsp:PeakWaitMs", "-5", "[0, 200]")]
    [InlineData("Detector:Dsp:OnsetFraction", "half", "System.Double")]
    [InlineData("Detector:Gate:SampleThreshold", "2", "from 0 to 1")]
    [InlineData("Detector:Gate:HitWindow", "65", "from 1 to 64")]
    [InlineData("Soak:MaxWorkingSetGrowthMbPerHour", "-1", "from 0 to 1000000")]
    [InlineData("Soak:WarmupFraction", "half", "from 0 to 0.9")]
    [InlineData("Soak:MaxDrops", "1.5", "an integer from 0 to 2147483647")]
    [InlineData("Realtime:Policy", "Deadline", "Fifo, RoundRobin or Other")]
    [InlineData("Realtime:MidiPriority", "99", "an integer from 1 to 98")]
    [InlineData("Realtime:PipelinePriority", "0", "an integer from 1 to 98")]
    [InlineData("Realtime:PipelineCpus", "2-1", "a CPU list such as 1, 0-1 or 0,2-3")]
    [InlineData("Realtime:LockMemory", "yes", "true or false")]
    public void A_bad_value_is_reported_with_its_key_value_and_allowed_range(string key, string value, string allowed)
    {
        Dictionary<string, string?> overrides = new() { [key] = value };
        if (key == "Midi:Port")
        {
            overrides["Midi:Backend"] = "jack"; // the port is only read for port backends
        }

        IConfiguration configuration = DaemonHost.BuildConfiguration(overrides, configFile: null);

        string failure = Assert.Single(DaemonHost.Validate(configuration));
        Assert.Contains(key, failure, StringComparison.Ordinal);
        Assert.Contains(value, failure, StringComparison.Ordinal);
        Assert.Contains(allowed, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Detector:Dsp:ConfirmMS2", "Detector:Dsp:ConfirmMS2 is not a setting; known:")]
    [InlineData("Detector:Gate:Threshold", "Detector:Gate:Threshold is not a setting; known: SampleThreshold")]
    [InlineData("Detector:Rhythm", "Detector:Rhythm = '1' is not valid; allowed: Detector:Dsp:*, Detector:Gate:* or Detector:Gait:*")]
    [InlineData("Soak:MaxGrowthMbPerHour", "Soak:MaxGrowthMbPerHour is not a setting; known: MaxDrops, ")]
    public void A_misspelt_detector_or_soak_key_is_reported_instead_of_ignored(string key, string expected)
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?> { [key] = "1" }, configFile: null);
        string failure = Assert.Single(DaemonHost.Validate(configuration));
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_bad_values_are_all_reported()
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(
            new Dictionary<string, string?> { ["Midi:Mapping:Default:Channel"] = "0", ["Run:Speed"] = "-2", ["Pipeline:FanOutCapacity"] = "1" }, configFile: null);

        Assert.Equal(3, DaemonHost.Validate(configuration).Count);
    }

    [Fact]
    public void The_raw_backend_requires_a_device_path()
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?> { ["Midi:Backend"] = "raw" }, configFile: null);

        Assert.Contains("Midi:DevicePath", Assert.Single(DaemonHost.Validate(configuration)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_line_overrides_a_configuration_file()
    {
        using TempDirectory temp = new();
        string file = temp.File("iolaedge.json");
        File.WriteAllText(file, """{ "Midi": { "Mapping": { "Default": { "Channel": 3, "Note": 40 } } } }""");

        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?> { ["Midi:Mapping:Default:Note"] = "41" }, file);

        Assert.Equal("3", configuration["Midi:Mapping:Default:Channel"]);
        Assert.Equal("41", configuration["Midi:Mapping:Default:Note"]);
    }
}
