using BenchmarkDotNet.Attributes;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;
using IolaEdge.Simulation;

namespace IolaEdge.Benchmarks.Detection;

/// <summary>
/// Per-sample cost of the dsp detector's gyroscope path on simulated walkers who land on the heel or flat-footed, with
/// the landings without a pitch reversal (the stance that ends a swing, the parked acceleration landing) and the small
/// steps on and off.
/// One operation = one sample (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class FlatLandingBenchmarks
{
    private const int Samples = 24_000; // two minutes at 200 Hz

    private ImuSample[] _stamped = [];
    private DspFootfallDetector _detector = null!;
    private readonly DetectorScore[] _scores = new DetectorScore[4];

    /// <summary>How the simulated walker lands.</summary>
    [Params(LandingStyle.Heel, LandingStyle.Flat)]
    public LandingStyle Landing { get; set; }

    /// <summary>Whether the landings without a reversal are found (the defaults) or left to the reversal alone.</summary>
    [Params(true, false)]
    public bool Unreversed { get; set; }

    /// <summary>Whether small steps are looked for (the default) or not.</summary>
    [Params(true, false)]
    public bool SmallSteps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        WalkSimulator sim = new(new WalkOptions { Seed = 42, Duration = TimeSpan.FromMinutes(3), Landing = Landing }, DeliveryOptions.Packed75);
        SampleClock clock = new();
        List<ImuSample> stamped = [];
        while (stamped.Count < Samples && sim.TryNext(out SimulatedSample s))
        {
            stamped.Add(clock.Stamp(s.Sample));
        }

        _stamped = [.. stamped];
        DspDetectorOptions options = Unreversed ? new DspDetectorOptions() : new DspDetectorOptions { GyroUnreversedWaitMs = 0, GyroStanceMs = 0 };
        if (!SmallSteps)
        {
            options.GyroSmallStepDegrees = 0;
        }

        _detector = new DspFootfallDetector(options);
    }

    /// <summary>The dsp detector alone on stamped samples, per sample.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public long Detector()
    {
        _detector.Reset();
        Span<DetectorScore> scores = _scores;
        foreach (ImuSample s in _stamped)
        {
            _detector.Process(s, scores);
        }

        return _detector.Footfalls;
    }
}
