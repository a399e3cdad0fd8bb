using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Tuning;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Fuzzing;

/// <summary>
/// Randomised (seeded, reproducible) configuration keys and values, and control-socket tuning lines: every one
/// ends in a list of one-line problems or a one-line reply, never in an exception.
/// </summary>
public sealed class ConfigurationAndTuningFuzzTests
{
    private static readonly string[] s_keys =
    [
        "Run:Speed", "Run:Source", "Pipeline:RingCapacity", "Midi:Backend", "Midi:Mapping:Default:Channel", "Midi:Mapping:Default:Note",
        "Midi:Mapping:Default:Trigger", "Midi:Mapping:Sensors:0:SensorId", "Midi:Engine:QueueCapacity", "Events:Path", "Recording:Directory",
        "Button:Pin", "Detector:Dsp:SwingCosine", "Detector:Dsp:UseGyro", "Detector:Dsp:GyroMinLobes", "Detector:Gate:MinIntervalMs",
        "Detector:Gait:MinStrides", "Soak:MaxDrops", "Web:Enabled", "Web:Urls", "Log:Level", "Nope", "Midi:Chanel", "",
    ];

    private static readonly string[] s_values =
    [
        "", " ", "0", "-1", "1e309", "NaN", "true", "false", "maybe", "2147483648", "-2147483649", "0.5", "Detect", "Predict", "alsa", "jack",
        "none", "/dev/null", "/nonexistent/dir/file", "\u0000", "\"", "{", "[]", "Infinity", new string('x', 10_000), "1,5", "٣",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_settings_give_problems_or_pass_never_an_exception(int seed)
    {
        Random rng = new(seed);
        for (int i = 0; i < 1000; i++)
        {
            Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase); // as the command line builds them: the last --set of a key wins
            int n = rng.Next(1, 4);
            for (int k = 0; k < n; k++)
            {
                string key = Mutate(s_keys[rng.Next(s_keys.Length)], rng);
                if (key.Length == 0 || key.StartsWith(':') || key.EndsWith(':') || key.Contains("::", StringComparison.Ordinal))
                {
                    continue; // not a key the command line would pass on (--set KEY=VALUE needs a key)
                }

                settings[key] = s_values[rng.Next(s_values.Length)];
            }

            IConfiguration configuration = DaemonHost.BuildConfiguration(settings, configFile: null);
            foreach (string problem in DaemonHost.Validate(configuration))
            {
                Assert.False(string.IsNullOrWhiteSpace(problem));
                Assert.DoesNotContain("   at ", problem, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Random_tuning_lines_get_a_one_line_reply_never_an_exception()
    {
        Random rng = new(3);
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?>(), configFile: null);
        SensorChainFactory factory = new("dsp", tuning: null);
        using SensorChain chain = factory.Create(0);
        LiveTuning tuning = new(configuration, configFile: null, "dsp", factory.Chains, engine: null);
        TuningCommands commands = new(() => tuning);
        string[] verbs = ["set", "get", "keys", "preset", "save", "mark", "status", "", "SET", "set  "];
        int handled = 0;
        for (int i = 0; i < 3000; i++)
        {
            string verb = verbs[rng.Next(verbs.Length)];
            string key = Mutate(s_keys[rng.Next(s_keys.Length)], rng);
            string value = s_values[rng.Next(s_values.Length)];
            string line = rng.Next(4) switch
            {
                0 => $"{verb} {key}={value}",
                1 => $"{verb} {key}",
                2 => $"{verb} {value}",
                _ => verb + " " + Mutate(key + "=" + value, rng),
            };

            if (commands.TryExecute(line, out string reply))
            {
                handled++;
                Assert.False(string.IsNullOrWhiteSpace(reply), line);
                Assert.DoesNotContain("   at ", reply, StringComparison.Ordinal);
            }
        }

        Assert.True(handled > 1000, $"{handled} lines handled");
    }

    private static string Mutate(string text, Random rng)
    {
        if (text.Length == 0 || rng.Next(3) > 0)
        {
            return text;
        }

        int at = rng.Next(text.Length);
        return rng.Next(4) switch
        {
            0 => text.Remove(at, 1),
            1 => text.Insert(at, ((char)rng.Next(0x21, 0x7E)).ToString()),
            2 => text.ToUpperInvariant(),
            _ => text + ":" + text,
        };
    }
}
