using IolaEdge.Daemon.Hosting;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Realtime;

/// <summary>The Realtime section in the strict configuration, and the key it retired.</summary>
public sealed class RealtimeConfigurationTests
{
    [Fact]
    public void The_retired_midi_engine_priority_is_an_error_that_names_its_replacement()
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?> { ["Midi:Engine:RealtimePriority"] = "10" }, configFile: null);

        string failure = Assert.Single(DaemonHost.Validate(configuration));
        Assert.Equal("Midi:Engine:RealtimePriority (command line) is no longer a setting: it was replaced by the Realtime section (issue 14): "
            + "set Realtime:Policy=Fifo and Realtime:MidiPriority (and Realtime:PipelinePriority) instead", failure);
    }

    [Fact]
    public void A_misspelt_realtime_key_is_reported_with_the_known_ones()
    {
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?> { ["Realtime:MidiPrio"] = "10" }, configFile: null);

        string failure = Assert.Single(DaemonHost.Validate(configuration));
        Assert.StartsWith("Realtime:MidiPrio (command line) is not a setting; known under Realtime: Policy, PipelinePriority, MidiPriority, PipelineCpus, MidiCpus, LockMemory", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_and_installed_configurations_ask_for_SCHED_FIFO()
    {
        foreach (string file in new[] { Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(RepoRoot(), "deploy", "iolaedge.json") })
        {
            IConfiguration configuration = new ConfigurationBuilder().AddJsonFile(file).Build();
            Assert.Equal("Fifo", configuration["Realtime:Policy"]);
            Assert.Equal("20", configuration["Realtime:PipelinePriority"]);
            Assert.Equal("30", configuration["Realtime:MidiPriority"]);
        }
    }

    private static string RepoRoot()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IolaEdge.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
