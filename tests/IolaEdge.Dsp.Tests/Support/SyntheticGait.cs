using System.Numerics;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Tests.Support;

/// <summary>
/// A small parametric foot-mounted gait for detector tests (the project's walk simulator is richer):
/// per stride, heel-strike ringing at the footfall, a quiet stance in the stance direction, a push-off
/// spike with the foot pitched, a low-g mid-swing, then a centripetal swing ramp ending at the next
/// footfall. Everything is expressed in the sensor frame through a mounting rotation, so tests can
/// check orientation invariance. Exact truth footfall times.
/// </summary>
internal sealed class SyntheticGait
{
    public double RateHz { get; init; } = 200;
    public double StrideMs { get; init; } = 1100;
    public double StrideJitter { get; init; } = 0.03;
    public double NoiseG { get; init; } = 0.02;
    public Quaternion Mounting { get; init; } = Quaternion.Identity;
    public long StartNs { get; init; } = 1_700_000_000_000L * 1_000_000;
    public double LeadInMs { get; init; } = 2000;
    public int Seed { get; init; } = 5;

    /// <summary>Forward thrust of the push-off spike, g.</summary>
    public double PushOffG { get; init; } = 1.8;

    /// <summary>Every this many strides, the stance is tilted 30° (a slope, a kerb) so it cannot confirm the landing; 0 = never.</summary>
    public int TiltedStanceEvery { get; init; }

    /// <summary>Peak of the other foot's landing as felt by this foot in mid-stance (half a stride after its own), g; 0 = none.</summary>
    public double OtherFootImpactG { get; init; }

    /// <summary>Peak of a short jolt in the late swing, starting 70 ms before each landing (a shoe catching, a shaky swing), g; 0 = none.</summary>
    public double LateSwingJoltG { get; init; }

    /// <summary>
    /// Extra braking in the last 150 ms before each landing (peak at 75 ms), g; 0 = none. Real feet brake and pitch so hard
    /// there that their acceleration turns far from the stance direction (ipol1-dev: cosine 0.5 about 70 ms before the
    /// landing); the default swing stays above 0.6. The gait tracker's landing cue needs it.
    /// </summary>
    public double LandingBrakeG { get; init; }

    /// <summary>Uneven ground: every stance tilted this much about a horizontal axis that turns by the golden angle each stride; 0 = flat.</summary>
    public double UnevenGroundDegrees { get; init; }

    /// <summary>Whether samples carry angular velocity (a gyroscope beside the accelerometer).</summary>
    public bool WithGyro { get; init; }

    /// <summary>
    /// The foot lands flat: the swing ends with the foot level and no forefoot comes down after the heel strike, so the
    /// pitch rate never reverses after a landing (a flat-footed or shuffling walker). The acceleration is unchanged.
    /// </summary>
    public bool FlatLanding { get; init; }

    /// <summary>From this stride on, the sensor sits with <see cref="Remounting"/> instead of <see cref="Mounting"/> (the strap was redone); -1 = never.</summary>
    public int RemountAtStride { get; init; } = -1;

    /// <summary>The mounting after <see cref="RemountAtStride"/>.</summary>
    public Quaternion Remounting { get; init; } = Quaternion.Identity;

    /// <summary>
    /// The walk ends with a closing step that brings the feet together, then 2 s standing: its heel rise, swing and pitch
    /// are a quarter of a stride's (the swing turns the foot 14° at about 100 °/s), and it lands with a quarter of the
    /// impact. Its footfall is the last truth.
    /// </summary>
    public bool ClosingStep { get; init; }

    // The closing step's share of a stride's rotations and accelerations, and the standing after it.
    private const double ClosingScale = 0.25;
    private const double StandAfterClosingMs = 2000;

    public static Quaternion RandomMounting(Random rng)
    {
        Quaternion q = new((float)Gauss(rng), (float)Gauss(rng), (float)Gauss(rng), (float)Gauss(rng));
        return Quaternion.Normalize(q);
    }

    /// <summary>Samples with both sensor and arrival time set to the true sample time, and the footfall times.</summary>
    public (ImuSample[] Samples, long[] FootfallsNs) Generate(int strides)
    {
        Random rng = new(Seed);
        double periodMs = 1000 / RateHz;
        List<double> footfallMs = [];
        double t = LeadInMs;
        for (int k = 0; k < strides; k++)
        {
            footfallMs.Add(t);
            t += StrideMs * (1 + (StrideJitter * Gauss(rng)));
        }

        if (ClosingStep)
        {
            footfallMs.Add(t);
            t += StandAfterClosingMs;
        }

        double endMs = t;
        int n = (int)(endMs / periodMs);
        ImuSample[] samples = new ImuSample[n];
        Vector3 up = Vector3.UnitZ;
        int next = 0;
        for (int i = 0; i < n; i++)
        {
            double ms = i * periodMs;
            while (next < footfallMs.Count - 1 && footfallMs[next + 1] <= ms)
            {
                next++;
            }

            Quaternion stance = StanceTilt(next);
            double stride = next + 1 < footfallMs.Count ? footfallMs[next + 1] - footfallMs[next] : StrideMs;
            double scale = ClosingStep && next == footfallMs.Count - 2 ? ClosingScale : 1;
            bool closed = ClosingStep && next == footfallMs.Count - 1;
            Vector3 a = ms < footfallMs[0] ? up : closed ? Standing(ms - footfallMs[next]) : Body(ms - footfallMs[next], stride, stance, scale);
            a += new Vector3((float)(Gauss(rng) * NoiseG), (float)(Gauss(rng) * NoiseG), (float)(Gauss(rng) * NoiseG));
            Quaternion mounting = RemountAtStride >= 0 && next >= RemountAtStride && ms >= footfallMs[0] ? Remounting : Mounting;
            Vector3 s = Vector3.Transform(a, mounting);
            long ns = StartNs + (long)(ms * 1e6);
            if (!WithGyro)
            {
                samples[i] = new ImuSample(0, i, ns, ns, s.X, s.Y, s.Z);
                continue;
            }

            Vector3 w = ms < footfallMs[0] ? Vector3.Zero : PitchRate(ms - footfallMs[next], stride, FlatLanding, closed ? 0 : scale, closed ? ClosingScale : 1);
            w += new Vector3((float)(0.5 + Gauss(rng)), (float)(0.5 + Gauss(rng)), (float)(0.5 + Gauss(rng)));
            Vector3 g = Vector3.Transform(w, mounting);
            samples[i] = new ImuSample(0, i, ns, ns, s.X, s.Y, s.Z, g.X, g.Y, g.Z);
        }

        long[] truth = new long[footfallMs.Count];
        for (int k = 0; k < truth.Length; k++)
        {
            truth[k] = StartNs + (long)(footfallMs[k] * 1e6);
        }

        return (samples, truth);
    }

    /// <summary>Acceleration in the foot frame (gravity reaction along +z in stance), at <paramref name="tau"/> ms after a footfall.</summary>
    private Quaternion StanceTilt(int stride)
    {
        if (UnevenGroundDegrees > 0)
        {
            double axis = stride * 137.5 * Math.PI / 180;
            return Quaternion.CreateFromAxisAngle(new Vector3((float)Math.Cos(axis), (float)Math.Sin(axis), 0), (float)(UnevenGroundDegrees * Math.PI / 180));
        }

        bool tilted = TiltedStanceEvery > 0 && stride % TiltedStanceEvery == TiltedStanceEvery - 1;
        return tilted ? Quaternion.CreateFromAxisAngle(Vector3.UnitY, (float)(30 * Math.PI / 180)) : Quaternion.Identity;
    }

    // Heel strike: a sharp pulse (peaking 6 ms after contact, so even a 100 Hz sensor sees it) and a decaying ringing
    // along the foot axis.
    private static Vector3 HeelStrike(double tau, double scale)
    {
        double pulse = 3 * scale * (tau / 6) * Math.Exp(1 - (tau / 6));
        double ring = 2.5 * scale * Math.Exp(-tau / 20) * Math.Cos(2 * Math.PI * 25 * tau / 1000);
        return Vector3.UnitZ + new Vector3((float)ring, 0, (float)(pulse + (ring * 0.5)));
    }

    // After the closing step's soft landing the walker stands still.
    private static Vector3 Standing(double tau) => tau < 60 ? HeelStrike(tau, ClosingScale) : Vector3.UnitZ;

    private Vector3 Body(double tau, double stride, Quaternion stanceTilt, double scale)
    {
        double f = tau / stride;
        Vector3 up = Vector3.UnitZ;
        if (tau < 60)
        {
            return HeelStrike(tau, 1);
        }

        if (f < 0.55)
        {
            Vector3 stance = Vector3.Transform(up, stanceTilt);
            double sinceOther = tau - (0.5 * stride);
            if (OtherFootImpactG > 0 && sinceOther >= 0 && sinceOther < 60)
            {
                // The other foot lands: its impact travels up one leg and down the other, mostly vertical.
                double ring = OtherFootImpactG * Math.Exp(-sinceOther / 20) * Math.Cos(2 * Math.PI * 40 * sinceOther / 1000);
                stance += new Vector3((float)(ring * 0.3), 0, (float)ring);
            }

            return stance;
        }

        if (f < 0.65)
        {
            // Push-off: the heel rises (pitch up to 45°) with a forward thrust spike.
            double p = (f - 0.55) / 0.10;
            Vector3 g = Pitch(up, 45 * scale * p);
            return g + new Vector3((float)(PushOffG * scale * Math.Sin(Math.PI * p)), 0, 0);
        }

        if (f < 0.8)
        {
            // Early swing: foot pitched, low g while it is lifted.
            return Pitch(up, 45 * scale) * (float)(1 - (0.25 * scale));
        }

        // Late swing: centripetal ramp as the leg swings through, peaking before contact, and the foot's
        // forward deceleration in the last part of the swing (real feet reach 2-3 g there).
        double q = (f - 0.8) / 0.2;
        Vector3 gravity = Pitch(up, 45 * scale * (1 - q));
        double c = 1.0 * scale * Math.Sin(Math.PI * Math.Min(1, q * 1.1));
        double brake = 2.5 * scale * Math.Sin(Math.PI * Math.Min(1, q * 1.1));
        double beforeLanding = stride - tau;
        if (LateSwingJoltG > 0 && beforeLanding is > 50 and <= 70)
        {
            brake += LateSwingJoltG * Math.Sin(Math.PI * (70 - beforeLanding) / 20);
        }

        if (LandingBrakeG > 0 && beforeLanding <= 150)
        {
            brake += LandingBrakeG * Math.Sin(Math.PI * (150 - beforeLanding) / 150);
        }

        return gravity + new Vector3((float)-brake, 0, (float)c);
    }

    /// <summary>
    /// Angular velocity in the foot frame (°/s about y, the medio-lateral axis), consistent with <see cref="Body"/>:
    /// the heel rises 45° in the push-off, the foot swings back through level to 10° toe-up in the late swing,
    /// and the forefoot comes down in the first 60 ms after the heel strike; landing flat, the swing ends level. The
    /// stride's rotations are scaled by <paramref name="scale"/>, the forefoot's by <paramref name="landingScale"/>.
    /// </summary>
    private static Vector3 PitchRate(double tau, double stride, bool flat, double scale, double landingScale)
    {
        double f = tau / stride;
        double rate = 0;
        if (tau < 60)
        {
            rate = flat ? 0 : Lobe(10 * landingScale, 60, tau / 60);
        }
        else if (f is >= 0.55 and < 0.65)
        {
            rate = Lobe(45 * scale, 0.10 * stride, (f - 0.55) / 0.10);
        }
        else if (f >= 0.8)
        {
            rate = -Lobe((flat ? 45 : 55) * scale, 0.20 * stride, (f - 0.8) / 0.2);
        }

        return new Vector3(0, (float)rate, 0);
    }

    // A half-sine rate profile that turns through `degrees` over `ms`, at phase `p` in [0, 1].
    private static double Lobe(double degrees, double ms, double p) => degrees / (ms / 1000) * (Math.PI / 2) * Math.Sin(Math.PI * p);

    private static Vector3 Pitch(Vector3 v, double degrees) =>
        Vector3.Transform(v, Quaternion.CreateFromAxisAngle(Vector3.UnitY, (float)(degrees * Math.PI / 180)));

    private static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
