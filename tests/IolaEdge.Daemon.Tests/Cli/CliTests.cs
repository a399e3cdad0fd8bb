using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Daemon.Tests.Cli;

public sealed class CliTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Version_prints_the_product_version_and_exits_0()
    {
        using TempDirectory temp = new();
        (int code, string stdout, _) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "--version");

        Assert.Equal(0, code);
        Assert.StartsWith("0.1.0", stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_verb_and_the_exit_codes()
    {
        using TempDirectory temp = new();
        (int code, string stdout, _) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "--help");

        Assert.Equal(0, code);
        foreach (string verb in new[] { "run", "replay", "midi", "eval", "soak" })
        {
            Assert.Contains("  " + verb, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("3 configuration", stdout, StringComparison.Ordinal);
        Assert.Contains("6 soak check failed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_help_names_the_configuration_key_behind_each_option()
    {
        using TempDirectory temp = new();
        (int code, string stdout, _) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "run", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--speed", stdout, StringComparison.Ordinal);
        Assert.Contains("[config: Run:Speed]", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_exits_with_the_usage_code()
    {
        using TempDirectory temp = new();
        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "run", "--bogus");

        Assert.Equal(2, code);
        Assert.Contains("--bogus", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_option_value_exits_with_the_configuration_code_naming_key_value_and_range()
    {
        using TempDirectory temp = new();
        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "run", "--speed", "warp");

        Assert.Equal(3, code);
        Assert.Contains("Run:Speed = 'warp' is not valid; allowed: a number greater than 0 and at most 1000", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_variable_is_a_configuration_layer_and_is_validated()
    {
        using TempDirectory temp = new();
        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout,
            new Dictionary<string, string> { ["IOLAEDGE_MIDI__MAPPING__DEFAULT__CHANNEL"] = "99" }, "run");

        Assert.Equal(3, code);
        Assert.Contains("Midi:Mapping:Default:Channel = 99", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1..16", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_configuration_file_is_a_configuration_error()
    {
        using TempDirectory temp = new();
        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "run", "--config", temp.File("absent.json"));

        Assert.Equal(3, code);
        Assert.Contains("absent.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replaying_a_missing_file_exits_with_the_input_code_naming_the_path()
    {
        using TempDirectory temp = new();
        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "replay", temp.File("no-such-walk.csv"), "--midi", "none");

        Assert.Equal(4, code);
        Assert.Contains("no-such-walk.csv", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_override_without_an_equals_sign_is_a_usage_error()
    {
        using TempDirectory temp = new();
        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "run", "--set", "Midi:Mapping:Default:Channel");

        Assert.Equal(2, code);
        Assert.Contains("KEY=VALUE", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Midi_list_with_an_unknown_api_is_one_line_naming_the_option_with_the_usage_code()
    {
        using TempDirectory temp = new();
        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "midi", "list", "--midi", "bogus");

        Assert.Equal(2, code);
        Assert.Equal("iolaedge: --midi = 'bogus' is not a MIDI API; allowed: alsa, jack.", stderr.Trim());
    }

    [Theory]
    [InlineData("--rate-hz 0", "eval: --rate-hz: 0 is not a sensor rate (1 to 10000 Hz)")]
    [InlineData("--tolerances 50,20000", "eval: --tolerances: '20000' is not a tolerance in ms (0 to 10000)")]
    [InlineData("--from-ms 10 --to-ms 5", "eval: --to-ms 5 must be greater than --from-ms 10")]
    [InlineData("--output-latency-ms -5", "eval: --output-latency-ms = -5 is outside 0..500")]
    [InlineData("--set Detector:Dsp:GyroSwingDps=-1", "eval: --set: Detector:Dsp:GyroSwingDps")]
    public void An_eval_option_out_of_range_is_one_line_naming_the_option_with_the_usage_code(string options, string message)
    {
        using TempDirectory temp = new();
        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, ["eval", "--input", temp.File("walk.csv"), .. options.Split(' ')]);

        Assert.Equal(2, code);
        Assert.StartsWith(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
