using IolaEdge.Simulation;
using IolaEdge.Simulation.Tests.Support;
using IolaEdge.Dsp.Timing;
using Xunit.Abstractions;

namespace IolaEdge.Simulation.Tests;

/// <summary>The pipeline's sample clock, run on simulated deliveries whose true sample times are known.</summary>
public sealed class SampleClockReconstructionTests(ITestOutputHelper output)
{
    /// <summary>Reconstruction error (reconstructed − true sample time) of one walk, in ms.</summary>
    private sealed record Errors(double MedianMs, double P90AbsAroundMedianMs, double MaxAbsAroundMedianMs, long TrueLost, long EstimatedLost);

    private Errors Measure(string preset, double skewPpm)
    {
        WalkOptions walk = new() { Seed = 21, Duration = TimeSpan.FromMinutes(5), ClockSkewPpm = skewPpm };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.FromPreset(preset));
        SampleClock clock = new();
        double[] errors = new double[w.Samples.Count];
        for (int i = 0; i < w.Samples.Count; i++)
        {
            long stamped = clock.Stamp(w.Samples[i].Sample).SensorTimeNs;
            errors[i] = (stamped - w.Samples[i].TruthSensorTimeNs) / 1e6;
        }

        double[] sorted = (double[])errors.Clone();
        Array.Sort(sorted);
        double median = sorted[sorted.Length / 2];
        double[] around = errors.Select(e => Math.Abs(e - median)).Order().ToArray();
        Errors result = new(median, around[(int)(0.9 * around.Length)], around[^1], w.Simulator.Lost, clock.EstimatedLostSamples);
        output.WriteLine($"{preset} skew {skewPpm} ppm: {result}");
        return result;
    }

    [Theory]
    [InlineData("ideal", 0)]
    [InlineData("packed75", 0)]
    [InlineData("packed75", 300)]
    public void On_a_fast_link_reconstructed_times_are_within_a_few_ms_of_the_truth(string preset, double skewPpm)
    {
        Errors e = Measure(preset, skewPpm);

        // The clock stamps the newest sample of a burst at most a period before its arrival, so the
        // offset is the part of the delivery latency it cannot see; the spread must stay within a period.
        Assert.InRange(e.MedianMs, -1, 10);
        Assert.True(e.P90AbsAroundMedianMs < 5, e.ToString());
        Assert.InRange(e.EstimatedLost, (e.TrueLost * 0.5) - 5, (e.TrueLost * 2.5) + 5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public void On_the_seed_link_lost_samples_are_counted_but_times_stay_uncertain_by_the_queue_latency(double skewPpm)
    {
        Errors e = Measure("seed", skewPpm);

        // About 30 % of the samples are lost at the sensor's full queue; the clock finds them within 25 %.
        Assert.InRange(e.EstimatedLost, e.TrueLost * 0.75, e.TrueLost * 1.25);

        // Without an on-board counter, which queued samples were dropped is invisible in arrival times:
        // the error varies with the 16-notification queue's latency (≈ 80 ms), so only a loose bound holds.
        Assert.InRange(e.MedianMs, 0, 160);
        Assert.True(e.P90AbsAroundMedianMs < 120, e.ToString());
    }

    [Theory]
    [InlineData("ideal", true)]
    [InlineData("packed75", false)]
    [InlineData("seed", false)]
    public void Only_the_link_free_preset_is_taken_for_true_sample_times(string preset, bool regular)
    {
        WalkOptions walk = new() { Seed = 22, Duration = TimeSpan.FromMinutes(3) };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.FromPreset(preset));
        SampleClock clock = new();
        double maxAbsMs = 0;
        foreach (SimulatedSample s in w.Samples)
        {
            maxAbsMs = Math.Max(maxAbsMs, Math.Abs(clock.Stamp(s.Sample).SensorTimeNs - s.TruthSensorTimeNs) / 1e6);
        }

        output.WriteLine($"{preset}: regular {clock.IsRegular}, entries {clock.RegularEntries}, max |err| {maxAbsMs:F3} ms, lost {clock.EstimatedLostSamples} of {w.Simulator.Lost}");
        Assert.Equal(regular, clock.IsRegular);
        Assert.Equal(regular ? 1 : 0, clock.RegularEntries);
        if (regular)
        {
            Assert.True(maxAbsMs < 0.001, $"max |err| {maxAbsMs} ms");
            Assert.Equal(w.Simulator.Lost, clock.EstimatedLostSamples);
        }
    }
}
