using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Recording;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Recording;

public sealed class DefaultConfigTests
{
    private static IConfiguration DeployedConfig()
    {
        // deploy/iolaedge.json of this checkout: found by walking up from the test binaries.
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "deploy", "iolaedge.json");
            if (File.Exists(path))
            {
                return new ConfigurationBuilder().AddJsonFile(path).Build();
            }
        }

        throw new FileNotFoundException("deploy/iolaedge.json not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_installed_default_config_binds_to_valid_recorder_and_button_options()
    {
        IConfiguration config = DeployedConfig();
        RecorderOptions recording = config.GetSection("Recording").Get<RecorderOptions>()!;
        recording.Validate();
        Assert.Equal("/var/lib/iolaedge/recordings", recording.Directory);
        Assert.Equal(TimeSpan.FromSeconds(1), recording.FlushInterval);
        Assert.Equal(TimeSpan.FromHours(1), recording.MaxFileDuration);

        GpioButtonOptions button = config.GetSection("Button").Get<GpioButtonOptions>()!;
        button.Validate();
        Assert.Equal(ButtonBias.PullUp, button.Bias);
        Assert.Equal(TimeSpan.FromMilliseconds(40), button.PressDebounce);
        Assert.Equal(17, button.Pin);
    }

    [Fact]
    public void The_installed_deploy_config_validates_as_a_whole()
    {
        IConfiguration config = DeployedConfig();

        Assert.Empty(DaemonHost.Validate(config)); // every section, as the host validates it before a run
        Assert.True(SourceSpec.TryParse(config["Run:Source"]!, out SourceSpec spec));
        Assert.Equal(SourceKind.Ble, spec.Kind);
        Assert.Equal("ble:name:MetaWear", spec.Text);

        // The synth is connected to, whatever it is called and whenever it is plugged in (not a virtual port nobody connects).
        Assert.Equal(IolaEdge.Midi.Rtmidi.RtMidiPortSelectorKind.Auto, IolaEdge.Midi.Rtmidi.RtMidiPortSelector.Parse(config["Midi:Port"]!).Kind);
        Assert.Equal("auto", config["Midi:Learn:Port"]);
    }

    [Fact]
    public void A_bad_ble_source_fails_validation_naming_session_source()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Run:Source"] = "ble:name:",
        }).Build();

        Assert.Contains(DaemonHost.Validate(config), f => f.Contains("Run:Source", StringComparison.Ordinal));
    }
}
