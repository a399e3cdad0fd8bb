using BenchmarkDotNet.Attributes;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Benchmarks.Detection;

/// <summary>
/// Per-sample cost of the detection hot path (sample clock → dsp detector → decision gate) on a
/// simulated walk delivered in BLE bursts, with the gyroscope (the dsp gyro path decides) and without it
/// (acceleration only, the same samples). One operation = one sample (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private const int Samples = 24_000; // two minutes at 200 Hz

    private ImuSample[] _raw = [];
    private ImuSample[] _stamped = [];
    private FootfallPipeline _pipeline = null!;
    private SampleClock _clock = null!;
    private DspFootfallDetector _detector = null!;
    private readonly FootfallEvent[] _events = new FootfallEvent[4];
    private readonly DetectorScore[] _scores = new DetectorScore[4];

    /// <summary>Whether the samples carry the simulated gyroscope.</summary>
    [Params(false, true)]
    public bool Gyro { get; set; }

    /// <summary>Whether the impact floor follows the walk (the default) or stays fixed (ImpactFloorFraction = 0).</summary>
    [Params(true, false)]
    public bool FollowingFloor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        WalkSimulator sim = new(new WalkOptions { Seed = 42, Duration = TimeSpan.FromMinutes(3) }, DeliveryOptions.Packed75);
        List<ImuSample> raw = [];
        while (raw.Count < Samples && sim.TryNext(out SimulatedSample s))
        {
            ImuSample x = s.Sample;
            raw.Add(Gyro ? x : new ImuSample(x.SensorId, x.Sequence, x.SensorTimeNs, x.ArrivalTimeNs, x.X, x.Y, x.Z));
        }

        _raw = [.. raw];
        SampleClock c = new();
        _stamped = Array.ConvertAll(_raw, s => c.Stamp(s));
        DspDetectorOptions options = new() { ImpactFloorFraction = FollowingFloor ? new DspDetectorOptions().ImpactFloorFraction : 0 };
        _pipeline = new FootfallPipeline(new SampleClock(), new DspFootfallDetector(options),
            new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));
        _clock = new SampleClock();
        _detector = new DspFootfallDetector(options);
    }

    [GlobalCleanup]
    public void Cleanup() => _pipeline.Dispose();

    /// <summary>Clock + detector + gate, per sample.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Samples)]
    public int ClockDetectorGate()
    {
        _pipeline.Reset();
        int fired = 0;
        Span<FootfallEvent> events = _events;
        foreach (ImuSample s in _raw)
        {
            fired += _pipeline.Process(s, events);
        }

        return fired;
    }

    /// <summary>The sample clock alone, per sample.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public long ClockOnly()
    {
        _clock.Reset();
        long sum = 0;
        foreach (ImuSample s in _raw)
        {
            sum += _clock.Stamp(s).SensorTimeNs;
        }

        return sum;
    }

    /// <summary>The dsp detector alone on stamped samples, per sample.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public int DetectorOnly()
    {
        _detector.Reset();
        int n = 0;
        Span<DetectorScore> scores = _scores;
        foreach (ImuSample s in _stamped)
        {
            n += _detector.Process(s, scores);
        }

        return n;
    }
}
