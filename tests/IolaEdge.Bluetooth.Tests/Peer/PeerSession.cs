using System.Collections.Concurrent;
using IolaEdge.Bluetooth.Tests.Support;
using Xunit.Abstractions;

namespace IolaEdge.Bluetooth.Tests.Peer;

/// <summary>A running <see cref="BleImuSource"/> against a rig, with its sink and state log; stops politely on dispose.</summary>
internal sealed class PeerSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly ITestOutputHelper _output;

    public PeerSession(BluezRig rig, string spec, int capacity, ITestOutputHelper output, Action<BleImuSourceOptions>? configure = null, int ringSize = 4096)
    {
        _output = output;
        BleImuSourceOptions options = BleSourceSpec.Parse(spec);
        options.BusAddress = rig.Address;
        options.InitialBackoff = TimeSpan.FromMilliseconds(100);
        options.MaxBackoff = TimeSpan.FromSeconds(1);
        options.DiscoveryTimeout = TimeSpan.FromSeconds(10);
        configure?.Invoke(options);
        Source = new BleImuSource(options);
        Source.StateChanged += (_, e) => Events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} [{e.SensorId}] {e.State}: {e.Message}");
        Sink = new RingSink(capacity, ringSize);
        Run = Source.RunAsync(Sink, _cts.Token);
    }

    public BleImuSource Source { get; }

    public RingSink Sink { get; }

    public Task Run { get; }

    public ConcurrentQueue<string> Events { get; } = new();

    public BleSensorSnapshot Snapshot(int sensor = 0) => Source.Snapshot()[sensor];

    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline || Run.IsCompleted)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }

    public string Describe() => $"callback failures (process-wide): {BleImuSource.CallbackFailures}\n" + string.Join('\n', Source.Snapshot().Select(s => s.ToString())) + "\n" + string.Join('\n', Events);

    /// <summary>Cancels the source and waits for its polite teardown.</summary>
    public async Task StopAsync()
    {
        await _cts.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await _cts.CancelAsync();
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
            }
        }

        _output.WriteLine(Describe());
        Sink.Dispose();
        _cts.Dispose();
    }
}
