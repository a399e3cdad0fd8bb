using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary><c>org.bluez.Adapter1</c> (e.g. <c>/org/bluez/hci0</c>).</summary>
internal sealed class Adapter1Proxy(BlueZBus bus, string path)
{
    private readonly PropertiesProxy _properties = new(bus, path);

    /// <summary><c>SetDiscoveryFilter({"Transport": &lt;"le"&gt;})</c>: only LE devices while scanning.</summary>
    public Task SetLeDiscoveryFilterAsync() =>
        bus.CallAsync(path, BlueZNames.Adapter, "SetDiscoveryFilter", "a{sv}", static (ref MessageWriter w) =>
        {
            ArrayStart dict = w.WriteDictionaryStart();
            w.WriteDictionaryEntryStart();
            w.WriteString("Transport");
            w.WriteVariantString("le");
            w.WriteDictionaryEnd(dict);
        });

    /// <summary><c>StartDiscovery()</c>.</summary>
    public Task StartDiscoveryAsync() => bus.CallAsync(path, BlueZNames.Adapter, "StartDiscovery");

    /// <summary><c>StopDiscovery()</c>.</summary>
    public Task StopDiscoveryAsync() => bus.CallAsync(path, BlueZNames.Adapter, "StopDiscovery");

    /// <summary>Property <c>Powered</c> (b).</summary>
    public async Task<bool> GetPoweredAsync() => await _properties.GetAsync(BlueZNames.Adapter, "Powered").ConfigureAwait(false) is true;

    /// <summary>Sets <c>Powered</c>.</summary>
    public Task SetPoweredAsync(bool value) => _properties.SetBooleanAsync(BlueZNames.Adapter, "Powered", value);
}
