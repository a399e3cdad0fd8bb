using IolaEdge.Bluetooth.BlueZ;

namespace IolaEdge.Bluetooth;

/// <summary>
/// Parses the <c>--source</c> form of a BLE source:
/// <c>ble:AA:BB:CC:DD:EE:FF</c> (one sensor, id 0),
/// <c>ble:left=AA:BB:CC:DD:EE:FF,right=11:22:33:44:55:66</c> (ids 0, 1, … in order, labels kept),
/// and <c>name:MetaWear</c> in place of an address to discover by advertised name; an item
/// <c>gyro=auto|on|off</c> sets <see cref="BleImuSourceOptions.Gyroscope"/> (e.g. <c>ble:AA:BB:CC:DD:EE:FF,gyro=off</c>);
/// an item <c>battery=SECONDS|off</c> sets <see cref="BleImuSourceOptions.BatteryInterval"/> (1–3600 s, default 60).
/// </summary>
public static class BleSourceSpec
{
    /// <summary>The scheme prefix.</summary>
    public const string Prefix = "ble:";

    /// <summary>True when <paramref name="spec"/> names a BLE source (starts with <c>ble:</c>).</summary>
    public static bool IsBle(string spec) => spec.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="spec"/> into validated options (other options at their defaults).</summary>
    /// <exception cref="BleOptionsException">The spec is malformed; the message says which part and why.</exception>
    public static BleImuSourceOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!IsBle(spec))
        {
            throw new BleOptionsException("--source", spec, "a BLE source starts with 'ble:'");
        }

        string body = spec[Prefix.Length..];
        var options = new BleImuSourceOptions();
        string[] items = body.Split(',', StringSplitOptions.TrimEntries);
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i];
            string? label = null;
            string target = item;
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0 && item[..eq].Equals("gyro", StringComparison.OrdinalIgnoreCase))
            {
                options.Gyroscope = item[(eq + 1)..].ToLowerInvariant() switch
                {
                    "auto" => GyroscopeMode.Auto,
                    "on" => GyroscopeMode.On,
                    "off" => GyroscopeMode.Off,
                    _ => throw new BleOptionsException("--source", spec, $"gyro={item[(eq + 1)..]}: allowed values are auto, on, off"),
                };
                continue;
            }

            if (eq >= 0 && item[..eq].Equals("battery", StringComparison.OrdinalIgnoreCase))
            {
                string value = item[(eq + 1)..];
                if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    options.BatteryInterval = TimeSpan.Zero;
                }
                else if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
                    && seconds is >= 1 and <= 3600)
                {
                    options.BatteryInterval = TimeSpan.FromSeconds(seconds);
                }
                else
                {
                    throw new BleOptionsException("--source", spec, $"battery={value}: seconds between battery reads, 1..3600, or off");
                }

                continue;
            }

            if (eq >= 0)
            {
                label = item[..eq];
                target = item[(eq + 1)..];
                if (label.Length == 0 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    throw new BleOptionsException("--source", spec, $"sensor label '{label}' must be letters, digits, '-' or '_'");
                }
            }

            var sensor = new BleSensorOptions { SensorId = options.Sensors.Count, Label = label };
            if (target.StartsWith("name:", StringComparison.OrdinalIgnoreCase))
            {
                sensor.Name = target[5..];
                if (sensor.Name.Length == 0)
                {
                    throw new BleOptionsException("--source", spec, "name: needs an advertised name, e.g. ble:name:MetaWear");
                }
            }
            else if (MacAddress.TryParse(target, out MacAddress mac))
            {
                sensor.Address = mac.Text;
            }
            else
            {
                throw new BleOptionsException("--source", spec, $"'{target}' is not an address AA:BB:CC:DD:EE:FF or name:<advertised name>");
            }

            options.Sensors.Add(sensor);
        }

        options.Validate();
        return options;
    }
}
