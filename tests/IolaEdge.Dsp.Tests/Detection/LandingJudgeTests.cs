using IolaEdge.Dsp.Detection;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>
/// The acceleration path's swing test: an impact ends a swing when, over the window before its onset, the foot points
/// away from its stance direction on average, or far away at one moment; a moment of hard acceleration in a foot that
/// otherwise points along its stance (a vigorous push-off) is no swing.
/// </summary>
public sealed class LandingJudgeTests
{
    private const long Ms = 1_000_000;
    private const int StepMs = 5;
    private const int ImpactMs = 500;

    // Cosine to the stance direction at each ms before the impact: `baseline` throughout, `moment` over 10 ms in the
    // middle of the swing window (which spans 20-140 ms before the onset).
    private static bool IsLanding(float baseline, float moment, DspDetectorOptions? options = null)
    {
        options ??= new DspDetectorOptions { NominalRateHz = 200 };
        var history = new SignalHistory(DspDetectorOptions.HistoryMs, 200);
        for (int ms = 0; ms <= ImpactMs + 10; ms += StepMs)
        {
            int before = ImpactMs - ms;
            float cosine = before is >= 75 and < 85 ? moment : baseline;
            float jerk = ms >= ImpactMs ? 400f : 2f;
            history.Add(new SignalPoint(ms * Ms, jerk, 0f, 0.1f, cosine));
        }

        var judge = new LandingJudge(options);
        return judge.IsLanding(history, 400, (ImpactMs + 10) * Ms, 400, new StrideRhythm(options), hasStanceDirection: true,
            (ImpactMs + 10) * Ms, out _, out _, out _);
    }

    [Fact]
    public void A_foot_pointing_away_from_its_stance_throughout_the_window_ends_a_swing() =>
        Assert.True(IsLanding(baseline: 0.8f, moment: 0.8f));

    [Fact]
    public void A_foot_along_its_stance_with_one_moment_of_hard_acceleration_ends_no_swing()
    {
        // 41° away for 10 ms was a swing to the one-moment rule (SwingCosine 0.75 before stop 33).
        Assert.False(IsLanding(baseline: 0.97f, moment: 0.7f));
        Assert.True(IsLanding(baseline: 0.97f, moment: 0.7f, new DspDetectorOptions { NominalRateHz = 200, SwingCosine = 0.75, SwingMomentCosine = 0.75 }));
    }

    [Fact]
    public void One_moment_far_from_the_stance_direction_ends_a_swing_unless_the_moment_rule_is_off()
    {
        // Behind a heavy low-pass the direction turns slowly: the mean stays near the stance, one moment still points away.
        Assert.True(IsLanding(baseline: 0.97f, moment: 0.5f));
        Assert.False(IsLanding(baseline: 0.97f, moment: 0.5f, new DspDetectorOptions { NominalRateHz = 200, SwingMomentCosine = -1 }));
    }

    [Fact]
    public void A_foot_in_its_stance_throughout_ends_no_swing() =>
        Assert.False(IsLanding(baseline: 1f, moment: 1f));
}
