using IolaEdge.Bluetooth;
using IolaEdge.Dsp.Sources;
using IolaEdge.Recording;
using IolaEdge.Simulation;

namespace IolaEdge.Daemon.Web;

/// <summary>
/// Where the page and <c>/metrics</c> read each sensor's link and battery: the BLE source's snapshots (taken off the
/// pipeline: <see cref="BleImuSource.Snapshot"/> reads counters and the links' own state, it never touches the ring or
/// the pipeline thread), or, for a replayed recording or the simulator, the source kind and no link at all.
/// </summary>
internal sealed class LiveSensors
{
    /// <summary>Below this charge the page shows the battery as low (and <see cref="LiveSensor.Warning"/> is set).</summary>
    public const int LowBatteryPercent = BleBatterySnapshot.LowChargePercent;

    private readonly BleImuSource? _ble;

    private LiveSensors(string kind, BleImuSource? ble)
    {
        Kind = kind;
        _ble = ble;
    }

    /// <summary>No source known (tests that build a run without one).</summary>
    public static LiveSensors None { get; } = new("other", null);

    /// <summary><c>ble</c> (live sensors with links), <c>replay</c> (a recording file), <c>simulator</c>, or <c>other</c>.</summary>
    public string Kind { get; }

    /// <summary>The BLE source, or null for a replay or the simulator.</summary>
    public BleImuSource? Ble => _ble;

    /// <summary>Classifies <paramref name="source"/>.</summary>
    public static LiveSensors For(IImuSource? source) => source switch
    {
        BleImuSource ble => new LiveSensors("ble", ble),
        CsvImuSource => new LiveSensors("replay", null),
        SimulatedImuSource => new LiveSensors("simulator", null),
        _ => None,
    };

    /// <summary>One entry per BLE sensor; empty for other sources (they have no link and no battery). Allocates: not for the pipeline thread.</summary>
    public IReadOnlyList<LiveSensor> Read()
    {
        if (_ble is null)
        {
            return [];
        }

        IReadOnlyList<BleSensorSnapshot> snapshots = _ble.Snapshot();
        var sensors = new LiveSensor[snapshots.Count];
        for (int i = 0; i < sensors.Length; i++)
        {
            sensors[i] = LiveSensor.Of(snapshots[i]);
        }

        return sensors;
    }
}

/// <summary>One BLE sensor on the page: link state and battery.</summary>
/// <param name="Id">Sensor id.</param>
/// <param name="Name">Label, address or advertised name.</param>
/// <param name="Link">Link state: the state's word (<see cref="BleSensorStateWords"/>: <c>idle</c>, <c>scanning</c>, <c>connecting</c>, <c>configuring</c>, <c>streaming</c>, <c>retrying</c>, <c>stopped</c>), or <see cref="Lost"/> while a link that streamed is down.</param>
/// <param name="LinkLost">True while a link that streamed is down (lost, and retrying/scanning/connecting/configuring again until it streams).</param>
/// <param name="LinkLosses">Links lost while streaming, this run.</param>
/// <param name="BatteryPercent">State of charge, or null while unknown.</param>
/// <param name="BatteryVolts">Battery voltage, or null while unknown.</param>
/// <param name="BatteryAgeSeconds">Age of the battery reading, or null.</param>
/// <param name="BatteryLow">Charge below <see cref="LiveSensors.LowBatteryPercent"/>.</param>
/// <param name="BatteryNote">Why the battery is unknown (no read yet, unanswered reads, rejected replies), or null when known.</param>
/// <param name="Warning">Link lost or battery low: the page shows the sensor in the warning colour.</param>
/// <param name="LastError">The link's last error, or null.</param>
internal sealed record LiveSensor(
    int Id,
    string Name,
    string Link,
    bool LinkLost,
    long LinkLosses,
    int? BatteryPercent,
    double? BatteryVolts,
    double? BatteryAgeSeconds,
    bool BatteryLow,
    string? BatteryNote,
    bool Warning,
    string? LastError)
{
    /// <summary>The page's link word for a link that streamed and is down, whichever step of the next attempt it is in.</summary>
    public const string Lost = "lost";

    /// <summary>From a sensor's snapshot.</summary>
    public static LiveSensor Of(BleSensorSnapshot s)
    {
        // Between a lost link and the next stream the cycle passes through retrying, scanning, connecting and
        // configuring: all of them are "lost" for the musician, the detail goes to the tooltip.
        bool down = s.State is BleSensorState.Backoff or BleSensorState.Discovering or BleSensorState.Connecting or BleSensorState.Configuring;
        bool lost = down && s.LinkLosses > 0;
        string link = lost ? Lost : s.State.Word();
        BleBatterySnapshot b = s.Battery;
        bool low = b.IsLow;
        string? note = b.ChargePercent is not null ? null
            : b.Reads == 0 ? "not read yet"
            : b.Unanswered > 0 ? $"the board did not answer {b.Unanswered} of {b.Reads} reads"
            : b.Rejected > 0 ? $"{b.Rejected} malformed replies"
            : "reading";
        return new LiveSensor(
            s.SensorId,
            s.Name,
            link,
            lost,
            s.LinkLosses,
            b.ChargePercent,
            b.Volts is { } v ? Math.Round(v, 3) : null,
            b.AgeSeconds is { } age ? Math.Round(age, 1) : null,
            low,
            note,
            lost || low,
            s.LastError);
    }
}
