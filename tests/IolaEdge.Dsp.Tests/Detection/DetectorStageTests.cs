using System.Numerics;
using IolaEdge.Dsp.Detection;

namespace IolaEdge.Dsp.Tests.Detection;

/// <summary>The dsp detector's online stages, each on its own, with hand-computed values.</summary>
public sealed class DetectorStageTests
{
    // The fixed impact floor (MinImpactJerk's default), as the detector passes it while a walk's level is unknown.
    private const double FixedFloor = 50;

    private const long Ms = 1_000_000;
    private static readonly Vector3 s_rest = new(0, 0, 1);

    [Theory]
    [InlineData(10)]
    [InlineData(5)]
    public void A_step_of_one_g_reads_a_jerk_of_100_g_per_s_at_100_and_at_200_Hz(int stepMs)
    {
        JerkSignal jerk = new(new DspDetectorOptions());
        long t = 0;
        for (; t < 100 * Ms; t += stepMs * Ms)
        {
            Assert.Equal(0, jerk.Process(t, s_rest));
        }

        // The span is 10 ms at either rate: the newest sample at least that old is still at rest.
        Assert.Equal(100, jerk.Process(t, s_rest + Vector3.UnitX), 3);
    }

    [Fact]
    public void No_jerk_is_computed_across_a_gap()
    {
        JerkSignal jerk = new(new DspDetectorOptions());
        jerk.Process(0, s_rest);

        Assert.Equal(0, jerk.Process(70 * Ms, s_rest + Vector3.UnitX));
    }

    [Fact]
    public void The_noise_floor_follows_a_new_minimum_at_once_and_rises_slowly()
    {
        NoiseFloor floor = new(new DspDetectorOptions { NoiseFloorRiseMs = 5000 });

        Assert.Equal(10, floor.Process(5, 10));
        Assert.Equal(4, floor.Process(5, 4));
        Assert.Equal(4 + (96 * (1 - Math.Exp(-5.0 / 5000))), floor.Process(5, 100), 9);
    }

    [Fact]
    public void A_still_foot_is_quiet_and_a_jerking_one_is_not()
    {
        QuietDetector quiet = new(new DspDetectorOptions());
        for (int i = 0; i < 20; i++)
        {
            quiet.Process(10, 1, 0.01);
        }

        Assert.True(quiet.Quiet);
        for (int i = 0; i < 20; i++)
        {
            quiet.Process(10, 60, 0.01);
        }

        Assert.False(quiet.Quiet);
    }

    [Fact]
    public void The_stance_direction_is_learned_only_after_a_long_enough_quiet_stretch()
    {
        StanceDirection stance = new(new DspDetectorOptions { StanceLearnMs = 300 });
        long t = 0;
        for (; t <= 200 * Ms; t += 10 * Ms)
        {
            stance.Process(t, 10, s_rest, quiet: true);
        }

        Assert.False(stance.Known);
        Assert.Equal(1, stance.Cosine);
        for (; t <= 400 * Ms; t += 10 * Ms)
        {
            stance.Process(t, 10, s_rest, quiet: true);
        }

        Assert.True(stance.Known);
        Assert.Equal(1, stance.Cosine, 6);

        // The foot pitched by 90°: the smoothed acceleration turns away from the stance direction.
        for (; t <= 800 * Ms; t += 10 * Ms)
        {
            stance.Process(t, 10, Vector3.UnitX, quiet: false);
        }

        Assert.InRange(stance.Cosine, -0.01, 0.01);
    }

    [Theory]
    [InlineData(40, 0.98, 1.0)]   // a remount: followed within one stance (0.5 s of quiet after the learning delay)
    [InlineData(15, 0.99, 0.998)] // the shoe settling by 15°: followed with the half-second time constant, as before (5.5° left)
    public void A_stance_far_from_the_learned_direction_is_followed_within_one_stance(double degrees, double minCosine, double maxCosine)
    {
        StanceDirection stance = new(new DspDetectorOptions { StanceLearnMs = 300 });
        long t = 0;
        for (; t <= 500 * Ms; t += 10 * Ms)
        {
            stance.Process(t, 10, s_rest, quiet: true);
        }

        // A step off, then a stance with the sensor turned by `degrees`: 300 ms to learn, then 500 ms of following.
        for (int k = 0; k < 30; k++, t += 10 * Ms)
        {
            stance.Process(t, 10, Vector3.UnitX, quiet: false);
        }

        double radians = degrees * Math.PI / 180;
        Vector3 turned = new((float)Math.Sin(radians), 0, (float)Math.Cos(radians));
        for (int k = 0; k <= 80; k++, t += 10 * Ms)
        {
            stance.Process(t, 10, turned, quiet: true);
        }

        Assert.InRange(stance.Cosine, minCosine, maxCosine);
    }

    [Fact]
    public void An_impact_is_followed_to_its_peak_and_ready_when_the_jerk_falls()
    {
        ImpactTracker impacts = new(new DspDetectorOptions());

        // Reference 0: the trigger is MinImpactJerk (50 g/s); 100 falls below 0.7 × 200.
        Assert.False(impacts.Process(0, 10, 0, FixedFloor));
        Assert.False(impacts.Process(10 * Ms, 100, 0, FixedFloor));
        Assert.False(impacts.Process(20 * Ms, 200, 0, FixedFloor));
        Assert.True(impacts.Process(30 * Ms, 100, 0, FixedFloor));
        Assert.Equal(200, impacts.PeakJerk);
        Assert.Equal(20 * Ms, impacts.PeakNs);
    }

    [Fact]
    public void A_weak_impact_gives_way_to_a_harder_one_within_the_hold()
    {
        ImpactTracker impacts = new(new DspDetectorOptions());
        const double Reference = 400; // trigger 120 g/s; weak below 240 g/s

        Assert.False(impacts.Process(0, 150, Reference, FixedFloor));
        Assert.False(impacts.Process(10 * Ms, 200, Reference, FixedFloor));
        Assert.False(impacts.Process(20 * Ms, 100, Reference, FixedFloor)); // passed its peak, but weak: held
        Assert.False(impacts.Process(30 * Ms, 350, Reference, FixedFloor)); // > 1.5 × 200: the landing
        Assert.Equal(1, impacts.Superseded);
        Assert.True(impacts.Process(40 * Ms, 100, Reference, FixedFloor));
        Assert.Equal(350, impacts.PeakJerk);
    }

    [Fact]
    public void A_held_weak_impact_is_judged_when_the_hold_ends()
    {
        ImpactTracker impacts = new(new DspDetectorOptions { WeakImpactHoldMs = 60 });
        const double Reference = 400;
        impacts.Process(0, 200, Reference, FixedFloor);
        Assert.False(impacts.Process(10 * Ms, 100, Reference, FixedFloor));

        Assert.False(impacts.Process(60 * Ms, 0, Reference, FixedFloor));
        Assert.True(impacts.Process(70 * Ms, 0, Reference, FixedFloor));
        Assert.Equal(200, impacts.PeakJerk);
        Assert.Equal(0, impacts.Superseded);
    }

    [Fact]
    public void No_new_impact_starts_while_an_accepted_one_rings()
    {
        ImpactTracker impacts = new(new DspDetectorOptions());
        impacts.Accepted(0);

        impacts.Process(100 * Ms, 200, 0, FixedFloor);
        Assert.False(impacts.Process(110 * Ms, 10, 0, FixedFloor));

        impacts.Process(160 * Ms, 200, 0, FixedFloor);
        Assert.True(impacts.Process(170 * Ms, 10, 0, FixedFloor));
    }

    [Fact]
    public void A_stance_soon_after_an_accepted_impact_confirms_it_once()
    {
        StanceConfirmation confirmation = new(new DspDetectorOptions { StanceConfirmMs = 150, ConfirmWindowMs = 300 });
        confirmation.Expect(0);
        long confirmed = -1;
        int confirmations = 0;
        for (long t = 100 * Ms; t <= 600 * Ms; t += 10 * Ms)
        {
            if (confirmation.Process(t, quiet: true, out long onset))
            {
                confirmations++;
                confirmed = t;
                Assert.Equal(0, onset);
            }
        }

        Assert.Equal(1, confirmations);
        Assert.Equal(250 * Ms, confirmed);
    }

    [Fact]
    public void A_stance_too_long_after_the_impact_confirms_nothing()
    {
        StanceConfirmation confirmation = new(new DspDetectorOptions { StanceConfirmMs = 150, ConfirmWindowMs = 300 });
        confirmation.Expect(0);

        for (long t = 400 * Ms; t <= 800 * Ms; t += 10 * Ms)
        {
            Assert.False(confirmation.Process(t, quiet: true, out _));
        }
    }

    [Fact]
    public void Foot_signals_after_a_reset_repeat_the_first_run_exactly()
    {
        FootSignals signals = new(new DspDetectorOptions());
        double[] first = Walk(signals);
        signals.Reset();

        Assert.Equal(first, Walk(signals));
    }

    private static double[] Walk(FootSignals signals)
    {
        List<double> outputs = [];
        for (int i = 0; i < 600; i++)
        {
            // Stand for a second, then swing the foot at about 1 Hz with a jolt every stride.
            float swing = i < 100 ? 0 : MathF.Sin(i * 0.06f);
            Vector3 a = new(0.8f * swing, 0.1f * swing, 1 - (0.3f * swing) + (i % 100 == 50 ? 2 : 0));
            signals.Process(i * 10 * Ms, a);
            outputs.AddRange([signals.Jerk, signals.Deviation, signals.Swing, signals.Cosine, signals.Quiet ? 1 : 0]);
        }

        return [.. outputs];
    }

    [Fact]
    public void The_impact_floor_stays_fixed_on_a_walk_with_hard_landings()
    {
        ImpactFloor floor = new(new DspDetectorOptions());
        for (int i = 0; i < 2000; i++)
        {
            floor.Process(i * 5 * Ms, i % 200 == 0 ? 400 : 5, quiet: false);
        }

        Assert.Equal(50, floor.Value, 6);
    }

    [Fact]
    public void The_impact_floor_sinks_to_half_of_a_soft_sensors_landings_and_not_while_standing()
    {
        ImpactFloor floor = new(new DspDetectorOptions());
        Assert.Equal(50, floor.Value, 6);

        // Landings of 40 g/s once a second (a heavily low-passed sensor): after a few half-lives the floor is half of them.
        long t = 0;
        for (int i = 0; i < 4000; i++, t += 5 * Ms)
        {
            floor.Process(t, i % 200 == 0 ? 40 : 2, quiet: false);
        }

        Assert.InRange(floor.Value, 10, 20);
        double walking = floor.Value;

        // Standing still for a minute keeps the level the walk had.
        for (int i = 0; i < 12_000; i++, t += 5 * Ms)
        {
            floor.Process(t, 1, quiet: true);
        }

        Assert.Equal(walking, floor.Value, 6);
    }

    [Fact]
    public void A_zero_impact_floor_fraction_keeps_the_fixed_floor()
    {
        ImpactFloor floor = new(new DspDetectorOptions { ImpactFloorFraction = 0 });
        for (int i = 0; i < 4000; i++)
        {
            floor.Process(i * 5 * Ms, 1, quiet: false);
        }

        Assert.Equal(50, floor.Value, 6);
    }
}
