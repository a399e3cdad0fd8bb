using IolaEdge.Simulation;
using IolaEdge.Simulation.Tests.Support;

namespace IolaEdge.Simulation.Tests;

public sealed class GaitModelTests
{
    private static float Magnitude(SimulatedSample s) =>
        MathF.Sqrt((s.Sample.X * s.Sample.X) + (s.Sample.Y * s.Sample.Y) + (s.Sample.Z * s.Sample.Z));

    [Fact]
    public void A_random_mounting_rotation_preserves_the_magnitude_of_every_sample()
    {
        WalkOptions aligned = new()
        {
            Seed = 3, Duration = TimeSpan.FromMinutes(1), Mounting = MountingMode.Aligned,
            NoiseG = 0, DriftDegrees = 0, RangeG = 64,
        };
        SimulatedWalk a = SimulatedWalk.Run(aligned, DeliveryOptions.Ideal);
        SimulatedWalk r = SimulatedWalk.Run(aligned with { Mounting = MountingMode.Random }, DeliveryOptions.Ideal);

        Assert.Equal(a.Samples.Count, r.Samples.Count);
        bool rotated = false;
        for (int i = 0; i < a.Samples.Count; i++)
        {
            // 16-bit quantisation at ±64 g: 2 mg per axis.
            Assert.Equal(Magnitude(a.Samples[i]), Magnitude(r.Samples[i]), 0.006f);
            rotated |= MathF.Abs(a.Samples[i].Sample.Z - r.Samples[i].Sample.Z) > 0.1f;
        }

        Assert.True(rotated);
    }

    [Fact]
    public void Standing_still_reads_one_g_of_gravity_in_the_sensor_frame()
    {
        WalkOptions walk = new() { Seed = 5, Duration = TimeSpan.FromSeconds(10), InitialStillSeconds = 3 };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.Ideal);

        double sum = 0;
        int n = 0;
        foreach (SimulatedSample s in w.Samples)
        {
            if (s.TruthSensorTimeNs - WalkSimulator.DefaultStartNs < 2_500_000_000)
            {
                sum += Magnitude(s);
                n++;
            }
        }

        Assert.Equal(1.0, sum / n, 0.03);
    }

    [Fact]
    public void Random_mountings_cover_the_sphere_of_gravity_directions()
    {
        int up = 0;
        int down = 0;
        int sideways = 0;
        for (int seed = 1; seed <= 40; seed++)
        {
            WalkOptions walk = new() { Seed = seed, Duration = TimeSpan.FromSeconds(1), InitialStillSeconds = 2, NoiseG = 0 };
            SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.Ideal);
            float z = w.Samples[0].Sample.Z;
            up += z > 0.5f ? 1 : 0;
            down += z < -0.5f ? 1 : 0;
            sideways += MathF.Abs(z) < 0.5f ? 1 : 0;
        }

        // Uniform on SO(3): gravity's z component is uniform on [-1, 1].
        Assert.InRange(up, 3, 20);
        Assert.InRange(down, 3, 20);
        Assert.InRange(sideways, 8, 32);
    }

    [Fact]
    public void Heel_strikes_make_impacts_of_several_g_and_walking_stays_within_the_range()
    {
        WalkOptions walk = new() { Seed = 11, Duration = TimeSpan.FromMinutes(2), RangeG = 4 };
        SimulatedWalk w = SimulatedWalk.Run(walk, DeliveryOptions.Ideal);

        int index = 0;
        List<float> peaks = [];
        foreach (long footfall in w.Footfalls)
        {
            float peak = 0;
            while (index < w.Samples.Count && w.Samples[index].TruthSensorTimeNs < footfall + 60_000_000)
            {
                if (w.Samples[index].TruthSensorTimeNs >= footfall)
                {
                    peak = MathF.Max(peak, Magnitude(w.Samples[index]));
                }

                index++;
            }

            peaks.Add(peak);
        }

        peaks.Sort();
        Assert.InRange(peaks[peaks.Count / 2], 2.5f, 6.0f);
        Assert.All(w.Samples, s =>
        {
            Assert.InRange(s.Sample.X, -4f, 4f);
            Assert.InRange(s.Sample.Y, -4f, 4f);
            Assert.InRange(s.Sample.Z, -4f, 4f);
        });
    }

    [Fact]
    public void Options_outside_their_range_are_rejected_by_name()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(
            () => new WalkSimulator(new WalkOptions { CadenceMin = 50 }, DeliveryOptions.Ideal));
        Assert.Contains("CadenceMin", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentOutOfRangeException>(
            () => new WalkSimulator(new WalkOptions(), DeliveryOptions.Seed with { ConnectionIntervalMs = 5 }));
        Assert.Contains("ConnectionIntervalMs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_simulator_allocates_nothing_per_sample_in_steady_state()
    {
        WalkSimulator sim = new(new WalkOptions { Seed = 2, Duration = TimeSpan.FromMinutes(40) }, DeliveryOptions.Seed);
        long delivered = 0;
        double checksum = 0;
        void Drain(int count)
        {
            for (int i = 0; i < count && sim.TryNext(out SimulatedSample s); i++)
            {
                checksum += s.Sample.X;
                delivered++;
                while (sim.TryTakeFootfall(s.Sample.ArrivalTimeNs, out long f))
                {
                    checksum += f;
                }
            }
        }

        // Warm-up covers one-time work (type initialisation, tiered JIT) before the steady state.
        Drain(20_000);
        ThreadAllocations allocations = ThreadAllocations.Start();
        Drain(150_000);
        long allocated = allocations.Bytes;

        Assert.Equal(170_000, delivered);
        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(checksum));
    }
}
