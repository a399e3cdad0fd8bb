using System.Collections.Concurrent;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Dsp.Timing;
using Serilog;

namespace IolaEdge.Daemon.Tests.Hosting;

/// <summary>The seam the soak monitor uses: start, progress ticks, its own consumer, the end and the exit code.</summary>
public sealed class RunObserverTests
{
    private static readonly ILogger s_log = new LoggerConfiguration().CreateLogger();

    [Fact]
    public async Task An_observer_sees_the_start_progress_ticks_every_footfall_and_the_final_counters_and_chooses_the_exit_code()
    {
        using RecordingConsumer consumer = new("observer");
        TestObserver observer = new(consumer, exitCode: 42);
        // 4000 samples (20 s of walking) in bursts of 10 every 2 ms: about a second, long enough for several 50 ms ticks.
        WalkSource walk = new(4000, TimeSpan.FromMilliseconds(2));
        RunHost runner = Runner(new FakeComponents(walk), observer, progressSeconds: 0.05);

        int code = await runner.RunAsync(CancellationToken.None);

        Assert.Equal(42, code);
        Assert.Equal(1, observer.Started);
        Assert.True(observer.Progress.Count >= 2, $"{observer.Progress.Count} ticks");
        Assert.Equal(RunEnd.SourceEnded, observer.End);
        Assert.Equal(ExitCodes.Success, observer.RunExitCode);
        Assert.Equal(4000, observer.Final.Samples);
        Assert.InRange(observer.Final.Footfalls, walk.TrueFootfalls - 3, walk.TrueFootfalls + 1); // the detector settles in over the first steps
        Assert.Equal(observer.Final.Footfalls, consumer.Received.Count); // the observer's consumer is fed like the others
        Assert.True(observer.SourceStoppedNs > 0 && observer.SourceStoppedNs <= MonotonicClock.NowNs());
    }

    [Fact]
    public async Task A_run_cut_by_its_duration_tells_the_observer_so()
    {
        using RecordingConsumer consumer = new("observer");
        TestObserver observer = new(consumer, exitCode: ExitCodes.Success);
        RunHost runner = Runner(new FakeComponents(new WalkSource(0, TimeSpan.FromMilliseconds(5), forever: true)), observer,
            progressSeconds: 0, durationSeconds: 0.3);

        Assert.Equal(ExitCodes.Success, await runner.RunAsync(CancellationToken.None));
        Assert.Equal(RunEnd.DurationReached, observer.End);
    }

    private static RunHost Runner(FakeComponents components, TestObserver observer, double progressSeconds, double durationSeconds = 0) =>
        new(components,
            new RunOptions { DurationSeconds = durationSeconds },
            new PipelineOptions { RingCapacity = 256, ProgressIntervalSeconds = progressSeconds },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            s_log)
        {
            Observer = observer,
        };

    private sealed class TestObserver(IFootfallEventConsumer consumer, int exitCode) : IRunObserver
    {
        public int Started;

        public ConcurrentQueue<RunSnapshot> Progress { get; } = new();

        public RunSnapshot Final { get; private set; }

        public RunEnd End { get; private set; }

        public int RunExitCode { get; private set; } = -1;

        public long SourceStoppedNs { get; private set; }

        public IFootfallEventConsumer? Consumer => consumer;

        public void OnStarted(RunStatistics statistics) => Interlocked.Increment(ref Started);

        public void OnProgress(RunStatistics statistics) => Progress.Enqueue(statistics.Snapshot());

        public int OnFinished(RunStatistics statistics, RunEnd end, long sourceStoppedNs, int runExitCode)
        {
            Final = statistics.Snapshot();
            End = end;
            SourceStoppedNs = sourceStoppedNs;
            RunExitCode = runExitCode;
            return exitCode;
        }
    }
}
