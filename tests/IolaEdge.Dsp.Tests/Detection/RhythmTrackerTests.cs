using IolaEdge.Dsp.Detection;
using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests.Detection;

public sealed class RhythmTrackerTests(ITestOutputHelper output)
{
    private const long Ms = 1_000_000;
    private const long Start = 1_700_000_000_000L * Ms;

    /// <summary>A renewal walk: true footfalls with stride jitter, and landings found with noise around them.</summary>
    private static (long[] Truth, long[] Landings) Walk(int strides, double periodMs, double jitterMs, double landingNoiseMs, int seed)
    {
        Random rng = new(seed);
        long[] truth = new long[strides];
        long[] landings = new long[strides];
        double t = 0;
        for (int k = 0; k < strides; k++)
        {
            truth[k] = Start + (long)(t * Ms);
            landings[k] = truth[k] + (long)(Gauss(rng) * landingNoiseMs * Ms);
            t += periodMs + (Gauss(rng) * jitterMs);
        }

        return (truth, landings);
    }

    /// <summary>A tracker that has seen footfalls exactly one second apart, from <see cref="Start"/>.</summary>
    private static RhythmTracker Steady(int strides)
    {
        RhythmTracker tracker = new(new DspDetectorOptions());
        for (int k = 0; k < strides; k++)
        {
            tracker.Observe(Start + (k * 1000 * Ms));
        }

        return tracker;
    }

    /// <summary>RMS error (ms) against the truth of each landing as placed by the tracker before it observes it, from stride 20 on.</summary>
    private static (double Placed, double Found) PlacementError(RhythmTracker tracker, long[] truth, long[] landings)
    {
        double placed = 0, found = 0;
        int n = 0;
        for (int k = 0; k < truth.Length; k++)
        {
            long estimate = tracker.Estimate(landings[k], 1);
            if (k >= 20)
            {
                placed += Math.Pow((estimate - truth[k]) / (double)Ms, 2);
                found += Math.Pow((landings[k] - truth[k]) / (double)Ms, 2);
                n++;
            }

            tracker.Observe(landings[k]);
        }

        return (Math.Sqrt(placed / n), Math.Sqrt(found / n));
    }

    [Fact]
    public void Noisy_landings_of_a_steady_walker_are_pulled_towards_the_rhythm()
    {
        (long[] truth, long[] landings) = Walk(2000, 1100, jitterMs: 20, landingNoiseMs: 50, seed: 1);
        RhythmTracker tracker = new(new DspDetectorOptions());
        (double placed, double found) = PlacementError(tracker, truth, landings);
        output.WriteLine($"rms placed {placed:F1} ms, found {found:F1} ms; estimated landing noise {tracker.LandingNoiseMs:F1}, jitter {tracker.StrideJitterMs:F1}");

        // The Kalman optimum for these variances is about 0.58 of the landing noise.
        Assert.True(placed < 0.7 * found, $"placed {placed:F1} ms vs found {found:F1} ms");
        Assert.InRange(tracker.PeriodMs, 1040, 1160);
    }

    [Fact]
    public void Crisp_landings_of_an_irregular_walker_stay_where_they_were_found()
    {
        (long[] truth, long[] landings) = Walk(2000, 1100, jitterMs: 60, landingNoiseMs: 5, seed: 2);
        RhythmTracker tracker = new(new DspDetectorOptions());
        (double placed, double found) = PlacementError(tracker, truth, landings);
        output.WriteLine($"rms placed {placed:F1} ms, found {found:F1} ms; estimated landing noise {tracker.LandingNoiseMs:F1}, jitter {tracker.StrideJitterMs:F1}");
        // The measured landing noise sits at its floor, so the pull is small; what remains comes from the
        // sampling noise of a ten-stride covariance estimate. A fixed pull of 0.3 towards the prediction
        // would move these landings by about 0.3 × 60 ms.
        Assert.True(placed < 20, $"placed {placed:F1} ms vs found {found:F1} ms");
        Assert.True(tracker.LandingNoiseMs < 10, $"estimated landing noise {tracker.LandingNoiseMs:F1} ms");
    }

    [Fact]
    public void Measures_landing_noise_and_stride_jitter_from_the_intervals_alone()
    {
        (_, long[] landings) = Walk(20_000, 1000, jitterMs: 30, landingNoiseMs: 40, seed: 3);
        RhythmTracker tracker = new(new DspDetectorOptions());
        double noise = 0, jitter = 0;
        int n = 0;
        for (int k = 0; k < landings.Length; k++)
        {
            tracker.Observe(landings[k]);
            if (k >= 100)
            {
                noise += tracker.LandingNoiseMs * tracker.LandingNoiseMs;
                jitter += tracker.StrideJitterMs * tracker.StrideJitterMs;
                n++;
            }
        }

        output.WriteLine($"landing noise {Math.Sqrt(noise / n):F1} ms (true 40), jitter {Math.Sqrt(jitter / n):F1} ms (true 30)");
        Assert.InRange(Math.Sqrt(noise / n), 32, 48);
        Assert.InRange(Math.Sqrt(jitter / n), 22, 38);
    }

    [Fact]
    public void One_interval_does_not_seed_the_period_two_agreeing_ones_do()
    {
        RhythmTracker tracker = new(new DspDetectorOptions());
        tracker.Observe(Start);
        tracker.Observe(Start + (1800 * Ms));   // a shuffle before the walk, then the first real step
        Assert.Equal(0, tracker.PeriodMs);
        tracker.Observe(Start + (2900 * Ms));
        Assert.Equal(0, tracker.PeriodMs);
        tracker.Observe(Start + (4020 * Ms));
        Assert.Equal(1110, tracker.PeriodMs, 1);
        Assert.True(tracker.IsLocked(Start + (4500 * Ms)));
    }

    [Fact]
    public void A_pause_of_a_few_strides_unlocks_the_rhythm()
    {
        RhythmTracker tracker = Steady(strides: 6);

        Assert.True(tracker.IsLocked(Start + (7000 * Ms)));
        Assert.False(tracker.IsLocked(Start + (8000 * Ms)));
    }

    [Fact]
    public void A_landing_half_a_stride_off_is_out_of_phase_and_placed_as_found()
    {
        RhythmTracker tracker = Steady(strides: 10);

        long midStride = Start + (9550 * Ms);
        Assert.False(tracker.IsInPhase(midStride));
        Assert.Equal(midStride, tracker.Estimate(midStride, 1));

        long onBeat = Start + (10_030 * Ms);
        Assert.True(tracker.IsInPhase(onBeat));
        long placed = tracker.Estimate(onBeat, 1);
        Assert.InRange(placed, Start + (10_000 * Ms), onBeat - 1);
        Assert.Equal(onBeat, tracker.Estimate(onBeat, 0));
    }

    [Fact]
    public void A_missed_step_keeps_the_phase_one_stride_further_on()
    {
        RhythmTracker tracker = Steady(strides: 10);

        long afterMiss = Start + (11_040 * Ms);
        Assert.True(tracker.IsInPhase(afterMiss));
        Assert.InRange(tracker.Estimate(afterMiss, 1), Start + (11_000 * Ms), afterMiss - 1);
    }

    [Fact]
    public void A_period_seeded_at_half_the_stride_relocks_after_three_agreeing_strides()
    {
        RhythmTracker tracker = new(new DspDetectorOptions());
        long t = Start;
        tracker.Observe(t);
        tracker.Observe(t += 700 * Ms);
        tracker.Observe(t += 700 * Ms);
        Assert.Equal(700, tracker.PeriodMs, 1);
        for (int k = 0; k < 3; k++)
        {
            tracker.Observe(t += 1400 * Ms);
        }

        Assert.Equal(1400, tracker.PeriodMs, 1);
    }

    [Fact]
    public void Reset_forgets_the_rhythm()
    {
        RhythmTracker tracker = Steady(strides: 10);

        tracker.Reset();
        Assert.Equal(0, tracker.PeriodMs);
        Assert.False(tracker.IsLocked(Start + (10_000 * Ms)));
        Assert.Equal(Start + (10_030 * Ms), tracker.Estimate(Start + (10_030 * Ms), 1));
    }

    private static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
