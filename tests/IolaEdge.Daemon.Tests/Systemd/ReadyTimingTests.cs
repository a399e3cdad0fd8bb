using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Systemd;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Daemon.Tests.Systemd.Support;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using Serilog;

namespace IolaEdge.Daemon.Tests.Systemd;

/// <summary>READY=1 reaches a real notify socket only once the pipeline thread processed samples; STOPPING=1 at the end.</summary>
[Collection("NativeEnvironment")]
[Trait("Category", "Peer")]
public sealed class ReadyTimingTests : NotifySocketTest
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Ready_is_sent_after_the_first_samples_were_processed_and_stopping_at_shutdown()
    {
        GatedSource source = new();
        RunHost runner = new(new FakeComponents(source, isReplay: false),
            new RunOptions(),
            new PipelineOptions { RingCapacity = 256, ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            new LoggerConfiguration().CreateLogger())
        {
            Notifier = new SystemdNotifier(),
        };
        using CancellationTokenSource stop = new();

        Task<int> run = runner.RunAsync(stop.Token);

        Assert.True(source.Started.Wait(s_wait)); // pipeline thread and source are running, no sample yet
        Assert.Null(Socket.Receive(TimeSpan.FromMilliseconds(500)));
        source.Gate.Set();
        string? ready = Socket.Receive(s_wait);
        Assert.NotNull(ready);
        Assert.StartsWith("READY=1\nSTATUS=processing gated", ready, StringComparison.Ordinal);
        Assert.True(source.Delivered > 0);
        Assert.True(SpinWait.SpinUntil(() => runner.Histograms.Count > 0, s_wait)); // footfalls flow, then stop

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run);
        Assert.Equal("STOPPING=1\nSTATUS=draining and closing outputs", Socket.Receive(s_wait));
        Assert.True(runner.Histograms.Count > 0);
    }

    [Fact]
    public async Task A_run_that_processed_no_samples_never_sends_ready()
    {
        RunHost runner = new(new FakeComponents(new WalkSource(0)),
            new RunOptions(),
            new PipelineOptions { RingCapacity = 256, ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            new LoggerConfiguration().CreateLogger())
        {
            Notifier = new SystemdNotifier(),
        };

        Assert.Equal(ExitCodes.Success, await runner.RunAsync(CancellationToken.None));
        Assert.StartsWith("STOPPING=1", Socket.Receive(s_wait), StringComparison.Ordinal);
        Assert.Null(Socket.Receive(TimeSpan.FromMilliseconds(200)));
    }

    /// <summary>Signals that it runs, waits for the gate, then delivers a walk, paced at about five times real time, until cancelled.</summary>
    private sealed class GatedSource : IImuSource
    {
        private long _delivered;

        public ManualResetEventSlim Started { get; } = new();

        public ManualResetEventSlim Gate { get; } = new();

        public long Delivered => Interlocked.Read(ref _delivered);

        public string Description => "gated";

        public async Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken)
        {
            Started.Set();
            await Task.Run(() => Gate.Wait(cancellationToken), cancellationToken);
            await new WalkSource(0, TimeSpan.FromMilliseconds(10), forever: true).RunAsync(new CountingSink(sink, this), cancellationToken);
        }

        private sealed class CountingSink(IImuSampleSink inner, GatedSource source) : IImuSampleSink
        {
            public bool OnSample(in ImuSample sample)
            {
                Interlocked.Increment(ref source._delivered);
                return inner.OnSample(sample);
            }

            public void OnFootfallAnnotation(int sensorId, long timeNs) => inner.OnFootfallAnnotation(sensorId, timeNs);
        }
    }
}
