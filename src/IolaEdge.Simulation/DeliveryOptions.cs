namespace IolaEdge.Simulation;

/// <summary>
/// Parameters of the BLE delivery model between the sensor and the process: packing, connection
/// events, per-event limits, losses and OS delay. See docs/simulator.md for the model and the
/// measurements behind the presets.
/// </summary>
public sealed record DeliveryOptions
{
    /// <summary>Names accepted by <see cref="FromPreset"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["seed", "packed75", "ideal"];

    /// <summary>
    /// Each sample arrives at the instant it is taken (no BLE at all). All other values are ignored.
    /// </summary>
    public bool Immediate { get; init; }

    /// <summary>Samples per notification: 1 (plain MetaWear stream) or 3 (packed stream).</summary>
    public int SamplesPerNotification { get; init; } = 1;

    /// <summary>Connection interval in ms (BLE: 7.5–4000 in 1.25 ms steps; this model takes 7.5–50).</summary>
    public double ConnectionIntervalMs { get; init; } = 48.75;

    /// <summary>Standard deviation of each connection event's time around its schedule, in ms.</summary>
    public double IntervalJitterMs { get; init; } = 0.7;

    /// <summary>Most notifications delivered in one connection event while the link is good.</summary>
    public int NotificationsPerEventGood { get; init; } = 11;

    /// <summary>Most notifications delivered in one connection event while the link is congested.</summary>
    public int NotificationsPerEventCongested { get; init; } = 2;

    /// <summary>Probability that a good event is followed by a congested one (two-state Markov link).</summary>
    public double GoodToCongested { get; init; } = 0.46;

    /// <summary>Probability that a congested event is followed by a good one.</summary>
    public double CongestedToGood { get; init; } = 0.54;

    /// <summary>Notifications the sensor can queue; a notification finding the queue full is lost.</summary>
    public int SensorQueueCapacity { get; init; } = 16;

    /// <summary>Probability that a delivered notification is lost anyway (random loss).</summary>
    public double RandomLossProbability { get; init; }

    /// <summary>Probability that a connection event is missed entirely (bursty loss: its backlog waits or overflows).</summary>
    public double MissedEventProbability { get; init; } = 0.004;

    /// <summary>Time between consecutive notifications of one event at the process, in ms (host stack processing).</summary>
    public double NotificationSpacingMs { get; init; } = 0.7;

    /// <summary>Mean of the exponential OS scheduling delay added to each event's arrivals, in ms.</summary>
    public double OsDelayMeanMs { get; init; } = 0.4;

    /// <summary>
    /// The seed recording's link (Android phone, plain stream, default interval): 48.75 ms events,
    /// 11 notifications per good event, 2 per congested one, so about 30 % of samples are lost
    /// and about 137 Hz arrive, in bursts of about 11 with 40–50 ms gaps.
    /// </summary>
    public static DeliveryOptions Seed { get; } = new();

    /// <summary>The recommended link: packed stream (3 samples per notification) at a 7.5 ms interval, few losses.</summary>
    public static DeliveryOptions Packed75 { get; } = new()
    {
        SamplesPerNotification = 3,
        ConnectionIntervalMs = 7.5,
        IntervalJitterMs = 0.15,
        NotificationsPerEventGood = 4,
        NotificationsPerEventCongested = 4,
        GoodToCongested = 0,
        CongestedToGood = 1,
        SensorQueueCapacity = 32,
        RandomLossProbability = 0.001,
        MissedEventProbability = 0.002,
        NotificationSpacingMs = 0.15,
        OsDelayMeanMs = 0.3,
    };

    /// <summary>No delivery model: each sample arrives when taken.</summary>
    public static DeliveryOptions Ideal { get; } = new() { Immediate = true };

    /// <summary>The preset of that name (<c>seed</c>, <c>packed75</c>, <c>ideal</c>).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the allowed ones.</exception>
    public static DeliveryOptions FromPreset(string name) => name switch
    {
        "seed" => Seed,
        "packed75" => Packed75,
        "ideal" => Ideal,
        _ => throw new ArgumentException(
            $"Unknown delivery preset '{name}'; allowed: {string.Join(", ", PresetNames)}.", nameof(name)),
    };

    /// <summary>Checks every value; throws naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public void Validate()
    {
        if (Immediate)
        {
            return;
        }

        Check(SamplesPerNotification is 1 or 3, nameof(SamplesPerNotification), SamplesPerNotification, "{1, 3}");
        Check(ConnectionIntervalMs >= 7.5 && ConnectionIntervalMs <= 50, nameof(ConnectionIntervalMs), ConnectionIntervalMs, "[7.5, 50] ms");
        Check(IntervalJitterMs >= 0 && IntervalJitterMs <= ConnectionIntervalMs / 4, nameof(IntervalJitterMs), IntervalJitterMs, "[0, interval/4] ms");
        Check(NotificationsPerEventGood is >= 1 and <= 64, nameof(NotificationsPerEventGood), NotificationsPerEventGood, "[1, 64]");
        Check(NotificationsPerEventCongested >= 0 && NotificationsPerEventCongested <= NotificationsPerEventGood, nameof(NotificationsPerEventCongested), NotificationsPerEventCongested, "[0, NotificationsPerEventGood]");
        Check(GoodToCongested is >= 0 and <= 1, nameof(GoodToCongested), GoodToCongested, "[0, 1]");
        Check(CongestedToGood is > 0 and <= 1, nameof(CongestedToGood), CongestedToGood, "(0, 1]");
        Check(SensorQueueCapacity is >= 1 and <= 4096, nameof(SensorQueueCapacity), SensorQueueCapacity, "[1, 4096]");
        Check(RandomLossProbability is >= 0 and < 1, nameof(RandomLossProbability), RandomLossProbability, "[0, 1)");
        Check(MissedEventProbability is >= 0 and < 1, nameof(MissedEventProbability), MissedEventProbability, "[0, 1)");
        Check(NotificationSpacingMs >= 0 && NotificationSpacingMs <= ConnectionIntervalMs, nameof(NotificationSpacingMs), NotificationSpacingMs, "[0, interval] ms");
        Check(OsDelayMeanMs is >= 0 and <= 1000, nameof(OsDelayMeanMs), OsDelayMeanMs, "[0, 1000] ms");
    }

    private static void Check(bool ok, string name, object value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is outside {range}.");
        }
    }
}
