using BenchmarkDotNet.Attributes;
using IolaEdge.Dsp.Detection;
using IolaEdge.Evaluation;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Benchmarks.Detection;

/// <summary>
/// Eval's cost on a 60-minute simulated walk: replaying its samples through clock, detector and gate,
/// and scoring the detections. RT factor = mean time / 3600 s (target ≤ 0.001).
/// </summary>
[MemoryDiagnoser]
public class EvalRtFactorBenchmarks
{
    private ImuSample[] _samples = [];
    private double[] _truth = [];
    private readonly EvaluationOptions _options = new();
    private readonly FootfallEvent[] _events = new FootfallEvent[4];

    [GlobalSetup]
    public void Setup()
    {
        WalkSimulator sim = new(new WalkOptions { Seed = 7, Duration = TimeSpan.FromMinutes(60) }, DeliveryOptions.Seed);
        List<ImuSample> samples = [];
        while (sim.TryNext(out SimulatedSample s))
        {
            samples.Add(s.Sample);
        }

        List<double> truth = [];
        while (sim.TryTakeFootfall(out long f))
        {
            truth.Add(SimulatedWalkEvaluation.Ms(f));
        }

        _samples = [.. samples];
        _truth = [.. truth];
    }

    /// <summary>One 60-minute walk through the pipeline and the scorer.</summary>
    [Benchmark]
    public double EvalSixtyMinuteWalk()
    {
        using FootfallPipeline p = new(new SampleClock(), new DspFootfallDetector(),
            new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));
        List<double> det = new(_truth.Length * 2);
        List<double> lat = new(_truth.Length * 2);
        Span<FootfallEvent> events = _events;
        foreach (ImuSample s in _samples)
        {
            int n = p.Process(s, events);
            for (int i = 0; i < n; i++)
            {
                det.Add(SimulatedWalkEvaluation.Ms(events[i].FootfallTimeNs));
                lat.Add(events[i].AlgorithmicLatencyNs / 1e6);
            }
        }

        return Evaluator.Score(_truth, det, lat, _options).ByTolerance[^1].F1;
    }
}
