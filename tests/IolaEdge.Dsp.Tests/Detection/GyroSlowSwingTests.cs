using IolaEdge.Dsp.Detection;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>
/// Slow and soft landings on the gyro path: a slow swing (a closing step, a turn) that never stays above the swing
/// level still ends in a landing, and a pitch reversal that comes well before the heel's impact waits for it.
/// </summary>
public sealed class GyroSlowSwingTests
{
    private const long Ms = 1_000_000;

    // A swing at 150 °/s for 300 ms (45° swept), then the forefoot coming down at −150 °/s with a hard jerk at the
    // reversal. The swing level is pinned at 200 °/s (GyroSwingFraction 1 × the initial swing peak), so only the
    // swept angle can arm it.
    private static int Landings(double swingDegrees)
    {
        var options = new DspDetectorOptions { GyroSwingFraction = 1, GyroSwingDegrees = swingDegrees, NominalRateHz = 200 };
        var landing = new GyroLanding(options);
        var history = new SignalHistory(DspDetectorOptions.HistoryMs, 200);
        int landings = 0;
        for (int ms = 0; ms < 800; ms += 5)
        {
            double pitch = ms < 100 ? 0 : ms < 400 ? 150 : ms < 500 ? -150 : 0;
            float jerk = ms is >= 400 and < 420 ? 400f : 1f;
            history.Add(new SignalPoint(ms * Ms, jerk, 0f, 0f, 1f));
            if (landing.Process(ms * Ms, pitch, 1, true, true, history, 400, long.MinValue / 2, out _))
            {
                landings++;
            }
        }

        return landings;
    }

    [Fact]
    public void A_slow_swing_that_turns_the_foot_far_enough_lands()
    {
        Assert.Equal(1, Landings(swingDegrees: 20));
    }

    [Fact]
    public void Without_the_swept_angle_rule_the_slow_swing_is_missed()
    {
        Assert.Equal(0, Landings(swingDegrees: 0));
    }

    // A normal swing, then a pitch reversal at 400 ms and the heel's impact only 90 ms later (a soft landing).
    private static long SoftLandingOnsetMs(double lateWaitMs)
    {
        var options = new DspDetectorOptions { GyroLateImpactWaitMs = lateWaitMs, NominalRateHz = 200 };
        var landing = new GyroLanding(options);
        var history = new SignalHistory(DspDetectorOptions.HistoryMs, 200);
        for (int ms = 0; ms < 800; ms += 5)
        {
            double pitch = ms < 100 ? 0 : ms < 400 ? 300 : ms < 550 ? -100 : 0;
            float jerk = ms is >= 490 and < 505 ? 400f : 1f;
            history.Add(new SignalPoint(ms * Ms, jerk, 0f, 0f, 1f));
            if (landing.Process(ms * Ms, pitch, 1, true, true, history, 400, long.MinValue / 2, out long onsetNs))
            {
                return onsetNs / Ms;
            }
        }

        return -1;
    }

    [Fact]
    public void A_landing_whose_impact_comes_late_is_placed_at_the_impact_not_at_the_reversal()
    {
        Assert.Equal(490, SoftLandingOnsetMs(lateWaitMs: 120));
        Assert.Equal(400, SoftLandingOnsetMs(lateWaitMs: 50));
    }
}
