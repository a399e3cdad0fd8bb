using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth;

/// <summary>Options of <see cref="BleImuSource"/>, bound from configuration section <see cref="SectionName"/> or built by <see cref="BleSourceSpec"/>.</summary>
public sealed class BleImuSourceOptions
{
    /// <summary>Configuration section name; keys in errors are <c>Ble:…</c>.</summary>
    public const string SectionName = "Ble";

    /// <summary>Sensors to stream; ids and addresses must be unique.</summary>
    public IList<BleSensorOptions> Sensors { get; init; } = [];

    /// <summary>D-Bus address of the system bus; null = the system bus (honours <c>DBUS_SYSTEM_BUS_ADDRESS</c>).</summary>
    public string? BusAddress { get; set; }

    /// <summary>Adapter name (e.g. <c>hci0</c>); null = the first adapter.</summary>
    public string? Adapter { get; set; }

    /// <summary>Accelerometer range in g: 2, 4, 8 or 16 (default 16; the seed app used 4).</summary>
    public int RangeG { get; set; } = 16;

    /// <summary>Packed stream (3 samples per notification, 66.7 notifications/s at 200 Hz) when the board supports it; false = plain.</summary>
    public bool Packed { get; set; } = true;

    /// <summary>
    /// Number every sample on the board (a packer of two samples with a count-mode accounter behind it,
    /// metawear-protocol.md §8), so lost samples are counted exactly and sample times follow the count.
    /// Two samples per notification (19 bytes, 100/s at 200 Hz); <see cref="Packed"/> is then not used.
    /// False = the packed or plain stream, whose losses can only be estimated from arrival times.
    /// </summary>
    public bool SampleCounter { get; set; } = true;

    /// <summary>
    /// Stream the gyroscope (module 0x13) beside the accelerometer: 200 Hz, ±2000 °/s, through the same packer +
    /// accounter chain, paired with the accelerometer on the sensor clock, so samples carry angular velocity.
    /// <see cref="GyroscopeMode.Auto"/> (default): when the board has one and <see cref="SampleCounter"/> is on;
    /// <see cref="GyroscopeMode.On"/>: required (needs <see cref="SampleCounter"/>; a board without one fails the cycle);
    /// <see cref="GyroscopeMode.Off"/>: acceleration only.
    /// </summary>
    public GyroscopeMode Gyroscope { get; set; } = GyroscopeMode.Auto;

    /// <summary>Send the MetaWear connection-parameter request for a 7.5 ms interval (the central still decides).</summary>
    public bool RequestFastConnectionInterval { get; set; } = true;

    /// <summary>Timeout of Device1.Connect.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Connect attempts per connection cycle before backing off.</summary>
    public int ConnectAttempts { get; set; } = 3;

    /// <summary>How long to scan for a device not yet known to BlueZ before backing off.</summary>
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait for ServicesResolved and for board replies (module info).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of ordinary D-Bus calls.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First reconnect delay; doubles per failed cycle up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap of the reconnect delay.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An interval between notifications longer than this counts as an arrival gap (packed 200 Hz nominal: 15 ms).</summary>
    public TimeSpan GapThreshold { get; set; } = TimeSpan.FromMilliseconds(60);

    /// <summary>
    /// How often each streaming sensor's battery is read (<c>11 8c</c>, settings module): once right after streaming
    /// starts, then every interval, from the link's own task (never the sample path). <see cref="TimeSpan.Zero"/> =
    /// never (the battery shows as unknown). A read unanswered within <see cref="ResponseTimeout"/> is counted and
    /// the battery stays unknown (or keeps its last reading, whose age grows). 1 s .. 1 h, or zero.
    /// </summary>
    public TimeSpan BatteryInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks every option; throws <see cref="BleOptionsException"/> naming the first bad key.</summary>
    public void Validate()
    {
        if (Sensors.Count == 0)
        {
            throw new BleOptionsException($"{SectionName}:Sensors", "(none)", "at least one sensor with an Address or a Name is required");
        }

        if (!AccelerometerRange.SupportedG.Contains(RangeG))
        {
            throw new BleOptionsException($"{SectionName}:RangeG", RangeG, "allowed values are 2, 4, 8, 16 (g)");
        }

        if (!Enum.IsDefined(Gyroscope))
        {
            throw new BleOptionsException($"{SectionName}:{nameof(Gyroscope)}", Gyroscope, "allowed values are Auto, On, Off");
        }

        if (Gyroscope == GyroscopeMode.On && !SampleCounter)
        {
            throw new BleOptionsException($"{SectionName}:{nameof(Gyroscope)}", Gyroscope,
                "On needs Ble:SampleCounter=true (the gyroscope is numbered and paired through the sample counter); use Auto or Off");
        }

        if (Adapter is not null && (Adapter.Length == 0 || Adapter.Contains('/', StringComparison.Ordinal)))
        {
            throw new BleOptionsException($"{SectionName}:Adapter", Adapter, "an adapter name such as hci0, or unset for the first adapter");
        }

        if (BusAddress is not null && !BusAddress.Contains(':', StringComparison.Ordinal))
        {
            throw new BleOptionsException($"{SectionName}:BusAddress", BusAddress, "a D-Bus address such as unix:path=/run/dbus/system_bus_socket, or unset");
        }

        CheckRange(nameof(ConnectTimeout), ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
        CheckRange(nameof(DiscoveryTimeout), DiscoveryTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        CheckRange(nameof(ResponseTimeout), ResponseTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        CheckRange(nameof(CallTimeout), CallTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        CheckRange(nameof(InitialBackoff), InitialBackoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        CheckRange(nameof(MaxBackoff), MaxBackoff, InitialBackoff, TimeSpan.FromMinutes(10));
        CheckRange(nameof(GapThreshold), GapThreshold, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        if (BatteryInterval != TimeSpan.Zero)
        {
            CheckRange(nameof(BatteryInterval), BatteryInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        }

        if (ConnectAttempts is < 1 or > 20)
        {
            throw new BleOptionsException($"{SectionName}:{nameof(ConnectAttempts)}", ConnectAttempts, "allowed range is 1..20");
        }

        var ids = new HashSet<int>();
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Sensors.Count; i++)
        {
            BleSensorOptions s = Sensors[i];
            string key = $"{SectionName}:Sensors:{i}";
            if (s.SensorId is < 0 or > 255 || !ids.Add(s.SensorId))
            {
                throw new BleOptionsException($"{key}:SensorId", s.SensorId, "a unique id in 0..255");
            }

            if (s.Address is not null)
            {
                if (!MacAddress.TryParse(s.Address, out MacAddress mac))
                {
                    throw new BleOptionsException($"{key}:Address", s.Address, "six hex octets separated by colons, e.g. AA:BB:CC:DD:EE:FF");
                }

                if (!addresses.Add(mac.Text))
                {
                    throw new BleOptionsException($"{key}:Address", s.Address, "each address may appear once");
                }
            }
            else if (string.IsNullOrWhiteSpace(s.Name))
            {
                throw new BleOptionsException($"{key}:Address", "(unset)", "an Address (allowlist) or a Name is required");
            }
        }
    }

    private static void CheckRange(string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            throw new BleOptionsException($"{SectionName}:{name}", value, $"allowed range is {min} .. {max}");
        }
    }
}
