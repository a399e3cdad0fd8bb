using IolaEdge.Simulation;
using IolaEdge.Simulation.Tests.Support;

namespace IolaEdge.Simulation.Tests;

/// <summary>
/// A walker who lands flat-footed (<c>landing=flat</c>): the foot arrives level and no forefoot-down rotation (foot
/// slap) follows the contact, while the strides, contacts and impacts stay those of the heel-strike walk of the seed.
/// </summary>
public sealed class FlatFootedLandingTests
{
    private const long Period = 5_000_000;
    private const long AfterContactNs = 150_000_000;

    private static WalkOptions Aligned(int seed, LandingStyle landing) => new()
    {
        Seed = seed, Duration = TimeSpan.FromMinutes(2), Mounting = MountingMode.Aligned, DriftDegrees = 0, Landing = landing,
    };

    /// <summary>The foot's pitch rate (toe up positive, the swing's sign) in an aligned mount: −ω about y (y points left).</summary>
    private static float PitchRate(SimulatedSample s) => -s.Sample.AngularVelocityY;

    private static float Magnitude(SimulatedSample s) =>
        MathF.Sqrt((s.Sample.X * s.Sample.X) + (s.Sample.Y * s.Sample.Y) + (s.Sample.Z * s.Sample.Z));

    /// <summary>The lowest pitch rate in the 150 ms after each truth contact that has them all inside the walk.</summary>
    private static List<float> LowestPitchRateAfterEachContact(SimulatedWalk w)
    {
        List<float> lowest = [];
        foreach (long contact in w.Footfalls)
        {
            List<SimulatedSample> after = w.Samples.FindAll(s => s.TruthSensorTimeNs >= contact && s.TruthSensorTimeNs < contact + AfterContactNs);
            if (after.Count == AfterContactNs / Period)
            {
                lowest.Add(after.Min(PitchRate));
            }
        }

        return lowest;
    }

    /// <summary>The foot's pitch angle change, in degrees, over the samples taken in [from, to) (rectangle rule).</summary>
    private static double PitchChange(SimulatedWalk w, long from, long to) =>
        w.Samples.Where(s => s.TruthSensorTimeNs >= from && s.TruthSensorTimeNs < to).Sum(s => (double)PitchRate(s)) * Period / 1e9;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void A_flat_footed_walker_never_turns_the_forefoot_down_after_a_contact(int seed)
    {
        SimulatedWalk flat = SimulatedWalk.Run(Aligned(seed, LandingStyle.Flat), DeliveryOptions.Ideal);
        List<float> flatLowest = LowestPitchRateAfterEachContact(flat);
        Assert.True(flatLowest.Count > 100);

        // Bias (σ 1 °/s) and noise (σ 0.5 °/s) aside, the pitch rate stays near zero after every contact: no foot slap.
        Assert.All(flatLowest, lowest => Assert.True(lowest > -30, $"seed {seed}: {lowest} °/s within 150 ms of a contact"));

        // The heel-strike walk of the same seed slaps the forefoot down (≈ −243 °/s) after (almost) every contact.
        List<float> heelLowest = LowestPitchRateAfterEachContact(SimulatedWalk.Run(Aligned(seed, LandingStyle.Heel), DeliveryOptions.Ideal));
        Assert.True(heelLowest.Count(lowest => lowest < -150) > 0.9 * heelLowest.Count,
            $"seed {seed}: {heelLowest.Count(lowest => lowest < -150)} of {heelLowest.Count} heel strikes below −150 °/s");
    }

    [Fact]
    public void A_flat_footed_walkers_foot_arrives_level_and_its_pitch_does_not_drift_over_the_walk()
    {
        // A clean channel (noise 0: no gyroscope bias either), so the integral is the model's pitch angle.
        WalkOptions walk = Aligned(5, LandingStyle.Flat) with { NoiseG = 0, Duration = TimeSpan.FromMinutes(3) };
        SimulatedWalk flat = SimulatedWalk.Run(walk, DeliveryOptions.Ideal);
        SimulatedWalk heel = SimulatedWalk.Run(walk with { Landing = LandingStyle.Heel }, DeliveryOptions.Ideal);
        Assert.True(flat.Footfalls.Count > 150);

        for (int f = 1; f < flat.Footfalls.Count; f++)
        {
            long from = flat.Footfalls[f - 1], to = flat.Footfalls[f];

            // A whole stride (pauses included) turns the foot back to where it was.
            double stride = PitchChange(flat, from, to);
            Assert.True(Math.Abs(stride) < 0.5, $"stride {f}: {stride:F2}° over the stride");

            // From flat in stance (30 % into the stride) the heel rise and the swing bring the foot back level at the
            // contact; a heel strike arrives ≈ 18° toe-up instead.
            long stance = from + ((to - from) * 3 / 10);
            double arrival = PitchChange(flat, stance, to);
            Assert.True(Math.Abs(arrival) < 1, $"stride {f}: the foot arrives {arrival:F2}° toe-up");
            Assert.InRange(PitchChange(heel, stance, to), 15, 22);
        }

        // From standing flat at the start to the last contact (the walk may end mid-stride) the foot is level again.
        Assert.InRange(PitchChange(flat, long.MinValue, flat.Footfalls[^1]), -2, 2);
    }

    [Fact]
    public void A_flat_footed_walk_keeps_the_strides_contacts_and_impacts_of_the_heel_strike_walk_of_its_seed()
    {
        WalkOptions walk = new() { Seed = 11, Duration = TimeSpan.FromMinutes(2), RangeG = 4 };
        SimulatedWalk heel = SimulatedWalk.Run(walk, DeliveryOptions.Seed);
        SimulatedWalk flat = SimulatedWalk.Run(walk with { Landing = LandingStyle.Flat }, DeliveryOptions.Seed);
        Assert.Equal(heel.Footfalls, flat.Footfalls);
        Assert.Equal(heel.Samples.Select(s => (s.TruthIndex, s.Sample.ArrivalTimeNs)), flat.Samples.Select(s => (s.TruthIndex, s.Sample.ArrivalTimeNs)));

        // Only the pitch around the contacts differs: from 250 to 600 ms after a contact the acceleration is identical.
        int contact = 0;
        int compared = 0;
        var peaks = new List<float>();
        float peak = 0;
        for (int i = 0; i < flat.Samples.Count; i++)
        {
            long t = flat.Samples[i].TruthSensorTimeNs;
            while (contact < flat.Footfalls.Count && flat.Footfalls[contact] <= t)
            {
                if (contact > 0)
                {
                    peaks.Add(peak);
                }

                contact++;
                peak = 0;
            }

            if (contact == 0)
            {
                continue;
            }

            long since = t - flat.Footfalls[contact - 1];
            if (since is >= 250_000_000 and <= 600_000_000)
            {
                Assert.Equal((heel.Samples[i].Sample.X, heel.Samples[i].Sample.Y, heel.Samples[i].Sample.Z),
                    (flat.Samples[i].Sample.X, flat.Samples[i].Sample.Y, flat.Samples[i].Sample.Z));
                compared++;
            }
            else if (since < 60_000_000)
            {
                peak = MathF.Max(peak, Magnitude(flat.Samples[i]));
            }
        }

        Assert.True(compared > 1000);

        // A flat foot still strikes the ground: the impact transient is kept (as Heel_strikes_make_impacts_of_several_g…).
        peaks.Sort();
        Assert.InRange(peaks[peaks.Count / 2], 2.5f, 6.0f);
    }

    [Fact]
    public void The_spec_key_landing_makes_a_flat_footed_walker_and_round_trips()
    {
        SimulationSpec flat = SimulationSpec.Parse("sim:seed=42,minutes=3,preset=ideal,mount=random,landing=flat");
        Assert.Equal(LandingStyle.Flat, flat.Walk.Landing);
        Assert.True(flat.Walk.Gyroscope);
        Assert.Contains(",gyro=on,landing=flat,", flat.ToString(), StringComparison.Ordinal);
        Assert.Equal(flat, SimulationSpec.Parse(flat.ToString()));

        SimulationSpec heel = SimulationSpec.Parse("sim:seed=42");
        Assert.Equal(LandingStyle.Heel, heel.Walk.Landing);
        Assert.Equal(heel, SimulationSpec.Parse("sim:seed=42,landing=heel"));
        Assert.Contains(",landing=heel,", heel.ToString(), StringComparison.Ordinal);
        Assert.Equal(heel, SimulationSpec.Parse(heel.ToString()));
        Assert.Equal("gyro", SimulationSpec.Keys[SimulationSpec.Keys.ToList().IndexOf("landing") - 1]);

        Assert.False(SimulationSpec.TryParse("sim:landing=toe", out _, out string? error));
        Assert.Equal("sim spec: key 'landing' has value 'toe'; allowed: heel or flat.", error);
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
    }
}
