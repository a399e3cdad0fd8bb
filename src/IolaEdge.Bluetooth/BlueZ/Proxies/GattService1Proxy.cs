namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary>The properties of a GATT service the client uses.</summary>
internal sealed record GattService1Properties(string Uuid, string Device, bool Primary);

/// <summary><c>org.bluez.GattService1</c> (e.g. <c>…/dev_…/service000a</c>): properties only, it has no methods.</summary>
internal sealed class GattService1Proxy(BlueZBus bus, string path)
{
    private readonly PropertiesProxy _properties = new(bus, path);

    /// <summary><c>UUID</c>, <c>Device</c> and <c>Primary</c> through one GetAll.</summary>
    public async Task<GattService1Properties> GetPropertiesAsync()
    {
        Dictionary<string, object?> all = await _properties.GetAllAsync(BlueZNames.GattService).ConfigureAwait(false);
        return new GattService1Properties(
            all.GetValueOrDefault("UUID") as string ?? string.Empty,
            all.GetValueOrDefault("Device") as string ?? string.Empty,
            all.GetValueOrDefault("Primary") is true);
    }
}
