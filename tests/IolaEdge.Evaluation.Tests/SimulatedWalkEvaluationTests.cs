using IolaEdge.Dsp.Detection;
using IolaEdge.Evaluation;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Pipeline;
using IolaEdge.Simulation;
using IolaEdge.Dsp.Timing;
using Xunit.Abstractions;

namespace IolaEdge.Evaluation.Tests;

/// <summary>The dsp pipeline on simulator walks with exact truth: varied cadence, mounting and delivery.</summary>
public sealed class SimulatedWalkEvaluationTests(ITestOutputHelper output)
{
    private static FootfallPipeline DspPipeline() =>
        new(new SampleClock(), new DspFootfallDetector(), new DecisionGate(new GateOptions { SampleThreshold = 1, MinIntervalMs = 250 }));

    private EvaluationResult Evaluate(WalkOptions walk, string preset)
    {
        using FootfallPipeline p = DspPipeline();
        SimulatedWalkRun run = SimulatedWalkEvaluation.Run(walk, DeliveryOptions.FromPreset(preset), p);
        EvaluationResult r = run.Score(new EvaluationOptions { TolerancesMs = [25, 50, 100, 150], TolerancesSamples = [] });
        output.WriteLine(
            $"seed {walk.Seed} cadence {walk.CadenceMin}-{walk.CadenceMax} {walk.Mounting} {preset}: truth {r.TruthCount} det {r.DetectionCount} "
            + $"F1@25/50/100/150 {r.ByTolerance[0].F1:F3}/{r.ByTolerance[1].F1:F3}/{r.ByTolerance[2].F1:F3}/{r.ByTolerance[3].F1:F3} "
            + $"median err {r.Timing.MedianSignedErrorMs:F1} ms, latency p50 {r.Latency.P50Ms:F1} p90 {r.Latency.P90Ms:F1} ms");
        return r;
    }

    [Theory]
    [InlineData(1, 80, 90, MountingMode.Random, "ideal", 0.95)]  // slow walk: guards the half-stride relock (0.98 measured; 0.885 without it)
    [InlineData(2, 100, 116, MountingMode.Random, "ideal", 0.95)]
    [InlineData(3, 140, 165, MountingMode.Random, "ideal", 0.95)]
    [InlineData(4, 100, 116, MountingMode.Aligned, "ideal", 0.95)]
    [InlineData(5, 100, 116, MountingMode.Random, "packed75", 0.95)]
    [Trait("Category", "Slow")]
    public void Dsp_scores_well_on_simulated_walks(
        long seed, double cadenceMin, double cadenceMax, MountingMode mounting, string preset, double minF1)
    {
        WalkOptions walk = new()
        {
            Seed = seed, Duration = TimeSpan.FromMinutes(3), CadenceMin = cadenceMin, CadenceMax = cadenceMax, Mounting = mounting,
        };
        EvaluationResult r = Evaluate(walk, preset);
        Assert.True(r.ByTolerance[2].F1 >= minF1, $"F1@100 {r.ByTolerance[2].F1}");
        Assert.True(r.Latency.P50Ms <= 60, $"latency p50 {r.Latency.P50Ms}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Dsp_still_finds_most_footfalls_through_the_lossy_seed_link()
    {
        WalkOptions walk = new() { Seed = 6, Duration = TimeSpan.FromMinutes(3) };
        EvaluationResult r = Evaluate(walk, "seed");

        // The seed link drops ~30 % of samples in bursts and queues ~80 ms (see SampleClockReconstructionTests):
        // timing is shifted by the invisible queue latency, so judge detection at 150 ms. Some impacts are lost
        // with their packets (136 of 154 found here, F1@150 0.80), none is doubled.
        Assert.True(r.ByTolerance[3].F1 >= 0.75, $"F1@150 {r.ByTolerance[3].F1}");
        Assert.InRange(r.DetectionCount, r.TruthCount * 0.85, r.TruthCount * 1.05);
    }
}
