using IolaEdge.Bluetooth;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Daemon.Health;
using IolaEdge.Daemon.Tests.Support;
using IolaEdge.Daemon.Tests.Web;
using IolaEdge.Daemon.Web;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Health;

public sealed class BleSourceProbeTests
{
    public static TheoryData<BleSensorState> States() => [.. Enum.GetValues<BleSensorState>()];

    [Theory]
    [MemberData(nameof(States))]
    public void The_log_line_and_status_name_a_state_with_the_word_the_page_shows(BleSensorState state)
    {
        // A link that never streamed: the page shows the state's own word (a lost link shows "lost" instead).
        string page = LiveSensor.Of(LiveSensorTests.Snapshot(state, linkLosses: 0, LiveSensorTests.Battery(80))).Link;
        CollectingSerilogSink sink = new();
        using BleSourceProbe probe = new(new BleImuSource(BleSourceSpec.Parse("ble:left=AA:BB:CC:DD:EE:FF")), sink.CreateLogger());

        probe.OnStateChanged(null, new BleSensorEventArgs(0, "left", state, "why"));

        LogEventLevel level = state == BleSensorState.Backoff ? LogEventLevel.Warning : LogEventLevel.Information;
        Assert.Equal([(level, $"BLE sensor 0 \"left\": \"{page}\": \"why\"")], sink.Lines);
        Assert.Equal($"left {page}", BleSourceProbe.NameAndState(LiveSensorTests.Snapshot(state)));
    }

    [Fact]
    public void A_retry_loop_failing_the_same_way_is_logged_once_and_counted()
    {
        CollectingSerilogSink sink = new();
        using BleSourceProbe probe = new(new BleImuSource(BleSourceSpec.Parse("ble:left=AA:BB:CC:DD:EE:FF")), sink.CreateLogger());

        for (int attempt = 1; attempt <= 3; attempt++)
        {
            probe.OnStateChanged(null, new BleSensorEventArgs(0, "left", BleSensorState.Discovering, "looking for the device"));
            probe.OnStateChanged(null, new BleSensorEventArgs(0, "left", BleSensorState.Backoff, $"next attempt in {attempt * 1000} ms after: not found"));
        }

        Assert.Equal(
            [(LogEventLevel.Information, "BLE sensor 0 \"left\": \"scanning\": \"looking for the device\""),
             (LogEventLevel.Warning, "BLE sensor 0 \"left\": \"retrying\": \"next attempt in 1000 ms after: not found\"")],
            sink.Lines);
        Assert.Equal(4, probe.RepeatedStates);
    }

    [Fact]
    public void A_gyroscope_that_stays_still_while_the_foot_lands_is_named_beside_a_low_battery()
    {
        BleSensorSnapshot Sensor(string name, double largestDps, double largestG, int charge = 80) =>
            LiveSensorTests.Snapshot(BleSensorState.Streaming, battery: LiveSensorTests.Battery(charge)) with
            {
                Name = name, Gyroscope = GyroscopeChip.Bmi270, PairedSamples = 4000, LargestAngularSpeedDps = largestDps, LargestPairedAccelerationG = largestG,
            };

        Assert.Null(BleSourceProbe.StreamingWarnings([Sensor("left", 620, 7.5), Sensor("right", 3, 1.2)])); // right: not stepped yet
        Assert.Equal(
            "gyroscope not turning (under 50 °/s while the foot moved past 3 g; footfalls from acceleration alone): right",
            BleSourceProbe.StreamingWarnings([Sensor("left", 620, 7.5), Sensor("right", 0, 6.1)]));
        Assert.Equal(
            "battery below 20 %: left; gyroscope not turning (under 50 °/s while the foot moved past 3 g; footfalls from acceleration alone): right",
            BleSourceProbe.StreamingWarnings([Sensor("left", 620, 7.5, charge: 10), Sensor("right", 0.4, 6.1)]));
        Assert.Null(BleSourceProbe.StreamingWarnings([LiveSensorTests.Snapshot(BleSensorState.Streaming) with { LargestPairedAccelerationG = 6 }])); // no gyroscope
    }
}
