using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Tests.Support;
using IolaEdge.Dsp.Timing;
using Xunit.Abstractions;

namespace IolaEdge.Dsp.Tests.Timing;

/// <summary>Sources whose timestamps are true sample times, and the hand-over to and from de-jittering.</summary>
public sealed class SampleClockRegularTests(ITestOutputHelper output)
{
    private const long Ms = 1_000_000;

    private (double MaxAbsErrMs, SampleClock Clock) Run(ImuSample[] samples, long[] truth, SampleClockOptions options, int from = 0)
    {
        SampleClock clock = new(options);
        double max = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            long t = clock.Stamp(samples[i]).SensorTimeNs;
            if (i >= from)
            {
                max = Math.Max(max, Math.Abs(t - truth[i]) / 1e6);
            }
        }

        output.WriteLine(
            $"max |err| {max:F3} ms, lost {clock.EstimatedLostSamples}, gaps {clock.Gaps}, regular {clock.IsRegular} "
            + $"(entries {clock.RegularEntries}, exits {clock.RegularExits}), period {clock.EstimatedPeriodNs / 1e6:F4} ms");
        return (max, clock);
    }

    [Fact]
    public void Ten_minutes_at_100_hz_with_single_sample_losses_keep_true_times_and_count_every_loss()
    {
        // 3.6 % of samples lost one at a time, like the Xsens walks: 20 ms steps are single losses.
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream { RateHz = 100, LossProbability = 0.036, Seed = 5 }.Generate(100 * 600);
        (double maxErr, SampleClock clock) = Run(samples, truth, new SampleClockOptions { NominalRateHz = 100 });

        Assert.True(maxErr < 1, $"clock error {maxErr} ms");
        Assert.Equal(lost, clock.EstimatedLostSamples);
        Assert.True(clock.IsRegular);
        Assert.Equal(samples.Length, clock.PassedThrough + clock.RegularSamples + clock.DejitteredSamples);
        Assert.Equal(0, clock.RegularExits);
    }

    [Fact]
    public void Whole_ms_timestamps_of_a_204_8_hz_sensor_given_as_200_hz_are_kept_and_its_period_is_measured()
    {
        // Steps of 4 and 5 ms; the nominal 200 Hz is 2.4 % off: the period must come from the stream.
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream { RateHz = 204.8, LossProbability = 0.02, Seed = 7 }.Generate(204 * 300);
        (double maxErr, SampleClock clock) = Run(samples, truth, new SampleClockOptions { NominalRateHz = 200 });

        Assert.True(maxErr < 1, $"clock error {maxErr} ms");
        Assert.Equal(lost, clock.EstimatedLostSamples);
        Assert.InRange(clock.EstimatedPeriodNs, 4.8828e6 - 2e3, 4.8828e6 + 2e3);
        Assert.Equal(1, clock.RegularEntries);
    }

    [Fact]
    public void A_204_8_hz_sensor_given_as_204_8_hz_counts_losses_exactly()
    {
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream { RateHz = 204.8, LossProbability = 0.036, Seed = 8 }.Generate(204 * 600);
        (double maxErr, SampleClock clock) = Run(samples, truth, new SampleClockOptions { NominalRateHz = 204.8 });

        Assert.True(maxErr < 1, $"clock error {maxErr} ms");
        Assert.Equal(lost, clock.EstimatedLostSamples);
    }

    [Fact]
    public void A_100_hz_file_given_as_200_hz_keeps_its_times_without_counting_phantom_losses()
    {
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream { RateHz = 100, LossProbability = 0.01, Seed = 9 }.Generate(100 * 120);
        (double maxErr, SampleClock clock) = Run(samples, truth, new SampleClockOptions { NominalRateHz = 200 });

        Assert.True(maxErr < 1, $"clock error {maxErr} ms");
        Assert.Equal(lost, clock.EstimatedLostSamples);
        Assert.InRange(clock.EstimatedPeriodNs, 9.99e6, 10.01e6);
    }

    [Theory]
    [InlineData(128.0, true)]
    [InlineData(148.148, true)]
    [InlineData(60.0, true)]
    [InlineData(128.0, false)]
    public void A_sensor_at_a_rate_that_is_no_whole_fraction_of_the_nominal_one_keeps_its_times_and_counts_its_losses(double rateHz, bool wholeMs)
    {
        // Given as 200 Hz, a 128 Hz sensor steps 7.8 ms: no whole number of 5 ms periods. Its own grid becomes the period
        // once 20 steps in a row keep to it, and its timestamps are kept from the first, as on the nominal grid.
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream { RateHz = rateHz, LossProbability = 0.02, WholeMs = wholeMs, Seed = 21 }
            .Generate((int)(rateHz * 120));
        (double maxErr, SampleClock clock) = Run(samples, truth, new SampleClockOptions { NominalRateHz = 200 });

        Assert.True(maxErr < 1, $"clock error {maxErr} ms");
        Assert.Equal(1, clock.AdoptedRates);
        Assert.True(clock.IsRegular);
        Assert.Equal(1, clock.RegularEntries);
        Assert.Equal(samples.Length - 1, clock.RegularSamples); // all but the first, which opens the grid
        Assert.InRange(clock.EstimatedPeriodNs, (1e9 / rateHz) - 2e3, (1e9 / rateHz) + 2e3);
        Assert.Equal(lost, clock.EstimatedLostSamples);
    }

    [Fact]
    public void Known_sensor_times_at_a_rate_that_is_no_whole_fraction_of_the_nominal_one_count_their_losses_without_phantoms()
    {
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream { RateHz = 128, LossProbability = 0.036, WholeMs = false, Seed = 22 }.Generate(128 * 120);
        SampleClock clock = new();
        for (int i = 0; i < samples.Length; i++)
        {
            ImuSample known = new(0, i, truth[i], truth[i] + (3 * Ms), 0, 0, 1);
            Assert.Equal(truth[i], clock.Stamp(known).SensorTimeNs);
        }

        Assert.Equal(1, clock.AdoptedRates);
        Assert.Equal(lost, clock.EstimatedLostSamples);
    }

    [Fact]
    public void Bursty_137_hz_arrivals_are_never_taken_for_sample_times()
    {
        // The seed link: 200 Hz sampled, ~30 % lost, bursts of up to 11 every 48.75 ms.
        (ImuSample[] samples, long[] truth) = new BurstyDelivery { LossProbability = 0.3, Seed = 3 }.Generate(200 * 120);
        (_, SampleClock clock) = Run(samples, truth, new SampleClockOptions());

        Assert.Equal(0, clock.RegularEntries);
        Assert.Equal(0, clock.RegularSamples);
        Assert.Equal(0, clock.AdoptedRates);
        Assert.Equal(samples.Length, clock.DejitteredSamples);
    }

    [Fact]
    public void A_regular_stream_that_turns_bursty_is_handed_to_the_de_jitter_model_without_a_jump()
    {
        (ImuSample[] regular, long[] regularTruth, long regularLost) = new RegularStream { RateHz = 200, LossProbability = 0.02, Seed = 11 }.Generate(200 * 30);
        long switchNs = regularTruth[^1] + (5 * Ms);
        (ImuSample[] bursty, long[] burstyTruth) = new BurstyDelivery { StartNs = switchNs, Seed = 12 }.Generate(200 * 60);
        ImuSample[] samples = [.. regular, .. bursty];
        long[] truth = [.. regularTruth, .. burstyTruth];

        SampleClock clock = new();
        double maxRegular = 0;
        List<double> burstyErr = [];
        long last = long.MinValue;
        for (int i = 0; i < samples.Length; i++)
        {
            long t = clock.Stamp(samples[i]).SensorTimeNs;
            Assert.True(t >= last, "sample time went backwards");
            last = t;
            double e = (t - truth[i]) / 1e6;
            if (i < regular.Length)
            {
                maxRegular = Math.Max(maxRegular, Math.Abs(e));
                if (i == regular.Length - 1)
                {
                    Assert.Equal(regularLost, clock.EstimatedLostSamples);
                }
            }
            else if (i > regular.Length + 200)
            {
                burstyErr.Add(e);
            }
        }

        double[] sorted = [.. burstyErr.Order()];
        double median = sorted[sorted.Length / 2];
        double p99 = burstyErr.Select(e => Math.Abs(e - median)).Order().ElementAt((int)(0.99 * burstyErr.Count));
        output.WriteLine($"regular max {maxRegular:F3} ms; bursty median {median:F2} ms p99 around it {p99:F2} ms; exits {clock.RegularExits}");
        Assert.True(maxRegular < 1);
        Assert.Equal(1, clock.RegularEntries);
        Assert.Equal(1, clock.RegularExits);
        Assert.False(clock.IsRegular);
        Assert.InRange(median, -1, 10);
        Assert.True(p99 < 12, $"p99 {p99}");
    }

    [Fact]
    public void A_single_duplicate_timestamp_does_not_end_the_regular_model()
    {
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = 100 });
        long t0 = 1000 * Ms;
        for (int i = 0; i < 100; i++)
        {
            clock.Stamp(new ImuSample(0, i, 0, t0 + (i * 10 * Ms), 0, 0, 1));
        }

        clock.Stamp(new ImuSample(0, 100, 0, t0 + (99 * 10 * Ms), 0, 0, 1));
        for (int i = 100; i < 200; i++)
        {
            clock.Stamp(new ImuSample(0, i, 0, t0 + (i * 10 * Ms), 0, 0, 1));
        }

        Assert.True(clock.IsRegular);
        Assert.Equal(0, clock.RegularExits);
        Assert.Equal(0, clock.EstimatedLostSamples);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Jittered_arrivals_without_bursts_never_drift_behind_and_their_losses_are_counted(bool detectRegular)
    {
        // A live-like 100 Hz stream delivered 0–4 ms late, one notification per sample, 3.6 % single losses,
        // 10 min: the old model never saw a burst end and fell 10 ms further behind at every loss.
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream
        {
            RateHz = 100, LossProbability = 0.036, WholeMs = false, JitterMs = 4, Seed = 13,
        }.Generate(100 * 600);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = 100, DetectRegularTimestamps = detectRegular });
        double[] err = new double[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            err[i] = (clock.Stamp(samples[i]).SensorTimeNs - truth[i]) / 1e6;
        }

        double worst = err.Min();
        double lastMinute = err.Skip(samples.Length - 6000).Average();
        output.WriteLine(
            $"most behind {worst:F2} ms, mean error over the last minute {lastMinute:F2} ms; lost {clock.EstimatedLostSamples} of {lost}; "
            + $"regular samples {clock.RegularSamples}, entries {clock.RegularEntries}");
        Assert.True(worst > -60, $"fell {worst} ms behind"); // a run of losses for a moment, never minutes
        Assert.InRange(lastMinute, -15, 5);
        Assert.InRange(clock.EstimatedLostSamples, lost * 0.99, lost * 1.01);
    }

    [Fact]
    public void Known_sensor_times_with_gaps_count_the_lost_samples_between_them()
    {
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = 100 });
        long[] times = [0, 10, 20, 40, 50, 80, 90, 100, 110, 120, 130, 140, 150, 160];
        foreach (long t in times)
        {
            ImuSample s = clock.Stamp(new ImuSample(0, 0, (1000 + t) * Ms, (1005 + t) * Ms, 0, 0, 1));
            Assert.Equal((1000 + t) * Ms, s.SensorTimeNs);
        }

        Assert.Equal(3, clock.EstimatedLostSamples);
        Assert.Equal(2, clock.Gaps);
        Assert.Equal(times.Length, clock.PassedThrough);
    }

    [Fact]
    public void Known_100_hz_sensor_times_given_as_200_hz_count_their_losses_without_phantoms()
    {
        (ImuSample[] samples, long[] truth, long lost) = new RegularStream { RateHz = 100, LossProbability = 0.036, WholeMs = false, Seed = 14 }.Generate(100 * 120);
        SampleClock clock = new();
        for (int i = 0; i < samples.Length; i++)
        {
            ImuSample known = new(0, i, truth[i], truth[i] + (3 * Ms), 0, 0, 1);
            Assert.Equal(truth[i], clock.Stamp(known).SensorTimeNs);
        }

        Assert.Equal(lost, clock.EstimatedLostSamples);
        Assert.Equal(samples.Length, clock.PassedThrough);
    }

    [Fact]
    public void With_an_exact_sample_counter_losses_come_from_the_counter_alone()
    {
        // Bursty arrivals whose sequence is the sensor's counter: lag rules realign, never add losses.
        (ImuSample[] samples, long[] truth) = new BurstyDelivery { LossProbability = 0.1, RateErrorPpm = 20_000, Seed = 4 }.Generate(200 * 60);
        long start = truth[0];
        ImuSample[] counted = Array.ConvertAll(samples, s => s);
        for (int i = 0; i < counted.Length; i++)
        {
            long index = (long)Math.Round((truth[i] - start) / (5e6 * (1 - 0.02)));
            counted[i] = new ImuSample(0, index, 0, samples[i].ArrivalTimeNs, 0, 0, 1);
        }

        long trueLost = counted[^1].Sequence + 1 - counted.Length;
        SampleClock clock = new(new SampleClockOptions { UseSequenceGaps = true, DetectRegularTimestamps = false });
        foreach (ImuSample s in counted)
        {
            clock.Stamp(s);
        }

        output.WriteLine($"lost {clock.EstimatedLostSamples} of {trueLost}, realigns {clock.Realigns}");
        Assert.Equal(trueLost, clock.EstimatedLostSamples);
        Assert.True(clock.Realigns > 0, "a sensor 2 % fast must realign the time base");
    }

    [Fact]
    public void Stamping_allocates_nothing()
    {
        (ImuSample[] samples, _, _) = new RegularStream { RateHz = 100, LossProbability = 0.036 }.Generate(20_000);
        (ImuSample[] bursty, _) = new BurstyDelivery { LossProbability = 0.3 }.Generate(20_000);
        SampleClock clock = new(new SampleClockOptions { NominalRateHz = 100 });
        SampleClock other = new();
        clock.Stamp(samples[0]);
        other.Stamp(bursty[0]);
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 1; i < samples.Length; i++)
        {
            clock.Stamp(samples[i]);
        }

        for (int i = 1; i < bursty.Length; i++)
        {
            other.Stamp(bursty[i]);
        }

        Assert.Equal(0, allocations.Bytes);
    }
}
