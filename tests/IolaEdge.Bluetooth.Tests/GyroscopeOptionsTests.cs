namespace IolaEdge.Bluetooth.Tests;

public class GyroscopeOptionsTests
{
    [Fact]
    public void The_gyroscope_is_used_when_present_by_default()
    {
        Assert.Equal(GyroscopeMode.Auto, BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF").Gyroscope);
    }

    [Theory]
    [InlineData("ble:AA:BB:CC:DD:EE:FF,gyro=off", GyroscopeMode.Off)]
    [InlineData("ble:gyro=ON,AA:BB:CC:DD:EE:FF", GyroscopeMode.On)]
    [InlineData("ble:left=AA:BB:CC:DD:EE:FF,gyro=auto,right=11:22:33:44:55:66", GyroscopeMode.Auto)]
    public void The_spec_item_gyro_sets_the_mode_and_is_not_a_sensor(string spec, GyroscopeMode mode)
    {
        BleImuSourceOptions o = BleSourceSpec.Parse(spec);
        Assert.Equal(mode, o.Gyroscope);
        Assert.Equal(Enumerable.Range(0, o.Sensors.Count), o.Sensors.Select(s => s.SensorId));
        Assert.DoesNotContain(o.Sensors, s => s.Label == "gyro");
    }

    [Fact]
    public void A_bad_gyro_value_is_named()
    {
        var ex = Assert.Throws<BleOptionsException>(() => BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF,gyro=maybe"));
        Assert.Contains("gyro=maybe: allowed values are auto, on, off", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gyro_on_without_the_sample_counter_fails_validation_naming_the_key()
    {
        BleImuSourceOptions o = BleSourceSpec.Parse("ble:AA:BB:CC:DD:EE:FF");
        o.SampleCounter = false;
        o.Validate(); // Auto: acceleration only, fine
        o.Gyroscope = GyroscopeMode.On;
        var ex = Assert.Throws<BleOptionsException>(o.Validate);
        Assert.Contains("Ble:Gyroscope", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SampleCounter", ex.Message, StringComparison.Ordinal);
        o.Gyroscope = (GyroscopeMode)7;
        Assert.Contains("Auto, On, Off", Assert.Throws<BleOptionsException>(o.Validate).Message, StringComparison.Ordinal);
    }
}
