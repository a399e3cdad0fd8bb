using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Dsp.Timing;
using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests.Timing;

public sealed class SampleClockTests(ITestOutputHelper output)
{
    private const long Ms = 1_000_000;

    [Fact]
    public void Evenly_arriving_samples_keep_their_arrival_grid()
    {
        SampleClock clock = new();
        for (int i = 0; i < 100; i++)
        {
            ImuSample s = clock.Stamp(new ImuSample(0, i, 0, 1000 * Ms + (i * 5 * Ms), 0, 0, 1));
            Assert.Equal(1000 * Ms + (i * 5 * Ms), s.SensorTimeNs);
        }

        Assert.Equal(0, clock.Gaps);
        Assert.Equal(0, clock.EstimatedLostSamples);
    }

    [Fact]
    public void A_burst_is_spread_back_over_the_nominal_period_not_stamped_with_its_arrival()
    {
        SampleClock clock = new();
        long a0 = 1000 * Ms;

        // Ten samples per 50 ms burst, all arriving within 3 ms: sensor times must be 5 ms apart.
        long previous = 0;
        for (int burst = 0; burst < 20; burst++)
        {
            for (int k = 0; k < 10; k++)
            {
                ImuSample s = clock.Stamp(new ImuSample(0, (burst * 10) + k, 0, a0 + (burst * 50 * Ms) + (k * Ms / 3), 0, 0, 1));
                if (burst > 1)
                {
                    Assert.Equal(5 * Ms, s.SensorTimeNs - previous);
                    Assert.True(s.SensorTimeNs <= s.ArrivalTimeNs);
                }

                previous = s.SensorTimeNs;
            }
        }

        Assert.Equal(0, clock.EstimatedLostSamples);
    }

    [Fact]
    public void A_sample_that_already_has_a_sensor_time_keeps_it()
    {
        SampleClock clock = new();
        ImuSample s = clock.Stamp(new ImuSample(0, 0, 123_456_789, 200_000_000, 0, 0, 1));
        Assert.Equal(123_456_789, s.SensorTimeNs);
        Assert.Equal(1, clock.PassedThrough);
    }

    [Fact]
    public void A_stall_restarts_the_clock_at_the_arrival_and_counts_the_gap()
    {
        SampleClock clock = new();
        for (int i = 0; i < 10; i++)
        {
            clock.Stamp(new ImuSample(0, i, 0, i * 5 * Ms, 0, 0, 1));
        }

        ImuSample after = clock.Stamp(new ImuSample(0, 10, 0, 3045 * Ms, 0, 0, 1));
        Assert.Equal(3045 * Ms, after.SensorTimeNs);
        Assert.Equal(1, clock.Resyncs);
        Assert.Equal(1, clock.Gaps);
        Assert.Equal(599, clock.EstimatedLostSamples); // samples at 50, 55, ..., 3040 ms
    }

    [Fact]
    public void Sequence_gaps_count_as_lost_samples_when_enabled()
    {
        SampleClock clock = new(new SampleClockOptions { UseSequenceGaps = true });
        clock.Stamp(new ImuSample(0, 0, 0, 0, 0, 0, 1));
        clock.Stamp(new ImuSample(0, 1, 0, 5 * Ms, 0, 0, 1));
        ImuSample s = clock.Stamp(new ImuSample(0, 5, 0, 25 * Ms, 0, 0, 1));
        Assert.Equal(25 * Ms, s.SensorTimeNs);
        Assert.Equal(3, clock.EstimatedLostSamples);
    }

    [Fact]
    public void With_a_sample_counter_a_base_ahead_of_the_arrivals_is_pulled_back_a_quarter_period_per_sample()
    {
        // The first sample was read 20 ms late; the next four were queued behind it and read at once; then every
        // sample arrives 1 ms after it was taken. The counter says none was lost, so the steps stay whole periods
        // within a quarter: the base walks back to the arrivals instead of jumping (which left duplicate times).
        SampleClock clock = new(new SampleClockOptions { UseSequenceGaps = true, DetectRegularTimestamps = false }); // as the BLE decoder runs it
        long[] stamped = new long[40];
        for (int i = 0; i < stamped.Length; i++)
        {
            long arrival = i < 5 ? 121 * Ms : (100 + (5 * i) + 1) * Ms;
            stamped[i] = clock.Stamp(new ImuSample(0, i, 0, arrival, 0, 0, 1)).SensorTimeNs;
            if (i > 0)
            {
                Assert.InRange(stamped[i] - stamped[i - 1], 3_750_000, 5_000_000);
            }

            if (i >= 25)
            {
                Assert.True(stamped[i] <= arrival, $"sample {i} still after its arrival");
            }
        }

        Assert.Equal(0, clock.EstimatedLostSamples);
        Assert.True(clock.AheadClamps > 0);
    }

    [Fact]
    public void With_a_sample_counter_a_stall_goes_on_by_the_counted_periods_instead_of_restarting_at_the_arrival()
    {
        // 1.5 s without an arrival, then the next sample (nothing lost), then one after three lost: the counter's
        // steps stand, where a restart at the arrival would have made a 1.5 s step of one counted period.
        SampleClock clock = new(new SampleClockOptions { UseSequenceGaps = true, DetectRegularTimestamps = false });
        clock.Stamp(new ImuSample(0, 0, 0, 100 * Ms, 0, 0, 1));
        long before = clock.Stamp(new ImuSample(0, 1, 0, 105 * Ms, 0, 0, 1)).SensorTimeNs;
        long after = clock.Stamp(new ImuSample(0, 2, 0, 1605 * Ms, 0, 0, 1)).SensorTimeNs;
        long afterLoss = clock.Stamp(new ImuSample(0, 6, 0, 3200 * Ms, 0, 0, 1)).SensorTimeNs;
        Assert.Equal((5 * Ms, 20 * Ms), (after - before, afterLoss - after));
        Assert.Equal((2L, 2L, 3L), (clock.Resyncs, clock.Gaps, clock.EstimatedLostSamples));
    }

    [Fact]
    public void Arrivals_going_backwards_never_make_sensor_time_go_backwards()
    {
        SampleClock clock = new();
        long last = long.MinValue;
        long[] arrivals = [100 * Ms, 101 * Ms, 99 * Ms, 150 * Ms, 140 * Ms, 151 * Ms];
        foreach (long a in arrivals)
        {
            long t = clock.Stamp(new ImuSample(0, 0, 0, a, 0, 0, 1)).SensorTimeNs;
            Assert.True(t >= last);
            last = t;
        }

        Assert.Equal(2, clock.NonMonotonicArrivals);
    }

    [Fact]
    public void Reset_forgets_time_base_and_counters()
    {
        SampleClock clock = new();
        clock.Stamp(new ImuSample(0, 0, 0, 10 * Ms, 0, 0, 1));
        clock.Stamp(new ImuSample(0, 1, 0, 5000 * Ms, 0, 0, 1));
        clock.Reset();
        Assert.Equal(0, clock.Samples);
        Assert.Equal(0, clock.Resyncs);
        Assert.Equal(7 * Ms, clock.Stamp(new ImuSample(0, 0, 0, 7 * Ms, 0, 0, 1)).SensorTimeNs);
    }

    [Theory]
    [InlineData("NominalRateHz", 0.0)]
    [InlineData("BurstGapPeriods", 0.5)]
    [InlineData("LossSlackPeriods", 1000.0)]
    [InlineData("ResyncGapMs", double.NaN)]
    public void A_bad_option_fails_naming_the_key(string key, double value)
    {
        SampleClockOptions o = new();
        typeof(SampleClockOptions).GetProperty(key)!.SetValue(o, value);
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new SampleClock(o));
        Assert.Equal(key, e.ParamName);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, 11, 6.0, 12.0)]        // lossless, full bursts
    [InlineData(0.10, 0.0, 0.0, 11, 12.0, 30.0)]      // 10 % random sample loss
    [InlineData(0.0, 0.15, 0.0, 11, 12.0, 110.0)]     // whole connection events lost: the burst after one is late until it ends
    [InlineData(0.0, 0.0, 300.0, 11, 6.0, 12.0)]      // sensor crystal 300 ppm fast
    [InlineData(0.0, 0.0, -300.0, 11, 6.0, 12.0)]     // 300 ppm slow
    [InlineData(0.3, 0.0, 0.0, 11, 15.0, 35.0)]       // seed-like heavy loss (~137 Hz effective)
    public void Reconstructs_bursty_sensor_time_within_bounds(
        double loss, double burstLoss, double ppm, int maxPerEvent, double maxMedianMs, double maxP99Ms)
    {
        BurstyDelivery d = new()
        {
            LossProbability = loss, BurstLossProbability = burstLoss, RateErrorPpm = ppm, MaxPerEvent = maxPerEvent, Seed = 3,
        };
        (ImuSample[] samples, long[] truth) = d.Generate(200 * 120);
        SampleClock clock = new();
        double[] err = new double[samples.Length];
        double[] rawErr = new double[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            err[i] = (clock.Stamp(samples[i]).SensorTimeNs - truth[i]) / 1e6;
            rawErr[i] = (samples[i].ArrivalTimeNs - truth[i]) / 1e6;
        }

        // The clock cannot observe fixed radio latency, so compare after removing the median offset.
        double offset = Percentile(err, 50);
        double[] abs = Array.ConvertAll(err, e => Math.Abs(e - offset));
        double rawOffset = Percentile(rawErr, 50);
        double[] rawAbs = Array.ConvertAll(rawErr, e => Math.Abs(e - rawOffset));
        output.WriteLine(
            $"loss={loss} burstLoss={burstLoss} ppm={ppm}: |err| median {Percentile(abs, 50):F2} ms, p99 {Percentile(abs, 99):F2} ms, "
            + $"offset {offset:F2} ms; raw arrival |err| median {Percentile(rawAbs, 50):F2} p99 {Percentile(rawAbs, 99):F2}; "
            + $"lost est {clock.EstimatedLostSamples} true {(200 * 120) - samples.Length}");
        Assert.True(Percentile(abs, 50) <= maxMedianMs, $"median {Percentile(abs, 50)}");
        Assert.True(Percentile(abs, 99) <= maxP99Ms, $"p99 {Percentile(abs, 99)}");
        Assert.True(Percentile(abs, 50) < Percentile(rawAbs, 50), "must beat raw arrival time");
    }

    [Fact]
    public void A_bursty_100_Hz_stream_given_as_200_Hz_is_stamped_on_its_own_period_once_its_arrival_rate_shows_it()
    {
        BurstyDelivery d = new() { RateHz = 100, LossProbability = 0.03, Seed = 5 };
        (ImuSample[] samples, long[] truth) = d.Generate(100 * 60);
        SampleClock atDefault = new();
        SampleClock atItsRate = new(new SampleClockOptions { NominalRateHz = 100 });
        List<double> err = [];
        List<double> errAtItsRate = [];
        for (int i = 0; i < samples.Length; i++)
        {
            long t = atDefault.Stamp(samples[i]).SensorTimeNs;
            long u = atItsRate.Stamp(samples[i]).SensorTimeNs;
            if (truth[i] - truth[0] > 3 * SampleClock.RateWindowNs)
            {
                err.Add((t - truth[i]) / 1e6);
                errAtItsRate.Add((u - truth[i]) / 1e6);
            }
        }

        long trueLost = (100 * 60) - samples.Length;
        output.WriteLine($"lost: true {trueLost}, at 200 Hz {atDefault.EstimatedLostSamples}, at 100 Hz {atItsRate.EstimatedLostSamples}; "
            + $"median error {Percentile([.. err], 50):F2} ms against {Percentile([.. errAtItsRate], 50):F2} ms");
        Assert.Equal(1, atDefault.SlowerRates);
        Assert.Equal(10 * Ms, atDefault.DejitterPeriodNs);
        Assert.Equal(Percentile([.. errAtItsRate], 50), Percentile([.. err], 50), 0.5);
        Assert.Equal(Percentile([.. errAtItsRate], 99), Percentile([.. err], 99), 0.5);
        Assert.InRange(atDefault.EstimatedLostSamples, atItsRate.EstimatedLostSamples - 5, atItsRate.EstimatedLostSamples + 5);
    }

    [Theory]
    [InlineData(0.3)]  // the seed walk's link: 138 of 200 Hz
    [InlineData(0.4)]
    public void A_lossy_link_that_keeps_more_than_half_the_nominal_rate_keeps_the_nominal_period(double loss)
    {
        BurstyDelivery d = new() { LossProbability = loss, Seed = 7 };
        (ImuSample[] samples, _) = d.Generate(200 * 60);
        SampleClock clock = new();
        foreach (ImuSample s in samples)
        {
            clock.Stamp(s);
        }

        Assert.Equal(0, clock.SlowerRates);
        Assert.Equal(5 * Ms, clock.DejitterPeriodNs);
    }

    [Fact]
    public void A_sensor_back_at_the_nominal_rate_after_a_slower_stretch_is_stamped_on_the_nominal_period_again()
    {
        (ImuSample[] slow, long[] slowTruth) = new BurstyDelivery { RateHz = 100, Seed = 8 }.Generate(100 * 20);
        long resumeNs = slowTruth[^1] + (10 * Ms);
        (ImuSample[] fast, long[] fastTruth) = new BurstyDelivery { StartNs = resumeNs, Seed = 9 }.Generate(200 * 20);
        SampleClock clock = new();
        foreach (ImuSample s in slow)
        {
            clock.Stamp(s);
        }

        Assert.Equal(10 * Ms, clock.DejitterPeriodNs);
        List<double> err = [];
        for (int i = 0; i < fast.Length; i++)
        {
            long t = clock.Stamp(fast[i]).SensorTimeNs;
            if (fastTruth[i] - resumeNs > 2 * SampleClock.RateWindowNs)
            {
                err.Add(Math.Abs(t - fastTruth[i]) / 1e6);
            }
        }

        Assert.Equal(2, clock.SlowerRates);
        Assert.Equal(5 * Ms, clock.DejitterPeriodNs);
        Assert.True(Percentile([.. err], 99) < 12, $"p99 |error| {Percentile([.. err], 99):F1} ms once back at 200 Hz");
    }

    [Fact]
    public void An_even_stream_with_jittered_timestamps_counts_a_lost_run_at_once_and_keeps_close_to_the_samples()
    {
        // One sample a notification at 100 Hz, arrivals within 2 ms of the sample (a logger's timestamps), and runs of 1-6
        // lost samples: a run's first sample after the gap used to be stamped a whole run early until a 100 ms window ended.
        Random rng = new(12);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = 100 });
        long lost = 0;
        List<double> err = [];
        for (int k = 0; k < 6000; k++)
        {
            if (k > 50 && k % 97 == 0)
            {
                int run = 1 + rng.Next(6);
                k += run;
                lost += run;
            }

            long truth = (1000 + (k * 10L)) * Ms;
            long arrival = truth + (long)(((rng.NextDouble() * 4) - 2) * Ms);
            long t = clock.Stamp(new ImuSample(0, k, 0, Math.Max(arrival, 0), 0, 0, 1)).SensorTimeNs;
            if (k > 100)
            {
                err.Add(Math.Abs(t - truth) / 1e6);
            }
        }

        output.WriteLine($"lost {lost}, counted {clock.EstimatedLostSamples}; |error| p99 {Percentile([.. err], 99):F1} ms, max {err.Max():F1} ms");
        Assert.InRange(clock.EstimatedLostSamples, lost - 2, lost + 2);
        Assert.True(Percentile([.. err], 99) <= 12, $"p99 |error| {Percentile([.. err], 99):F1} ms");
    }

    [Fact]
    public void With_a_sample_counter_one_sample_notifications_step_within_a_quarter_period_of_the_counted_steps()
    {
        // One sample a notification (as the BLE decoder hands the counter clock a notification's first sample), a
        // sensor 2 % slow against the receiver so the lag keeps growing, jitter, and runs of lost samples: however the
        // slews fall, a step stays within a quarter period of the counted one (a clock downstream counts losses from them).
        Random rng = new(21);
        SampleClock clock = new(new SampleClockOptions { UseSequenceGaps = true, DetectRegularTimestamps = false });
        long previousTime = 0, previousSequence = -1;
        for (long seq = 0; seq < 20_000; seq++)
        {
            if (seq > 50 && rng.Next(40) == 0)
            {
                seq += 1 + rng.Next(4);
            }

            long arrival = (long)((seq * 5.1e6) + (rng.NextDouble() * 3e6));
            long t = clock.Stamp(new ImuSample(0, seq, 0, arrival, 0, 0, 1)).SensorTimeNs;
            if (previousSequence >= 0)
            {
                long counted = (seq - previousSequence) * 5 * Ms;
                Assert.True(Math.Abs(t - previousTime - counted) <= 5 * Ms / 4, $"seq {seq}: step {t - previousTime} counted {counted} arrival {arrival} time {t}");
            }

            previousTime = t;
            previousSequence = seq;
        }
    }

    [Theory]
    [InlineData(true, true)]   // a sensor counter says what was lost
    [InlineData(false, false)] // a source whose rate was configured (the daemon's): few samples are a bad link
    public void With_a_sample_counter_or_a_known_rate_the_arrival_rate_never_changes_the_period(bool useSequenceGaps, bool inferSlowerRate)
    {
        (ImuSample[] samples, _) = new BurstyDelivery { RateHz = 100, Seed = 10 }.Generate(100 * 20);
        SampleClock clock = new(new SampleClockOptions { UseSequenceGaps = useSequenceGaps, InferSlowerRate = inferSlowerRate });
        foreach (ImuSample s in samples)
        {
            clock.Stamp(s);
        }

        Assert.Equal(0, clock.SlowerRates);
        Assert.Equal(5 * Ms, clock.DejitterPeriodNs);
    }

    internal static double Percentile(double[] values, double p)
    {
        double[] s = (double[])values.Clone();
        Array.Sort(s);
        double pos = p / 100 * (s.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + ((s[hi] - s[lo]) * (pos - lo));
    }
}
