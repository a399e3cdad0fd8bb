namespace IolaEdge.Bluetooth.Tests;

public class BatteryOptionsTests
{
    [Fact]
    public void The_battery_is_read_every_minute_by_default() =>
        Assert.Equal(TimeSpan.FromSeconds(60), BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF").BatteryInterval);

    [Theory]
    [InlineData("ble:AA:BB:CC:DD:EE:FF,battery=30", 30)]
    [InlineData("ble:battery=1.5,AA:BB:CC:DD:EE:FF", 1.5)]
    [InlineData("ble:left=AA:BB:CC:DD:EE:FF,battery=OFF,right=11:22:33:44:55:66", 0)]
    public void The_spec_item_battery_sets_the_interval_and_is_not_a_sensor(string spec, double seconds)
    {
        BleImuSourceOptions o = BleSourceSpec.Parse(spec);
        Assert.Equal(TimeSpan.FromSeconds(seconds), o.BatteryInterval);
        Assert.DoesNotContain(o.Sensors, s => s.Label == "battery");
    }

    [Theory]
    [InlineData("ble:AA:BB:CC:DD:EE:FF,battery=0.5")]
    [InlineData("ble:AA:BB:CC:DD:EE:FF,battery=3601")]
    [InlineData("ble:AA:BB:CC:DD:EE:FF,battery=often")]
    public void A_bad_battery_value_is_named(string spec)
    {
        var ex = Assert.Throws<BleOptionsException>(() => BleSourceSpec.Parse(spec));
        Assert.Contains("seconds between battery reads, 1..3600, or off", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interval_out_of_range_in_the_options_names_the_key()
    {
        BleImuSourceOptions o = BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF");
        o.BatteryInterval = TimeSpan.FromMilliseconds(200);
        var ex = Assert.Throws<BleOptionsException>(o.Validate);
        Assert.Contains("Ble:BatteryInterval", ex.Message, StringComparison.Ordinal);
        o.BatteryInterval = TimeSpan.Zero;
        o.Validate(); // zero = off
    }
}
