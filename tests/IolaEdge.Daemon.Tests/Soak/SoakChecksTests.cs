using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Soak;

namespace IolaEdge.Daemon.Tests.Soak;

/// <summary>The verdict's arithmetic on hand-built runs: no process, no clock.</summary>
public sealed class SoakChecksTests
{
    private const double Mb = ResourceSample.BytesPerMb;

    [Fact]
    public void The_least_squares_slope_of_points_on_a_line_is_its_gradient()
    {
        Assert.Equal(3.0, LeastSquares.Slope([(0, 1), (1, 4), (2, 7), (5, 16)]), 9);
    }

    [Fact]
    public void The_least_squares_slope_is_not_decided_by_one_step_at_the_end()
    {
        // Flat with one late step: end minus start says 10 per unit, the fit says far less.
        double slope = LeastSquares.Slope([(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 100)]);

        Assert.InRange(slope, 0, 5);
    }

    [Fact]
    public void A_slope_needs_two_distinct_times()
    {
        Assert.True(double.IsNaN(LeastSquares.Slope([(1, 5)])));
        Assert.True(double.IsNaN(LeastSquares.Slope([(1, 5), (1, 6)])));
    }

    [Fact]
    public void A_run_that_stays_flat_after_warm_up_passes_every_check()
    {
        SoakRun run = Run(WorkingSet(hours: 1, samples: 61, mbAt: h => h < 0.5 ? 40 + (20 * h) : 50));

        IReadOnlyList<SoakCheck> checks = SoakChecks.Evaluate(run, new SoakOptions());

        Assert.All(checks, c => Assert.True(c.Outcome == CheckOutcome.Pass, c.Describe()));
        Assert.Equal(["drops", "pipeline-allocation", "working-set-growth", "processing-latency-drift", "algorithmic-latency-drift", "footfalls-vs-truth", "duration"],
            checks.Select(c => c.Name));
    }

    [Fact]
    public void Growth_during_warm_up_alone_does_not_count_as_a_leak()
    {
        // 20 MB in the first half hour (JIT, heap sizing), flat after: 0 MB/h over the second half.
        SoakCheck growth = Check(Run(WorkingSet(hours: 1, samples: 61, mbAt: h => h < 0.5 ? 30 + (40 * h) : 50)), "working-set-growth");

        Assert.Equal(CheckOutcome.Pass, growth.Outcome);
        Assert.Equal(0, growth.Value, 6);
    }

    [Fact]
    public void A_working_set_that_keeps_growing_after_warm_up_fails_with_its_slope()
    {
        SoakCheck growth = Check(Run(WorkingSet(hours: 1, samples: 61, mbAt: h => 50 + (10 * h))), "working-set-growth");

        Assert.Equal(CheckOutcome.Fail, growth.Outcome);
        Assert.Equal(10, growth.Value, 6);
        Assert.Equal(2, growth.Limit);
        Assert.Equal("MB/h", growth.Unit);
    }

    [Fact]
    public void A_growth_window_shorter_than_the_minimum_is_reported_but_not_judged()
    {
        // Two minutes of run: one minute after warm-up, under the 5-minute default.
        SoakRun run = Run(WorkingSet(hours: 2.0 / 60, samples: 25, mbAt: h => 50 + (100 * h)));

        SoakCheck growth = Check(run, "working-set-growth");

        Assert.Equal(CheckOutcome.NotEvaluated, growth.Outcome);
        Assert.Equal(100, growth.Value, 3);
        Assert.Contains("Soak:MinGrowthWindowMinutes", growth.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Fail, Check(run, "working-set-growth", new SoakOptions { MinGrowthWindowMinutes = 0 }).Outcome);
    }

    [Fact]
    public void Before_the_first_collection_the_managed_heap_filling_up_is_not_counted_as_growth()
    {
        // No GC all hour: the heap and with it the working set grow 60 MB/h of garbage; the rest stays flat.
        SoakRun run = Run(WorkingSet(hours: 1, samples: 61, mbAt: h => 45 + (60 * h), heapMbAt: h => 5 + (60 * h), collectsAt: _ => false));

        SoakCheck growth = Check(run, "working-set-growth");

        Assert.Equal(CheckOutcome.Pass, growth.Outcome);
        Assert.Equal(0, growth.Value, 6);
        Assert.Contains("no garbage collection", growth.Detail, StringComparison.Ordinal);
        Assert.Contains("managed heap 60 MB/h", growth.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_collections_growth_outside_the_managed_heap_still_fails()
    {
        SoakRun run = Run(WorkingSet(hours: 1, samples: 61, mbAt: h => 50 + (10 * h), collectsAt: _ => false));

        SoakCheck growth = Check(run, "working-set-growth");

        Assert.Equal(CheckOutcome.Fail, growth.Outcome);
        Assert.Equal(10, growth.Value, 6);
    }

    [Fact]
    public void When_the_first_collection_comes_after_warm_up_the_window_starts_there()
    {
        // The heap fills (and the working set with it) until the first collection at 45 min, then stays put.
        SoakRun run = Run(WorkingSet(hours: 1, samples: 61, mbAt: h => 50 + (60 * Math.Min(h, 0.75)), heapMbAt: h => 5 + (60 * Math.Min(h, 0.75)),
            collectsAt: h => h >= 0.75));

        SoakCheck growth = Check(run, "working-set-growth");

        Assert.Equal(CheckOutcome.Pass, growth.Outcome);
        Assert.Equal(0, growth.Value, 6);
        Assert.Contains("first collection at t=2700 s", growth.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_samples_after_warm_up_leave_growth_unjudged()
    {
        SoakRun run = Run(WorkingSet(hours: 1, samples: 2, mbAt: h => 50 + (100 * h)));

        Assert.Equal(CheckOutcome.NotEvaluated, Check(run, "working-set-growth").Outcome);
    }

    [Fact]
    public void Pipeline_allocation_is_counted_per_footfall_after_warm_up_only()
    {
        // 24 bytes of warm-up in the first sample interval, nothing after: passes even though the run allocated.
        SoakRun quiet = Run(WorkingSet(hours: 1, samples: 61, mbAt: _ => 50, pipelineBytesAt: (i, _) => i == 0 ? 0 : 24));
        SoakCheck pass = Check(quiet, "pipeline-allocation");
        Assert.Equal(CheckOutcome.Pass, pass.Outcome);
        Assert.Equal(0, pass.Value);

        // 48 bytes per footfall throughout: fails with exactly that.
        SoakRun leaking = Run(WorkingSet(hours: 1, samples: 61, mbAt: _ => 50, pipelineBytesAt: (_, footfalls) => 48 * footfalls));
        SoakCheck fail = Check(leaking, "pipeline-allocation");
        Assert.Equal(CheckOutcome.Fail, fail.Outcome);
        Assert.Equal(48, fail.Value, 9);
    }

    [Fact]
    public void Any_drop_fails_by_default()
    {
        List<ResourceSample> samples = WorkingSet(hours: 1, samples: 61, mbAt: _ => 50);
        samples[^1] = samples[^1] with { Run = samples[^1].Run with { MidiDrops = 1 } };

        SoakCheck drops = Check(Run(samples), "drops");

        Assert.Equal(CheckOutcome.Fail, drops.Outcome);
        Assert.Equal(1, drops.Value);
        Assert.Contains("MIDI 1", drops.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_last_quarter_slower_than_the_factor_allows_fails_the_drift_check()
    {
        // Processing p99: 2 ms in the first quarter, 10 ms in the last; limit 2 x 2 ms.
        SoakRun run = SteadyHour(Footfalls(3600, at => at < 1800 ? 2 : 10));

        SoakCheck drift = Check(run, "processing-latency-drift");

        Assert.Equal(CheckOutcome.Fail, drift.Outcome);
        Assert.Equal(10, drift.Value, 4);
        Assert.Equal(4, drift.Limit, 4);
    }

    [Fact]
    public void Sub_millisecond_latencies_count_as_the_floor()
    {
        // 0.1 ms -> 0.5 ms is five times worse but under the 1 ms floor: limit 2 x 1 ms.
        SoakRun run = SteadyHour(Footfalls(3600, at => at < 1800 ? 0.1 : 0.5));

        SoakCheck drift = Check(run, "processing-latency-drift");

        Assert.Equal(CheckOutcome.Pass, drift.Outcome);
        Assert.Equal(2, drift.Limit, 6);
    }

    [Fact]
    public void Processing_latency_is_not_judged_at_speed_max_but_algorithmic_latency_is()
    {
        SoakRun run = SteadyHour(Footfalls(3600, at => at < 1800 ? 100 : 400), speed: "max");

        Assert.Equal(CheckOutcome.NotEvaluated, Check(run, "processing-latency-drift").Outcome);
        Assert.Equal(CheckOutcome.Fail, Check(run, "algorithmic-latency-drift").Outcome);
    }

    [Fact]
    public void Algorithmic_drift_compares_quarters_of_the_walk_however_the_replay_was_spread_over_the_run()
    {
        // A loaded machine starts an unpaced replay slowly: the run's first wall quarter holds only the walk's first
        // 60 footfalls. Their latency is 100 ms, the rest of the walk's 350 ms throughout: no drift.
        List<LatencyPoint> footfalls = [.. Footfalls(3600, at => at < 60 ? 100 : 350)
            .Select((p, i) => p with { ArrivalNs = (long)((i < 60 ? i * 15 : 900 + ((i - 60) * 2700.0 / 3540)) * 1e9) })];
        SoakRun run = SteadyHour(footfalls, speed: "max");

        SoakCheck drift = Check(run, "algorithmic-latency-drift");

        Assert.Equal(CheckOutcome.Pass, drift.Outcome);
        Assert.Equal(700, drift.Limit, 4);
    }

    [Fact]
    public void Algorithmic_latencies_within_the_detectors_own_waits_are_not_drift_though_processing_ones_would_be()
    {
        // 55 ms in the first half, 120 ms (a soft landing's wait for its impact) in the second.
        SoakRun run = SteadyHour(Footfalls(3600, at => at < 1800 ? 55 : 120));

        SoakCheck algorithmic = Check(run, "algorithmic-latency-drift");

        Assert.Equal(CheckOutcome.Pass, algorithmic.Outcome);
        Assert.Equal(300, algorithmic.Limit, 4);
        Assert.Equal(CheckOutcome.Fail, Check(run, "processing-latency-drift").Outcome);
    }

    [Fact]
    public void Without_midi_write_stamps_processing_latency_is_not_judged()
    {
        SoakRun run = SteadyHour([.. Footfalls(3600, _ => 2).Select(p => p with { ProcessingMs = float.NaN })]);

        SoakCheck drift = Check(run, "processing-latency-drift");

        Assert.Equal(CheckOutcome.NotEvaluated, drift.Outcome);
        Assert.Contains("--midi none", drift.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Detected_footfalls_far_from_the_truth_fail_and_a_source_without_truth_is_not_judged()
    {
        List<ResourceSample> samples = WorkingSet(hours: 1, samples: 61, mbAt: _ => 50);
        samples[^1] = samples[^1] with { Run = samples[^1].Run with { Footfalls = 900, Annotations = 1000 } };
        SoakCheck off = Check(Run(samples), "footfalls-vs-truth");
        Assert.Equal(CheckOutcome.Fail, off.Outcome);
        Assert.Equal(0.1, off.Value, 9);

        samples[^1] = samples[^1] with { Run = samples[^1].Run with { Annotations = 0 } };
        Assert.Equal(CheckOutcome.NotEvaluated, Check(Run(samples), "footfalls-vs-truth").Outcome);
    }

    [Fact]
    public void A_paced_soak_that_ends_early_fails_the_duration_check()
    {
        // Asked for 60 minutes at speed 1; the source ended after 30.
        SoakCheck duration = Check(Run(WorkingSet(hours: 0.5, samples: 31, mbAt: _ => 50), sourceSeconds: 1800), "duration");

        Assert.Equal(CheckOutcome.Fail, duration.Outcome);
        Assert.Equal(30, duration.Value, 6);
        Assert.Equal(58.8, duration.Limit, 6); // 60 min less the 2 % tolerance
    }

    [Fact]
    public void A_soak_stopped_by_a_signal_fails_the_duration_check_however_long_it_ran()
    {
        SoakCheck duration = Check(Run(WorkingSet(hours: 1, samples: 61, mbAt: _ => 50), end: RunEnd.Stopped), "duration");

        Assert.Equal(CheckOutcome.Fail, duration.Outcome);
        Assert.Contains("SIGINT", duration.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void At_speed_max_the_duration_check_asks_only_that_the_source_ran_to_its_end()
    {
        SoakRun finished = Run(WorkingSet(hours: 0.001, samples: 5, mbAt: _ => 50), sourceSeconds: 3.6, speed: "max");
        Assert.Equal(CheckOutcome.Pass, Check(finished, "duration").Outcome);

        SoakRun stopped = finished with { End = RunEnd.Stopped };
        Assert.Equal(CheckOutcome.Fail, Check(stopped, "duration").Outcome);
    }

    private static SoakCheck Check(SoakRun run, string name, SoakOptions? limits = null) =>
        SoakChecks.Evaluate(run, limits ?? new SoakOptions()).Single(c => c.Name == name);

    /// <summary>
    /// Evenly spaced samples over <paramref name="hours"/> (the last one after the drain, a second later), one footfall
    /// per second of run, truth equal to detections.
    /// </summary>
    /// <remarks>
    /// By default the GC collects between every two samples and the managed heap stays at 5 MB;
    /// <paramref name="heapMbAt"/> and <paramref name="collectsAt"/> (hour of the sample) change that.
    /// </remarks>
    private static List<ResourceSample> WorkingSet(double hours, int samples, Func<double, double> mbAt, Func<int, long, long>? pipelineBytesAt = null,
        Func<double, double>? heapMbAt = null, Func<double, bool>? collectsAt = null)
    {
        List<ResourceSample> list = [];
        int gen0 = 0;
        for (int i = 0; i <= samples; i++)
        {
            bool afterDrain = i == samples;
            double seconds = afterDrain ? list[^1].ElapsedSeconds + 1 : samples == 1 ? 0 : hours * 3600 * i / (samples - 1);
            double h = seconds / 3600;
            gen0 += i > 0 && (collectsAt?.Invoke(h) ?? true) ? 1 : 0;
            long footfalls = (long)seconds;
            RunSnapshot session = new(Samples: footfalls * 200, Footfalls: footfalls, Annotations: footfalls, Rejected: 0, RingDrops: 0, MidiDrops: 0,
                ConsumerDrops: 0, PipelineAllocatedBytes: pipelineBytesAt?.Invoke(i, footfalls) ?? 0);
            double mb = afterDrain ? list[^1].WorkingSetMb - 1 : mbAt(h);
            list.Add(new ResourceSample(seconds, (long)(mb * Mb), (long)((heapMbAt?.Invoke(h) ?? 5) * Mb), gen0, 0, 0, 1 << 20, 20, seconds / 100, session));
        }

        return list;
    }

    /// <summary>One footfall per second of walk and of run for <paramref name="seconds"/>, processing latency as given, algorithmic the same.</summary>
    private static List<LatencyPoint> Footfalls(int seconds, Func<double, double> latencyMsAt) =>
        [.. Enumerable.Range(0, seconds).Select(s => new LatencyPoint((long)(s * 1e9), (long)(s * 1e9), (float)latencyMsAt(s), (float)latencyMsAt(s)))];

    /// <summary>An hour with a flat working set (the latency checks' background), judged on these footfalls.</summary>
    private static SoakRun SteadyHour(IReadOnlyList<LatencyPoint> footfalls, string speed = "1") =>
        Run(WorkingSet(hours: 1, samples: 61, mbAt: _ => 50), speed: speed, footfalls: footfalls);

    private static SoakRun Run(List<ResourceSample> samples, double? sourceSeconds = null, RunEnd end = RunEnd.SourceEnded,
        string speed = "1", IReadOnlyList<LatencyPoint>? footfalls = null)
    {
        _ = ReplaySpeed.TryParse(speed, out ReplaySpeed pace);
        SoakPlan plan = new(60, pace, IsLive: false, "sim:seed=1,minutes=60", "dsp", "file", 60);
        double seconds = sourceSeconds ?? samples[^2].ElapsedSeconds;
        return new SoakRun(plan, samples, seconds, end, StartNs: 0, footfalls ?? Footfalls((int)seconds, _ => 1));
    }
}
