using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>
/// A walk's first landing on the gyro path: once the swing has voted the sign, the path decides even though the
/// other kind of lobe has not been seen (the heel rose too briefly to count); the landing waits for the still-foot
/// check, and its impact does not teach the impact reference until the sign has been compared with both kinds.
/// </summary>
public sealed class GyroFirstSwingTests
{
    private const long Ms = 1_000_000;
    private const int StepMs = 5;

    // Pitch rate about y (°/s) at each ms of the walk's first step: rest, a 60 ms heel rise (too brief to weigh as
    // one side), a 350 ms swing, the forefoot coming down, rest.
    private static float PitchAt(int ms) => ms switch
    {
        < 300 => 0f,
        < 360 => -200f,
        < 400 => 0f,
        < 750 => 300f,
        < 850 => -150f,
        _ => 0f,
    };

    [Fact]
    public void The_first_landing_is_decided_once_the_swing_has_voted_though_the_heel_rise_was_too_brief_to_count()
    {
        var options = new DspDetectorOptions { NominalRateHz = 200 };
        var path = new GyroPath(options);
        var history = new SignalHistory(DspDetectorOptions.HistoryMs, 200);
        long decidedAt = -1;
        bool comparedWhenDecided = true;
        bool settledWhenDecided = true;
        var pitch = new PitchRate(options);
        for (int ms = 0; ms < 1200; ms += StepMs)
        {
            float w = PitchAt(ms);
            float jerk = ms is >= 750 and < 770 ? 400f : 1f;
            history.Add(new SignalPoint(ms * Ms, jerk, 0f, 0f, 1f));
            pitch.Update(ms * Ms, new System.Numerics.Vector3(0, w, 0));
            var sample = new ImuSample(0, ms / StepMs, ms * Ms, ms * Ms, 0f, 0f, 1f, 0f, w, 0f);
            if (path.Process(sample, ms * Ms, history, 400, long.MinValue / 2, out long onsetNs) && decidedAt < 0)
            {
                decidedAt = onsetNs / Ms;
                comparedWhenDecided = pitch.BothSidesSeen;
                settledWhenDecided = path.Settled;
            }
        }

        // Placed at the impact's onset; not settled yet, so the detector holds it for the still-foot check.
        Assert.InRange(decidedAt, 740, 770);
        Assert.False(comparedWhenDecided);
        Assert.False(settledWhenDecided);
        Assert.True(path.Settled);
    }

    // Two landings, the second with an impact that rises over 15 ms; returns when the second is decided (ms after
    // its reversal), with the first landing's sign compared or not.
    private static int SecondDecidedAfterReversalMs(bool firstCompared)
    {
        var options = new DspDetectorOptions { NominalRateHz = 200 };
        var landing = new GyroLanding(options);
        var history = new SignalHistory(DspDetectorOptions.HistoryMs, 200);
        for (int ms = 0; ms < 2000; ms += StepMs)
        {
            int inStride = ms % 1000;
            double pitch = inStride < 100 ? 0 : inStride < 400 ? 300 : inStride < 500 ? -150 : 0;
            float jerk = inStride switch
            {
                400 => 100f,
                405 => 250f,
                410 => 400f,
                _ => inStride is > 410 and < 420 ? 200f : 1f,
            };
            history.Add(new SignalPoint(ms * Ms, jerk, 0f, 0f, 1f));
            bool compared = ms >= 1000 || firstCompared;
            if (landing.Process(ms * Ms, pitch, 1, true, compared, history, 400, long.MinValue / 2, out _) && ms >= 1000)
            {
                return inStride - 400;
            }
        }

        return -1;
    }

    [Fact]
    public void A_landing_taken_before_the_sign_was_compared_does_not_teach_the_impact_reference()
    {
        // Learned, the first impact makes the second hard on its rise (at 0.7 of it, 10 ms in); not learned, nothing
        // is hard yet and the second waits GyroImpactWaitMs.
        Assert.Equal(10, SecondDecidedAfterReversalMs(firstCompared: true));
        Assert.Equal(50, SecondDecidedAfterReversalMs(firstCompared: false));
    }
}
