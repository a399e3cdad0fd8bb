namespace IolaEdge.Simulation;

/// <summary>
/// Parameters of the simulated walker and sensor (gait, mounting, noise, range). Defaults give a
/// ten-minute walk calibrated against the seed recording (see docs/simulator.md).
/// </summary>
public sealed record WalkOptions
{
    /// <summary>Shortest gait cycle (heel strike to heel strike of the same foot) the model allows, in s.</summary>
    public const double MinStridePeriodSeconds = 0.7;

    /// <summary>Longest gait cycle the model allows, in s.</summary>
    public const double MaxStridePeriodSeconds = 1.6;

    /// <summary>Lowest cadence allowed, in steps (both feet) per minute: 120 / <see cref="MaxStridePeriodSeconds"/>.</summary>
    public const double MinCadence = 120 / MaxStridePeriodSeconds;

    /// <summary>Highest cadence allowed, in steps per minute: 120 / <see cref="MinStridePeriodSeconds"/>.</summary>
    public const double MaxCadence = 120 / MinStridePeriodSeconds;

    /// <summary>Seed of every random choice; the same seed and options give the same walk.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Length of the walk (standing still included).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Lowest cadence, in steps (both feet) per minute; the instrumented foot lands at half this rate.</summary>
    public double CadenceMin { get; init; } = 100;

    /// <summary>Highest cadence, in steps per minute. The cadence wanders within [min, max] during the walk.</summary>
    public double CadenceMax { get; init; } = 116;

    /// <summary>Sensor output data rate, in Hz (MetaMotion: 200).</summary>
    public double SampleRateHz { get; init; } = 200;

    /// <summary>Sensor clock error in parts per million (its true rate is SampleRateHz × (1 + ppm·1e-6)).</summary>
    public double ClockSkewPpm { get; init; }

    /// <summary>How the sensor is mounted on the foot.</summary>
    public MountingMode Mounting { get; init; } = MountingMode.Random;

    /// <summary>Full-scale range per axis, in g; values beyond are clipped (MetaMotion: 2, 4, 8 or 16).</summary>
    public double RangeG { get; init; } = 16;

    /// <summary>White sensor noise per axis, standard deviation in g.</summary>
    public double NoiseG { get; init; } = 0.01;

    /// <summary>Slow mounting drift (strap slip): typical excursion of the drift angle, in degrees (0 = none).</summary>
    public double DriftDegrees { get; init; } = 4;

    /// <summary>Whether the walker stops now and then (standing still for 2–8 s, about once every 90 s).</summary>
    public bool Pauses { get; init; } = true;

    /// <summary>Whether the walker turns now and then (lateral acceleration over 2–4 strides).</summary>
    public bool Turns { get; init; } = true;

    /// <summary>
    /// Whether the sensor has a gyroscope: samples then carry angular velocity (°/s, ±2000 °/s, 16 bits) consistent
    /// with the gait and the mounting; false gives acceleration-only walks.
    /// </summary>
    public bool Gyroscope { get; init; } = true;

    /// <summary>
    /// How the foot lands: <see cref="LandingStyle.Heel"/> (toe-up at the contact, then the forefoot comes down) or
    /// <see cref="LandingStyle.Flat"/> (level at the contact, no forefoot-down rotation after it).
    /// </summary>
    public LandingStyle Landing { get; init; } = LandingStyle.Heel;

    /// <summary>Standing still before the first step, in s.</summary>
    public double InitialStillSeconds { get; init; } = 2;

    /// <summary>Checks every value; throws naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public void Validate()
    {
        Check(Duration > TimeSpan.Zero && Duration <= TimeSpan.FromDays(1), nameof(Duration), Duration, "(0, 24 h]");
        Check(CadenceMin >= MinCadence && CadenceMin <= MaxCadence, nameof(CadenceMin), CadenceMin, $"[{MinCadence}, {MaxCadence:0.#}] steps/min");
        Check(CadenceMax >= CadenceMin && CadenceMax <= MaxCadence, nameof(CadenceMax), CadenceMax, $"[CadenceMin, {MaxCadence:0.#}] steps/min");
        Check(SampleRateHz >= 10 && SampleRateHz <= 1600, nameof(SampleRateHz), SampleRateHz, "[10, 1600] Hz");
        Check(Math.Abs(ClockSkewPpm) <= 50_000, nameof(ClockSkewPpm), ClockSkewPpm, "[-50000, 50000] ppm");
        Check(RangeG >= 2 && RangeG <= 64, nameof(RangeG), RangeG, "[2, 64] g");
        Check(NoiseG >= 0 && NoiseG <= 1, nameof(NoiseG), NoiseG, "[0, 1] g");
        Check(DriftDegrees >= 0 && DriftDegrees <= 45, nameof(DriftDegrees), DriftDegrees, "[0, 45] degrees");
        Check(Enum.IsDefined(Landing), nameof(Landing), Landing, "Heel or Flat");
        Check(InitialStillSeconds >= 0 && InitialStillSeconds <= 600, nameof(InitialStillSeconds), InitialStillSeconds, "[0, 600] s");
    }

    private static void Check(bool ok, string name, object value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is outside {range}.");
        }
    }
}
