using System.Numerics;
using IolaEdge.Dsp.Detection;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>
/// The start of a walk with a gyroscope: when the pitch sign is trusted (<see cref="PitchRate.BothSidesSeen"/>,
/// <see cref="PitchRate.Settled"/>), and the still-foot check that holds landings until then
/// (<see cref="StillFootHold"/>).
/// </summary>
public sealed class GyroStartTests
{
    private const long Ms = 1_000_000;

    // Feeds a lobe of pitch rate (about the y axis) of this sign, duration and height, then 100 ms at rest.
    private static long Lobe(PitchRate pitch, long t, int sign, int ms, float dps)
    {
        for (int k = 0; k < ms; k += 5, t += 5 * Ms)
        {
            pitch.Update(t, new Vector3(0, sign * dps, 0));
        }

        for (int k = 0; k < 100; k += 5, t += 5 * Ms)
        {
            pitch.Update(t, Vector3.Zero);
        }

        return t;
    }

    [Fact]
    public void A_long_lobe_and_a_blip_of_the_other_sign_do_not_decide_the_sign()
    {
        // The heel rising before a walk's first swing, then a 30 ms wobble: two lobes and a clear vote, but only
        // one kind of lobe has been seen, so nothing was compared yet.
        var pitch = new PitchRate(new DspDetectorOptions());
        long t = Lobe(pitch, 0, -1, 250, 300);
        t = Lobe(pitch, t, +1, 30, 300);
        Assert.True(pitch.Ready);
        Assert.False(pitch.BothSidesSeen);

        // The swing that follows is the other kind: now both are seen and the swing's sign wins.
        Lobe(pitch, t, +1, 350, 300);
        Assert.True(pitch.BothSidesSeen);
        Assert.Equal(1, pitch.Sign);
    }

    [Fact]
    public void A_lobe_interrupted_by_missing_data_does_not_vote()
    {
        // A push-off's lobe, then 1.5 s of lost samples (a link dropout), then the forefoot coming down with the same
        // sign: measured across the gap, one 1.6 s lobe would outweigh forty swings and turn the sign for the walk.
        var pitch = new PitchRate(new DspDetectorOptions());
        long t = 0;
        for (int k = 0; k < 50; k += 5, t += 5 * Ms)
        {
            pitch.Update(t, new Vector3(0, -300, 0));
        }

        t += 1500 * Ms;
        t = Lobe(pitch, t, -1, 50, 300);
        Assert.Equal(1, pitch.DroppedLobes);

        // Three strides of swing and forefoot-down: the swing's sign wins.
        for (int stride = 0; stride < 3; stride++)
        {
            t = Lobe(pitch, t, +1, 350, 300);
            t = Lobe(pitch, t, -1, 100, 300);
        }

        Assert.True(pitch.Ready);
        Assert.Equal(1, pitch.Sign);
    }

    [Fact]
    public void The_sign_settles_after_about_one_swing_of_vote_weight()
    {
        var pitch = new PitchRate(new DspDetectorOptions());
        long t = Lobe(pitch, 0, -1, 150, 300);
        t = Lobe(pitch, t, +1, 250, 300);
        Assert.False(pitch.Settled);
        Lobe(pitch, t, +1, 350, 300);
        Assert.True(pitch.Settled);
    }

    // Feeds |ω| every 5 ms for the 500 ms before 0 (none when NaN), holds a landing with its onset at 0, then feeds |ω|
    // every 5 ms for 300 ms; returns when it was let out (or -1).
    private static int LetOutAt(StillFootHold hold, Func<int, double> speedAt, double beforeDps = double.NaN)
    {
        for (int ms = -500; ms < 0; ms += 5)
        {
            hold.Process(ms * Ms, beforeDps);
        }

        hold.Hold(0, 2f, fromGyro: false);
        int outAt = -1;
        for (int ms = 5; ms <= 300; ms += 5)
        {
            if (hold.Process(ms * Ms, speedAt(ms)) && outAt < 0)
            {
                outAt = ms;
            }
        }

        return outAt;
    }

    [Fact]
    public void A_held_landing_is_let_out_when_the_foot_is_still_after_it()
    {
        var hold = new StillFootHold(new DspDetectorOptions());
        Assert.Equal(200, LetOutAt(hold, ms => ms < 100 ? 300 : 40));
        Assert.False(hold.Holding);
        Assert.Equal(1, hold.Held);
        Assert.Equal(0, hold.Dropped);
    }

    [Fact]
    public void A_held_toe_off_is_dropped_because_the_foot_swings_after_it()
    {
        var hold = new StillFootHold(new DspDetectorOptions());
        Assert.Equal(-1, LetOutAt(hold, _ => 350));
        Assert.False(hold.Holding);
        Assert.Equal(1, hold.Dropped);
    }

    [Fact]
    public void A_gentle_walkers_toe_off_is_dropped_though_its_swing_stays_under_the_still_level()
    {
        // A shuffling step: push-off and swing at 150 °/s at most, 110 °/s after the "landing" (under GyroStillDps).
        var hold = new StillFootHold(new DspDetectorOptions());
        Assert.Equal(-1, LetOutAt(hold, _ => 110, beforeDps: 150));
        Assert.Equal(1, hold.Dropped);
    }

    [Theory]
    [InlineData(400, 140)] // a brisk swing, then a foot still turning at 140 °/s (under 0.4 of the swing)
    [InlineData(150, 40)] // a gentle swing, then a flat foot
    [InlineData(100, 75)] // a gentle swing, then a forefoot coming down at 75 °/s: under the 80 °/s floor
    public void A_landing_after_a_swing_is_let_out_when_the_foot_slows_to_a_fraction_of_that_swing(double swingDps, double afterDps)
    {
        var hold = new StillFootHold(new DspDetectorOptions());
        Assert.Equal(200, LetOutAt(hold, ms => ms < 100 ? swingDps : afterDps, beforeDps: swingDps));
        Assert.Equal(0, hold.Dropped);
    }

    [Fact]
    public void Three_landings_without_any_swing_stop_the_hold_until_the_gyroscope_turns_again()
    {
        var hold = new StillFootHold(new DspDetectorOptions());
        for (int landing = 1; landing <= 3; landing++)
        {
            Assert.False(hold.SeesNoSwing);
            Assert.Equal(200, LetOutAt(hold, _ => 2, beforeDps: 3));
        }

        Assert.True(hold.SeesNoSwing);
        hold.Process(400 * Ms, 90);
        Assert.False(hold.SeesNoSwing);
    }

    [Fact]
    public void A_landing_after_a_swing_or_before_one_does_not_count_as_one_without_swing()
    {
        var hold = new StillFootHold(new DspDetectorOptions());
        for (int landing = 0; landing < 3; landing++)
        {
            LetOutAt(hold, _ => 20, beforeDps: 300); // a heel strike: the swing came before it
            LetOutAt(hold, ms => ms < 150 ? 20 : 120, beforeDps: 10); // a first step's heel rise: the swing starts in the hold
        }

        Assert.False(hold.SeesNoSwing);
    }

    [Fact]
    public void A_hold_without_angular_velocity_in_its_window_lets_the_landing_out()
    {
        var hold = new StillFootHold(new DspDetectorOptions());
        Assert.Equal(200, LetOutAt(hold, ms => ms < 100 ? 400 : double.NaN));
        Assert.Equal(0, hold.Dropped);
    }

    [Fact]
    public void A_stillness_window_that_ends_before_it_starts_is_refused_naming_the_key()
    {
        var options = new DspDetectorOptions { GyroStillFromMs = 200, GyroStillToMs = 150 };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.Contains(nameof(DspDetectorOptions.GyroStillToMs), ex.Message, StringComparison.Ordinal);
        Assert.False(new StillFootHold(new DspDetectorOptions { GyroStillToMs = 0 }).Enabled);
    }
}
