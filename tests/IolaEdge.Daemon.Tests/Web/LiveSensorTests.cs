using IolaEdge.Bluetooth;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Daemon.Web;

namespace IolaEdge.Daemon.Tests.Web;

public sealed class LiveSensorTests
{
    internal static BleSensorSnapshot Snapshot(BleSensorState state, long linkLosses = 0, BleBatterySnapshot? battery = null) => new()
    {
        SensorId = 1,
        Name = "left",
        State = state,
        Chip = AccelerometerChip.Bmi160,
        Packed = false,
        Samples = 0,
        Packets = 0,
        Rejected = 0,
        RejectedByReason = new Dictionary<PacketRejectReason, long>(),
        SinkDrops = 0,
        ArrivalGaps = 0,
        StreamStarts = linkLosses + 1,
        LinkLosses = linkLosses,
        FailedAttempts = 0,
        InterruptedMs = 0,
        Battery = battery ?? BleBatterySnapshot.None,
    };

    internal static BleBatterySnapshot Battery(int? percent, long reads = 1, long unanswered = 0, long rejected = 0) => new()
    {
        ChargePercent = percent,
        Volts = percent is null ? null : 3.7,
        AgeSeconds = percent is null ? null : 12.34,
        Reads = reads,
        Readings = percent is null ? 0 : 1,
        Unanswered = unanswered,
        Rejected = rejected,
        RejectedByReason = new Dictionary<BatteryRejectReason, long>(),
    };

    [Theory]
    [InlineData(BleSensorState.Streaming, 0, "streaming", false)]
    [InlineData(BleSensorState.Streaming, 2, "streaming", false)]
    [InlineData(BleSensorState.Discovering, 0, "scanning", false)]
    [InlineData(BleSensorState.Connecting, 0, "connecting", false)]
    [InlineData(BleSensorState.Configuring, 0, "configuring", false)]
    [InlineData(BleSensorState.Backoff, 0, "retrying", false)]
    [InlineData(BleSensorState.Backoff, 1, "lost", true)]
    [InlineData(BleSensorState.Discovering, 1, "lost", true)]
    [InlineData(BleSensorState.Connecting, 1, "lost", true)]
    [InlineData(BleSensorState.Configuring, 1, "lost", true)]
    [InlineData(BleSensorState.Stopped, 1, "stopped", false)]
    [InlineData(BleSensorState.Idle, 0, "idle", false)]
    public void The_link_state_is_lost_from_a_lost_stream_until_it_streams_again(BleSensorState state, long losses, string link, bool lost)
    {
        LiveSensor s = LiveSensor.Of(Snapshot(state, losses, Battery(80)));
        Assert.Equal((link, lost, lost), (s.Link, s.LinkLost, s.Warning));
        Assert.Contains(link, DaemonMetrics.LinkStates);
    }

    [Fact]
    public void Every_link_the_page_shows_is_a_metrics_series_and_every_series_can_be_shown()
    {
        HashSet<string> shown = [];
        foreach (BleSensorState state in Enum.GetValues<BleSensorState>())
        {
            foreach (long losses in new long[] { 0, 1 })
            {
                shown.Add(LiveSensor.Of(Snapshot(state, losses, Battery(80))).Link);
            }
        }

        Assert.Equal(DaemonMetrics.LinkStates.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        Assert.Equal(DaemonMetrics.LinkStates.Length, DaemonMetrics.LinkStates.Distinct().Count());
    }

    [Theory]
    [InlineData(19, true)]
    [InlineData(20, false)]
    [InlineData(100, false)]
    public void A_charge_below_20_percent_is_low_and_a_warning(int percent, bool low)
    {
        LiveSensor s = LiveSensor.Of(Snapshot(BleSensorState.Streaming, battery: Battery(percent)));
        Assert.Equal((percent, 3.7, 12.3, low, low, (string?)null), (s.BatteryPercent, s.BatteryVolts, s.BatteryAgeSeconds, s.BatteryLow, s.Warning, s.BatteryNote));
    }

    [Fact]
    public void An_unknown_battery_says_why_and_is_no_warning()
    {
        Assert.Equal("not read yet", LiveSensor.Of(Snapshot(BleSensorState.Streaming)).BatteryNote);
        LiveSensor silent = LiveSensor.Of(Snapshot(BleSensorState.Streaming, battery: Battery(null, reads: 3, unanswered: 3)));
        Assert.Equal(("the board did not answer 3 of 3 reads", false, (int?)null), (silent.BatteryNote, silent.Warning, silent.BatteryPercent));
        Assert.Equal("1 malformed replies", LiveSensor.Of(Snapshot(BleSensorState.Streaming, battery: Battery(null, reads: 1, rejected: 1))).BatteryNote);
    }

    [Fact]
    public void Replays_and_the_simulator_have_a_kind_and_no_links()
    {
        LiveSensors sim = LiveSensors.For(new IolaEdge.Simulation.SimulatedImuSource(IolaEdge.Simulation.SimulationSpec.Parse("sim")));
        Assert.Equal(("simulator", 0), (sim.Kind, sim.Read().Count));
        LiveSensors ble = LiveSensors.For(new BleImuSource(BleSourceSpec.Parse("ble:left=AA:BB:CC:DD:EE:FF,right=11:22:33:44:55:66")));
        Assert.Equal("ble", ble.Kind);
        Assert.Equal([("left", "idle"), ("right", "idle")], ble.Read().Select(s => (s.Name, s.Link)));
        Assert.Equal("other", LiveSensors.For(null).Kind);
    }
}
