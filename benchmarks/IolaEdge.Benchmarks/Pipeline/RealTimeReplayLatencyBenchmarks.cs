using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using Serilog;

namespace IolaEdge.Benchmarks.Pipeline;

/// <summary>
/// Processing latency (packet arrival → MIDI bytes handed to the OS) during a real-time replay: one
/// operation is a whole daemon session — simulated walk with BLE-like bursts at real-time pace → sample
/// ring → pipeline thread (sample clock, DSP detector, gate) → MIDI engine → write(2) to /dev/null —
/// and the session's own HdrHistogram p50/p90/p99/max are printed after it. Mean is the session's wall
/// time (about <see cref="Seconds"/>), not a latency; Allocated covers every thread of the process.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class RealTimeReplayLatencyBenchmarks
{
    /// <summary>Walk length; 60 s gives about 55 footfalls on one foot.</summary>
    public const int Seconds = 60;

    private RunHost? _last;

    [Benchmark(Description = "real-time replay: arrival -> MIDI write(2)")]
    public async Task<int> RealTimeReplay()
    {
        ILogger quiet = new LoggerConfiguration().CreateLogger();
        _last = new RunHost(
            new RawDeviceComponents($"sim:seed=21,minutes={Seconds / 60.0:0.###},pace=realtime,speed=1"),
            new RunOptions { Source = "sim", Speed = "1" },
            new PipelineOptions { ProgressIntervalSeconds = 0, MaxSensorId = 0 },
            new MidiOptions { Backend = "raw", DevicePath = "/dev/null" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            quiet);
        return await _last.RunAsync(CancellationToken.None);
    }

    [IterationCleanup]
    public void Report()
    {
        if (_last is not null)
        {
            Console.WriteLine("// " + _last.Histograms.Describe().Replace("\n", "\n// ", StringComparison.Ordinal));
        }
    }
}
