using System.Text.Json;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Tests.Support;
using Serilog;

namespace IolaEdge.Daemon.Tests.Hosting;

public sealed class RunHostTests
{
    private static readonly ILogger s_log = new LoggerConfiguration().CreateLogger();

    [Fact]
    public async Task A_run_processes_every_sample_and_writes_one_json_line_per_footfall()
    {
        using TempDirectory temp = new();
        string events = temp.File("events.jsonl");
        WalkSource walk = new(20_000);
        RunHost runner = Runner(new FakeComponents(walk), events);

        int code = await runner.RunAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Success, code);
        string[] lines = File.ReadAllLines(events);
        Assert.InRange(lines.Length, walk.TrueFootfalls * 0.9, walk.TrueFootfalls * 1.1); // 100 s of walking, each step once
        Assert.Equal(lines.Length, runner.Histograms.Count);
        long previous = -1;
        foreach (string line in lines)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            long sequence = json.RootElement.GetProperty("sequence").GetInt64();
            Assert.Equal(previous + 1, sequence);
            previous = sequence;
            Assert.True(json.RootElement.GetProperty("midiWriteNs").GetInt64() >= json.RootElement.GetProperty("arrivalNs").GetInt64());
        }
    }

    [Fact]
    public async Task Cancelling_a_run_stops_the_source_drains_and_returns_success()
    {
        using TempDirectory temp = new();
        string events = temp.File("events.jsonl");
        RunHost runner = Runner(new FakeComponents(new WalkSource(0, TimeSpan.FromMilliseconds(1), forever: true)), events);
        using CancellationTokenSource cts = new();
        Task<int> run = Task.Run(() => runner.RunAsync(cts.Token));

        // Cancelled once footfalls flow rather than after a fixed time, which a loaded machine may spend starting up.
        bool flowing = SpinWait.SpinUntil(() => runner.Histograms.Count >= 3 || run.IsCompleted, TimeSpan.FromSeconds(60));
        await cts.CancelAsync();
        int code = await run;

        Assert.True(flowing, "no footfall within 60 s");

        Assert.Equal(ExitCodes.Success, code);
        Assert.True(runner.Histograms.Count > 0);
        Assert.Equal(runner.Histograms.Count, File.ReadAllLines(events).Length); // every footfall reached the file before it closed
    }

    [Fact]
    public async Task A_failing_source_ends_the_run_with_the_input_exit_code()
    {
        RunHost runner = Runner(new FakeComponents(new FailingSource()), "none");

        Assert.Equal(ExitCodes.Input, await runner.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unwritable_event_file_is_an_output_error()
    {
        RunHost runner = Runner(new FakeComponents(new WalkSource(10)), "/proc/iolaedge-cannot-write-here/events.jsonl");

        StartupException ex = await Assert.ThrowsAsync<StartupException>(() => runner.RunAsync(CancellationToken.None));
        Assert.Equal(ExitCodes.Output, ex.ExitCode);
        Assert.Contains("Events:Output", ex.Message, StringComparison.Ordinal);
    }

    private static RunHost Runner(FakeComponents components, string eventsOutput) =>
        new(components,
            new RunOptions(),
            new PipelineOptions { RingCapacity = 256, ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = eventsOutput, LogEachFootfall = false },
            s_log);
}
