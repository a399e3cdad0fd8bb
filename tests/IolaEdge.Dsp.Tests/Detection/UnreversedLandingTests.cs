using IolaEdge.Dsp.Detection;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>
/// The landings the gyroscope path cannot see: an acceleration landing parked while no pitch reversal came with it, let
/// out once the foot lies flat after the impact, and given back to the gyroscope path when the reversal comes late.
/// </summary>
public sealed class UnreversedLandingTests
{
    private const long Ms = 1_000_000;
    private const long Never = long.MinValue / 2;
    private const long NotFlat = long.MaxValue;

    // Impact onset at 1 000 ms, its peak 20 ms later; samples every `stepMs` from the peak on. Returns the time the
    // landing is let out, or -1 when it is dropped or still parked after 300 ms.
    private static long Run(Func<long, long> flatSinceMs, Func<long, long> lastReversedMs, long stepMs = 10)
    {
        var landing = new UnreversedLanding(new DspDetectorOptions());
        Assert.True(landing.Park(1000 * Ms, 1020 * Ms, 1f, Never));
        for (long ms = 1020; ms <= 1300; ms += stepMs)
        {
            long flat = flatSinceMs(ms);
            long reversed = lastReversedMs(ms);
            if (landing.Decide(ms * Ms, reversed == Never ? Never : reversed * Ms, Never, 250, gyroDeciding: true,
                flat == NotFlat ? NotFlat : flat * Ms))
            {
                Assert.Equal(1000 * Ms, landing.OnsetNs);
                return ms;
            }

            if (!landing.Parked)
            {
                return -1;
            }
        }

        return -1;
    }

    [Fact]
    public void A_foot_lying_flat_after_its_impact_is_let_out_once_the_wait_after_the_peak_has_passed()
    {
        Assert.Equal(1060, Run(flatSinceMs: _ => 1030, lastReversedMs: _ => Never));
    }

    [Fact]
    public void A_foot_that_never_lies_flat_is_let_out_after_twice_the_wait()
    {
        // A toe-first landing: the heel comes down turning the foot the whole time.
        Assert.Equal(1100, Run(flatSinceMs: _ => NotFlat, lastReversedMs: _ => Never));
    }

    [Fact]
    public void A_pitch_rate_passing_through_zero_on_its_way_to_a_late_reversal_is_not_a_flat_foot()
    {
        // 50 Hz: one flat sample at 1 060 ms, the reversal on the next (the impact's rise was spread early by a filter).
        long Flat(long ms) => ms == 1060 ? 1060 : NotFlat;
        long Reversed(long ms) => ms >= 1080 ? 1080 : Never;
        Assert.Equal(-1, Run(Flat, Reversed, stepMs: 20));
    }

    [Fact]
    public void A_landing_a_reversal_came_with_is_left_to_the_gyroscope_path()
    {
        var landing = new UnreversedLanding(new DspDetectorOptions());
        Assert.False(landing.Park(1000 * Ms, 1020 * Ms, 1f, lastReversedNs: 800 * Ms));
        Assert.False(landing.Parked);
    }

    [Fact]
    public void Nothing_is_parked_when_the_rule_is_off()
    {
        var landing = new UnreversedLanding(new DspDetectorOptions { GyroUnreversedWaitMs = 0 });
        Assert.False(landing.Park(1000 * Ms, 1020 * Ms, 1f, Never));
    }

    [Fact]
    public void A_footfall_emitted_meanwhile_drops_the_parked_landing()
    {
        var landing = new UnreversedLanding(new DspDetectorOptions());
        Assert.True(landing.Park(1000 * Ms, 1020 * Ms, 1f, Never));
        Assert.False(landing.Decide(1030 * Ms, Never, lastEmitNs: 1010 * Ms, 250, gyroDeciding: true, 1025 * Ms));
        Assert.False(landing.Parked);
        Assert.Equal(1, landing.Dropped);
    }
}
