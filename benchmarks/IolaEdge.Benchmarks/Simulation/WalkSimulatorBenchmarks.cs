using BenchmarkDotNet.Attributes;
using IolaEdge.Simulation;

namespace IolaEdge.Benchmarks.Simulation;

/// <summary>
/// Simulator throughput: a one-minute walk (12 000 sensor samples at 200 Hz) per invocation, per
/// delivery preset; the figure is ns per sensor sample taken.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Simulation")]
public class WalkSimulatorBenchmarks
{
    private const int SensorSamplesPerMinute = 12_000;

    /// <summary>Delivery preset.</summary>
    [Params("ideal", "seed", "packed75")]
    public string Preset { get; set; } = "ideal";

    /// <summary>Simulates one minute and drains its samples and footfalls.</summary>
    [Benchmark(OperationsPerInvoke = SensorSamplesPerMinute)]
    public double OneMinuteWalk()
    {
        WalkSimulator sim = new(new WalkOptions { Seed = 3, Duration = TimeSpan.FromMinutes(1) }, DeliveryOptions.FromPreset(Preset));
        double sum = 0;
        while (sim.TryNext(out SimulatedSample s))
        {
            sum += s.Sample.X;
        }

        while (sim.TryTakeFootfall(out long f))
        {
            sum += f;
        }

        return sum;
    }
}
