namespace IolaEdge.Bluetooth;

/// <summary>One sensor to stream: found by address (allowlist) or, if no address is given, by advertised name.</summary>
public sealed class BleSensorOptions
{
    /// <summary>Id carried on every sample of this sensor (0 for a single sensor; e.g. 0 = left, 1 = right).</summary>
    public int SensorId { get; set; }

    /// <summary>Human label for logs and summaries (e.g. <c>left</c>); defaults to the address or name.</summary>
    public string? Label { get; set; }

    /// <summary>Device address <c>AA:BB:CC:DD:EE:FF</c>. Only this device is ever connected to.</summary>
    public string? Address { get; set; }

    /// <summary>Advertised name (e.g. <c>MetaWear</c>), used only when <see cref="Address"/> is null.</summary>
    public string? Name { get; set; }

    /// <summary>The label shown in snapshots.</summary>
    public string DisplayName => Label ?? Address ?? $"name:{Name}";
}
