namespace IolaEdge.Bluetooth.Tests;

public class BleSourceSpecTests
{
    [Fact]
    public void A_single_address_gives_sensor_0()
    {
        BleImuSourceOptions o = BleSourceSpec.Parse("ble:aa:bb:cc:dd:ee:ff");
        BleSensorOptions s = Assert.Single(o.Sensors);
        Assert.Equal(0, s.SensorId);
        Assert.Equal("AA:BB:CC:DD:EE:FF", s.Address);
        Assert.Null(s.Name);
        Assert.Equal(16, o.RangeG);
        Assert.True(o.Packed);
    }

    [Fact]
    public void Labelled_sensors_get_ids_in_order()
    {
        BleImuSourceOptions o = BleSourceSpec.Parse("ble:left=AA:BB:CC:DD:EE:FF,right=11:22:33:44:55:66");
        Assert.Equal(2, o.Sensors.Count);
        Assert.Equal((0, "left", "AA:BB:CC:DD:EE:FF"), (o.Sensors[0].SensorId, o.Sensors[0].Label, o.Sensors[0].Address));
        Assert.Equal((1, "right", "11:22:33:44:55:66"), (o.Sensors[1].SensorId, o.Sensors[1].Label, o.Sensors[1].Address));
        Assert.Equal("ble:left=AA:BB:CC:DD:EE:FF,right=11:22:33:44:55:66", new BleImuSource(o).Description);
    }

    [Fact]
    public void A_name_selects_discovery_by_advertised_name()
    {
        BleSensorOptions s = Assert.Single(BleSourceSpec.Parse("ble:name:MetaWear").Sensors);
        Assert.Null(s.Address);
        Assert.Equal("MetaWear", s.Name);
    }

    [Theory]
    [InlineData("ble:AA:BB:CC:DD:EE", "AA:BB:CC:DD:EE")]
    [InlineData("ble:AA:BB:CC:DD:EE:GG", "AA:BB:CC:DD:EE:GG")]
    [InlineData("ble:left=AA:BB:CC:DD:EE:FF,left2=AA:BB:CC:DD:EE:FF", "each address may appear once")]
    [InlineData("ble:", "is not an address")]
    [InlineData("ble:le ft=AA:BB:CC:DD:EE:FF", "sensor label")]
    [InlineData("file:walk.csv", "starts with 'ble:'")]
    public void A_bad_spec_names_the_part_that_is_wrong(string spec, string expected)
    {
        var ex = Assert.Throws<BleOptionsException>(() => BleSourceSpec.Parse(spec));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_range_names_the_key_the_value_and_the_allowed_values()
    {
        BleImuSourceOptions o = BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF");
        o.RangeG = 3;
        var ex = Assert.Throws<BleOptionsException>(o.Validate);
        Assert.Equal("Ble:RangeG", ex.Key);
        Assert.Contains("'3'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2, 4, 8, 16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_a_sensor_without_target_and_a_backoff_cap_below_the_start_are_rejected()
    {
        var dup = new BleImuSourceOptions { Sensors = [new() { Address = "AA:BB:CC:DD:EE:FF" }, new() { Address = "11:22:33:44:55:66" }] };
        Assert.Equal("Ble:Sensors:1:SensorId", Assert.Throws<BleOptionsException>(dup.Validate).Key);
        var none = new BleImuSourceOptions { Sensors = [new() { SensorId = 0 }] };
        Assert.Equal("Ble:Sensors:0:Address", Assert.Throws<BleOptionsException>(none.Validate).Key);
        var empty = new BleImuSourceOptions();
        Assert.Equal("Ble:Sensors", Assert.Throws<BleOptionsException>(empty.Validate).Key);
        BleImuSourceOptions backoff = BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF");
        backoff.MaxBackoff = TimeSpan.FromMilliseconds(100);
        Assert.Equal("Ble:MaxBackoff", Assert.Throws<BleOptionsException>(backoff.Validate).Key);
        Assert.Throws<BleOptionsException>(() => new BleImuSource(backoff));
    }

    [Fact]
    public void Backoff_doubles_from_the_initial_delay_and_is_capped()
    {
        BleImuSourceOptions o = BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF");
        o.InitialBackoff = TimeSpan.FromMilliseconds(250);
        o.MaxBackoff = TimeSpan.FromSeconds(2);
        var link = new BleImuSource(o).Links[0];
        Assert.Equal(250, link.Backoff(0).TotalMilliseconds);
        Assert.Equal(250, link.Backoff(1).TotalMilliseconds);
        Assert.Equal(500, link.Backoff(2).TotalMilliseconds);
        Assert.Equal(1000, link.Backoff(3).TotalMilliseconds);
        Assert.Equal(2000, link.Backoff(4).TotalMilliseconds);
        Assert.Equal(2000, link.Backoff(40).TotalMilliseconds);
    }
}
