using System.Diagnostics;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;

namespace IolaEdge.Evaluation;

/// <summary>What running a pipeline over a simulated walk produced: exact truth, detections and cost.</summary>
/// <param name="TruthMs">True heel-strike times (ms, session clock).</param>
/// <param name="DetectionsMs">Detected footfall times (ms).</param>
/// <param name="LatenciesMs">Algorithmic latency per detection (ms).</param>
/// <param name="Samples">Samples delivered.</param>
/// <param name="WalkSeconds">Simulated duration.</param>
/// <param name="ProcessingSeconds">Wall time spent in the pipeline (simulation excluded).</param>
public sealed record SimulatedWalkRun(
    IReadOnlyList<double> TruthMs, IReadOnlyList<double> DetectionsMs, IReadOnlyList<double> LatenciesMs,
    long Samples, double WalkSeconds, double ProcessingSeconds)
{
    /// <summary>Processing seconds per simulated second.</summary>
    public double RtFactor => WalkSeconds > 0 ? ProcessingSeconds / WalkSeconds : double.NaN;

    /// <summary>Scores the run.</summary>
    public EvaluationResult Score(EvaluationOptions options) => Evaluator.Score(TruthMs, DetectionsMs, LatenciesMs, options);
}

/// <summary>Runs a footfall pipeline over a simulated walk (tests, benchmarks, reports). Offline code: allocates.</summary>
public static class SimulatedWalkEvaluation
{
    /// <summary>Simulates <paramref name="walk"/> delivered by <paramref name="delivery"/> into memory: the samples as delivered and the true heel strikes (ns, session clock).</summary>
    public static (ImuSample[] Samples, long[] TruthNs) Record(WalkOptions walk, DeliveryOptions delivery)
    {
        WalkSimulator sim = new(walk, delivery);
        List<ImuSample> samples = [];
        while (sim.TryNext(out SimulatedSample s))
        {
            samples.Add(s.Sample);
        }

        List<long> truth = [];
        while (sim.TryTakeFootfall(out long f))
        {
            truth.Add(f);
        }

        return ([.. samples], [.. truth]);
    }

    /// <summary>Simulates <paramref name="walk"/> delivered by <paramref name="delivery"/> through <paramref name="pipeline"/>.</summary>
    /// <remarks>The walk is generated into memory first so that the processing time covers the pipeline only.</remarks>
    public static SimulatedWalkRun Run(WalkOptions walk, DeliveryOptions delivery, FootfallPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        (ImuSample[] samples, long[] truthNs) = Record(walk, delivery);
        List<double> truth = [.. truthNs.Select(Ms)];

        List<double> det = [];
        List<double> lat = [];
        Span<FootfallEvent> events = stackalloc FootfallEvent[pipeline.MaxEventsPerSample];
        FootfallEvent[] fired = new FootfallEvent[Math.Max(16, truth.Count * 4)];
        int count = 0;
        long start = Stopwatch.GetTimestamp();
        foreach (ImuSample s in samples)
        {
            int n = pipeline.Process(s, events);
            for (int i = 0; i < n && count < fired.Length; i++)
            {
                fired[count++] = events[i];
            }
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        for (int i = 0; i < count; i++)
        {
            det.Add(Ms(fired[i].FootfallTimeNs));
            lat.Add(fired[i].AlgorithmicLatencyNs / 1e6);
        }

        return new SimulatedWalkRun(truth, det, lat, samples.Length, walk.Duration.TotalSeconds, seconds);
    }

    /// <summary>Session ns to ms keeping whole milliseconds exact (epoch ns do not fit a double exactly).</summary>
    public static double Ms(long ns)
    {
        long ms = Math.DivRem(ns, 1_000_000, out long rem);
        return ms + (rem / 1e6);
    }
}
