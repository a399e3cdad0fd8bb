using System.Globalization;
using System.Text;

namespace IolaEdge.Simulation;

/// <summary>
/// A simulated source described in one string, as given to <c>--source</c>:
/// <c>sim:seed=7,minutes=10,cadence=90-120,preset=seed,mount=random</c>.
/// </summary>
/// <remarks>
/// Keys (all optional; defaults in brackets): <c>seed</c> integer [1]; <c>minutes</c> (0, 1440] [10];
/// <c>cadence</c> steps/min as <c>lo-hi</c> or one value, within [75, 171.4] [100-116];
/// <c>preset</c> seed | packed75 | ideal [seed]; <c>mount</c> random | aligned [random];
/// <c>range</c> 2 | 4 | 8 | 16 g [16]; <c>noise</c> g [0.01]; <c>drift</c> degrees [4];
/// <c>pauses</c>, <c>turns</c> and <c>gyro</c> on | off [on]; <c>landing</c> heel | flat [heel] (flat: the foot
/// lands level, no forefoot-down rotation after the contact); <c>skew</c> ppm [0]; <c>pace</c> fast | realtime [fast];
/// <c>speed</c> (0, 1000] [1]; <c>start</c> ISO-8601 UTC [2026-01-01T00:00:00Z];
/// <c>times</c> raw | truth [raw] (truth sets SensorTimeNs); <c>sensor</c> id 0-255 [0];
/// <c>interval</c> connection interval in ms, [7.5, 50] [preset's]; <c>loss</c> random notification
/// loss probability, [0, 0.5] [preset's] (neither applies to preset=ideal).
/// </remarks>
public sealed record SimulationSpec
{
    /// <summary>The prefix that marks a simulated source.</summary>
    public const string Prefix = "sim:";

    /// <summary>Every key the spec accepts, in documentation order.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["seed", "minutes", "cadence", "preset", "mount", "range", "noise", "drift", "pauses", "turns", "gyro", "landing", "skew", "pace", "speed", "start", "times", "sensor", "interval", "loss"];

    /// <summary>Gait and sensor parameters.</summary>
    public WalkOptions Walk { get; init; } = new();

    /// <summary>Delivery preset name (<see cref="DeliveryOptions.PresetNames"/>).</summary>
    public string Preset { get; init; } = "seed";

    /// <summary>Delivery parameters.</summary>
    public DeliveryOptions Delivery { get; init; } = DeliveryOptions.Seed;

    /// <summary>Delivery pace.</summary>
    public SimulationPace Pace { get; init; } = SimulationPace.Fast;

    /// <summary>Speed factor for <see cref="SimulationPace.RealTime"/> (2 = twice as fast as real time).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Session-clock time of the first sample, in epoch ns.</summary>
    public long StartNs { get; init; } = WalkSimulator.DefaultStartNs;

    /// <summary>Whether delivered samples carry their true sensor time (otherwise 0, as a live source).</summary>
    public bool TruthSensorTimes { get; init; }

    /// <summary>Sensor id stamped on the samples.</summary>
    public int SensorId { get; init; }

    /// <summary>Connection interval given with <c>interval=</c> (overrides the preset's), in ms.</summary>
    public double? IntervalMs { get; init; }

    /// <summary>Random notification loss given with <c>loss=</c> (overrides the preset's).</summary>
    public double? LossProbability { get; init; }

    /// <summary>True when <paramref name="source"/> names a simulated source (starts with <c>sim:</c> or is <c>sim</c>).</summary>
    public static bool IsSimulation(string source) =>
        source is not null && (source == "sim" || source.StartsWith(Prefix, StringComparison.Ordinal));

    /// <summary>Parses a spec; see the type remarks for keys and ranges.</summary>
    /// <exception cref="FormatException">A bad key or value; the message names the key, the value and what is allowed.</exception>
    public static SimulationSpec Parse(string text) =>
        TryParse(text, out SimulationSpec? spec, out string? error) ? spec : throw new FormatException(error);

    /// <summary>Parses a spec without throwing.</summary>
    /// <returns>False with <paramref name="error"/> naming the key, the value and what is allowed.</returns>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SimulationSpec? spec,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        spec = null;
        if (text is null || !IsSimulation(text))
        {
            error = $"A simulated source starts with '{Prefix}' (e.g. sim:seed=7,minutes=10); got '{text}'.";
            return false;
        }

        string body = text.Length > Prefix.Length ? text[Prefix.Length..] : string.Empty;
        WalkOptions walk = new();
        SimulationSpec result = new();
        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (string part in body.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                error = $"sim spec: '{part}' is not key=value; keys: {string.Join(", ", Keys)}.";
                return false;
            }

            string key = part[..eq].Trim().ToLowerInvariant();
            string value = part[(eq + 1)..].Trim();
            if (!seen.Add(key))
            {
                error = $"sim spec: key '{key}' is given twice.";
                return false;
            }

            error = Apply(key, value, ref walk, ref result);
            if (error is not null)
            {
                return false;
            }
        }

        result = result with { Walk = walk };
        if (result.IntervalMs is not null || result.LossProbability is not null)
        {
            if (result.Delivery.Immediate)
            {
                error = $"sim spec: keys 'interval' and 'loss' do not apply to preset={result.Preset}; use seed or packed75.";
                return false;
            }

            DeliveryOptions d = result.Delivery;
            if (result.IntervalMs is double interval)
            {
                d = d with
                {
                    ConnectionIntervalMs = interval,
                    IntervalJitterMs = Math.Min(d.IntervalJitterMs, interval / 4),
                    NotificationSpacingMs = Math.Min(d.NotificationSpacingMs, interval),
                };
            }

            if (result.LossProbability is double loss)
            {
                d = d with { RandomLossProbability = loss };
            }

            result = result with { Delivery = d };
        }
        try
        {
            walk.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            error = $"sim spec: {e.Message}";
            return false;
        }

        spec = result;
        error = null;
        return true;
    }

    /// <summary>The canonical spec text (every key, parseable back to an equal spec).</summary>
    public override string ToString()
    {
        WalkOptions w = Walk;
        StringBuilder b = new(Prefix);
        b.Append(CultureInfo.InvariantCulture, $"seed={w.Seed},minutes={w.Duration.TotalMinutes:0.###},cadence={w.CadenceMin:0.###}-{w.CadenceMax:0.###}");
        b.Append(CultureInfo.InvariantCulture, $",preset={Preset},mount={(w.Mounting == MountingMode.Random ? "random" : "aligned")},range={w.RangeG:0.###}");
        b.Append(CultureInfo.InvariantCulture, $",noise={w.NoiseG:0.####},drift={w.DriftDegrees:0.###},pauses={OnOff(w.Pauses)},turns={OnOff(w.Turns)},gyro={OnOff(w.Gyroscope)},landing={(w.Landing == LandingStyle.Flat ? "flat" : "heel")},skew={w.ClockSkewPpm:0.###}");
        b.Append(CultureInfo.InvariantCulture, $",pace={(Pace == SimulationPace.Fast ? "fast" : "realtime")},speed={Speed:0.###}");
        b.Append(CultureInfo.InvariantCulture, $",start={new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(StartNs / 100):yyyy-MM-ddTHH:mm:ss.fffZ}");
        b.Append(CultureInfo.InvariantCulture, $",times={(TruthSensorTimes ? "truth" : "raw")},sensor={SensorId}");
        if (IntervalMs is double interval)
        {
            b.Append(CultureInfo.InvariantCulture, $",interval={interval:0.###}");
        }

        if (LossProbability is double loss)
        {
            b.Append(CultureInfo.InvariantCulture, $",loss={loss:0.######}");
        }
        return b.ToString();
    }

    private static string OnOff(bool on) => on ? "on" : "off";

    private static string? Apply(string key, string value, ref WalkOptions walk, ref SimulationSpec spec)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        switch (key)
        {
            case "seed":
                if (!long.TryParse(value, NumberStyles.Integer, inv, out long seed))
                {
                    return Bad(key, value, "an integer");
                }

                walk = walk with { Seed = seed };
                return null;
            case "minutes":
                if (!TryDouble(value, out double minutes) || minutes <= 0 || minutes > 1440)
                {
                    return Bad(key, value, "a number of minutes in (0, 1440]");
                }

                walk = walk with { Duration = TimeSpan.FromMinutes(minutes) };
                return null;
            case "cadence":
                string range = FormattableString.Invariant($"steps/min within [{WalkOptions.MinCadence}, {WalkOptions.MaxCadence:0.#}] as lo-hi or one value (stride period 0.7-1.6 s)");
                string[] ends = value.Split('-', StringSplitOptions.TrimEntries);
                if (ends.Length is < 1 or > 2 || !TryDouble(ends[0], out double lo) || !TryDouble(ends[^1], out double hi)
                    || lo > hi || lo < WalkOptions.MinCadence || hi > WalkOptions.MaxCadence + 1e-9)
                {
                    return Bad(key, value, range);
                }

                walk = walk with { CadenceMin = lo, CadenceMax = Math.Min(hi, WalkOptions.MaxCadence) };
                return null;
            case "preset":
                if (!DeliveryOptions.PresetNames.Contains(value))
                {
                    return Bad(key, value, $"one of {string.Join(", ", DeliveryOptions.PresetNames)}");
                }

                spec = spec with { Preset = value, Delivery = DeliveryOptions.FromPreset(value) };
                return null;
            case "mount":
                MountingMode? mode = value switch { "random" => MountingMode.Random, "aligned" => MountingMode.Aligned, _ => null };
                if (mode is null)
                {
                    return Bad(key, value, "one of random, aligned");
                }

                walk = walk with { Mounting = mode.Value };
                return null;
            case "range":
                if (!TryDouble(value, out double g) || g is not (2 or 4 or 8 or 16))
                {
                    return Bad(key, value, "one of 2, 4, 8, 16 (g)");
                }

                walk = walk with { RangeG = g };
                return null;
            case "noise":
                if (!TryDouble(value, out double noise) || noise < 0 || noise > 1)
                {
                    return Bad(key, value, "a standard deviation in g within [0, 1]");
                }

                walk = walk with { NoiseG = noise };
                return null;
            case "drift":
                if (!TryDouble(value, out double drift) || drift < 0 || drift > 45)
                {
                    return Bad(key, value, "degrees within [0, 45]");
                }

                walk = walk with { DriftDegrees = drift };
                return null;
            case "pauses":
            case "turns":
            case "gyro":
                bool? on = value switch { "on" => true, "off" => false, _ => null };
                if (on is null)
                {
                    return Bad(key, value, "on or off");
                }

                walk = key switch
                {
                    "pauses" => walk with { Pauses = on.Value },
                    "turns" => walk with { Turns = on.Value },
                    _ => walk with { Gyroscope = on.Value },
                };
                return null;
            case "landing":
                LandingStyle? landing = value switch { "heel" => LandingStyle.Heel, "flat" => LandingStyle.Flat, _ => null };
                if (landing is null)
                {
                    return Bad(key, value, "heel or flat");
                }

                walk = walk with { Landing = landing.Value };
                return null;
            case "skew":
                if (!TryDouble(value, out double ppm) || Math.Abs(ppm) > 50_000)
                {
                    return Bad(key, value, "parts per million within [-50000, 50000]");
                }

                walk = walk with { ClockSkewPpm = ppm };
                return null;
            case "pace":
                SimulationPace? pace = value switch { "fast" => SimulationPace.Fast, "realtime" => SimulationPace.RealTime, _ => null };
                if (pace is null)
                {
                    return Bad(key, value, "fast or realtime");
                }

                spec = spec with { Pace = pace.Value };
                return null;
            case "speed":
                if (!TryDouble(value, out double speed) || speed <= 0 || speed > 1000)
                {
                    return Bad(key, value, "a factor within (0, 1000]");
                }

                spec = spec with { Speed = speed };
                return null;
            case "start":
                if (!DateTimeOffset.TryParse(value, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset start)
                    || start.UtcDateTime.Year < 1970 || start.UtcDateTime.Year > 2200)
                {
                    return Bad(key, value, "an ISO-8601 UTC time such as 2026-01-01T00:00:00Z (years 1970-2200)");
                }

                spec = spec with { StartNs = (start.UtcTicks - DateTime.UnixEpoch.Ticks) * 100 };
                return null;
            case "times":
                bool? truth = value switch { "truth" => true, "raw" => false, _ => null };
                if (truth is null)
                {
                    return Bad(key, value, "raw (SensorTimeNs = 0, like a live source) or truth");
                }

                spec = spec with { TruthSensorTimes = truth.Value };
                return null;
            case "sensor":
                if (!int.TryParse(value, NumberStyles.Integer, inv, out int id) || id is < 0 or > 255)
                {
                    return Bad(key, value, "an integer within [0, 255]");
                }

                spec = spec with { SensorId = id };
                return null;
            case "interval":
                if (!TryDouble(value, out double intervalMs) || intervalMs < 7.5 || intervalMs > 50)
                {
                    return Bad(key, value, "a connection interval in ms within [7.5, 50]");
                }

                spec = spec with { IntervalMs = intervalMs };
                return null;
            case "loss":
                if (!TryDouble(value, out double lossProbability) || lossProbability < 0 || lossProbability > 0.5)
                {
                    return Bad(key, value, "a probability within [0, 0.5]");
                }

                spec = spec with { LossProbability = lossProbability };
                return null;
            default:
                return $"sim spec: unknown key '{key}'; allowed keys: {string.Join(", ", Keys)}.";
        }
    }

    private static bool TryDouble(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Bad(string key, string value, string allowed) =>
        $"sim spec: key '{key}' has value '{value}'; allowed: {allowed}.";
}
