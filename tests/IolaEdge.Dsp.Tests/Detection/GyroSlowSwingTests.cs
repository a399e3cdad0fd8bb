using IolaEdge.Dsp.Detection;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>A slow swing (a closing step, a turn) that never stays above the swing level still ends in a landing.</summary>
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
            if (landing.Process(ms * Ms, pitch, 1, true, history, 400, long.MinValue / 2, out _))
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
}
