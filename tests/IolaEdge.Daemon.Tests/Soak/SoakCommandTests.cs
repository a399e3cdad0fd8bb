using System.Text.Json;
using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Daemon.Tests.Soak;

/// <summary>
/// <c>iolaedge soak</c> end to end, as a child process: fast soaks at <c>--speed max</c> over the simulated
/// walk (a 60-minute walk takes well under a second), judged and reported.
/// </summary>
public sealed class SoakCommandTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private static readonly string[] s_checks =
        ["drops", "pipeline-allocation", "working-set-growth", "processing-latency-drift", "algorithmic-latency-drift", "footfalls-vs-truth", "duration"];

    [Fact]
    public void A_fast_soak_over_a_simulated_walk_passes_and_reports_its_samples_counters_and_checks()
    {
        using TempDirectory temp = new();
        string report = temp.File("soak.json");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "soak", "--minutes", "120", "--speed", "max", "--progress", "0.05", "--report", report, "--midi-file", temp.File("soak.mid"));

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("Soak verdict: PASS", stdout, StringComparison.Ordinal);
        Assert.Contains("working set", stdout, StringComparison.Ordinal); // the progress lines carry the resources
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement root = json.RootElement;
        Assert.Equal("pass", root.GetProperty("verdict").GetString());
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
        Assert.Equal("sim:seed=1,minutes=120,preset=packed75", root.GetProperty("plan").GetProperty("source").GetString());
        Assert.Equal(s_checks, root.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(root.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));

        JsonElement final = root.GetProperty("final");
        Assert.InRange(final.GetProperty("footfalls").GetInt64(), 5000, 8000); // two hours at about 55 strides a minute
        Assert.Equal(0, final.GetProperty("drops").GetProperty("ring").GetInt64());
        Assert.True(final.GetProperty("latency_ms").GetProperty("algorithmic").GetProperty("p99").GetDouble() > 0);

        JsonElement[] samples = [.. root.GetProperty("samples").EnumerateArray()];
        Assert.True(samples.Length >= 5, $"{samples.Length} samples");
        Assert.All(samples, s =>
        {
            Assert.True(s.GetProperty("working_set_bytes").GetInt64() > 0);
            Assert.True(s.GetProperty("threads").GetInt32() > 0);
        });
        Assert.Equal(final.GetProperty("footfalls").GetInt64(), samples[^1].GetProperty("footfalls").GetInt64());
        Assert.True(samples[^1].GetProperty("t_seconds").GetDouble() > samples[0].GetProperty("t_seconds").GetDouble());
    }

    [Fact]
    public void An_impossibly_tight_limit_fails_the_soak_with_exit_6_and_the_report_marks_that_check()
    {
        using TempDirectory temp = new();
        string report = temp.File("soak.json");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "soak", "--minutes", "30", "--speed", "max", "--progress", "0.05", "--report", report, "--midi", "none",
            "--set", "Soak:MaxLatencyGrowthFactor=0");

        Assert.True(code == 6, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("Soak verdict: FAIL", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL algorithmic-latency-drift", stdout, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal("fail", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("exit_code").GetInt32());
        JsonElement drift = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "algorithmic-latency-drift");
        Assert.Equal("fail", drift.GetProperty("outcome").GetString());
        Assert.False(drift.GetProperty("passed").GetBoolean());
        Assert.Equal(0, drift.GetProperty("limit").GetDouble());
        Assert.True(drift.GetProperty("value").GetDouble() > 0);
    }

    [Theory]
    [InlineData("Soak:WarmupFraction=2", "Soak:WarmupFraction = '2' is not valid; allowed: a number from 0 to 0.9")]
    [InlineData("Soak:MaxWorkingSetGrowthMbPerHour=lots", "Soak:MaxWorkingSetGrowthMbPerHour = 'lots' is not valid; allowed: a number from 0 to 1000000")]
    [InlineData("Soak:MaxGrowth=1", "Soak:MaxGrowth is not a setting; known: MaxDrops")]
    public void A_bad_soak_limit_fails_at_start_naming_the_key_and_leaves_no_report(string setting, string expected)
    {
        using TempDirectory temp = new();
        string report = temp.File("soak.json");

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "soak", "--speed", "max", "--report", report, "--set", setting);

        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(report));
    }

    [Fact]
    public void An_unwritable_report_path_fails_before_the_soak_naming_the_option_without_a_stack_trace()
    {
        using TempDirectory temp = new();

        (int code, string stdout, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null,
            "soak", "--report", "/proc/iolaedge-no-such-dir/soak.json");

        Assert.True(code == 5, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("--report '/proc/iolaedge-no-such-dir/soak.json' cannot be written", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Soak", stdout, StringComparison.Ordinal); // no soak started
    }

    [Fact]
    public void Minutes_outside_the_simulators_range_are_a_usage_error()
    {
        using TempDirectory temp = new();

        (int code, _, string stderr) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "soak", "--minutes", "0");

        Assert.Equal(2, code);
        Assert.Contains("--minutes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Soak_help_explains_the_defaults_the_limits_and_exit_code_6()
    {
        using TempDirectory temp = new();

        (int code, string stdout, _) = IolaEdgeProcess.Run(temp.Path, s_timeout, null, "soak", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--minutes", stdout, StringComparison.Ordinal);
        Assert.Contains("--report", stdout, StringComparison.Ordinal);
        Assert.Contains("sim:seed=1,minutes=M", stdout, StringComparison.Ordinal);
        Assert.Contains("Soak", stdout, StringComparison.Ordinal);
        Assert.Contains("6 when one fails", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--duration", stdout, StringComparison.Ordinal);
    }
}
