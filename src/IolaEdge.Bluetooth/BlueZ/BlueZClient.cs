using IolaEdge.Bluetooth.DBus;

namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>
/// BlueZ's D-Bus API as used by the MetaWear session: every call is posted to the bus thread and
/// sent asynchronously (the thread never blocks on BlueZ, so notifications of other sensors keep
/// flowing during a slow Connect). Errors surface as <see cref="Interop.SdBusException"/>.
/// </summary>
internal sealed class BlueZClient
{
    private readonly BusThread _bus;
    private readonly TimeSpan _callTimeout;

    /// <summary>Wraps a running bus thread.</summary>
    public BlueZClient(BusThread bus, TimeSpan callTimeout)
    {
        _bus = bus;
        _callTimeout = callTimeout;
    }

    /// <summary>The bus thread (for subscriptions).</summary>
    public BusThread Bus => _bus;

    /// <summary><c>ObjectManager.GetManagedObjects</c> on <c>/</c>.</summary>
    public Task<ManagedObjects> GetManagedObjectsAsync() =>
        _bus.CallAsync(BlueZNames.Service, "/", BlueZNames.ObjectManager, "GetManagedObjects", null, ManagedObjects.Read, _callTimeout);

    /// <summary><c>Properties.Set(iface, name, &lt;bool&gt;)</c>.</summary>
    public Task SetBooleanPropertyAsync(string path, string iface, string name, bool value) =>
        _bus.CallAsync(BlueZNames.Service, path, BlueZNames.Properties, "Set", w => w.String(iface).String(name).Open((byte)'v', "b\0"u8).Boolean(value).Close(), _callTimeout);

    /// <summary><c>Properties.Get(iface, name)</c> of a boolean.</summary>
    public Task<bool> GetBooleanPropertyAsync(string path, string iface, string name) =>
        _bus.CallAsync(
            BlueZNames.Service, path, BlueZNames.Properties, "Get", w => w.String(iface).String(name),
            static r => r.ReadVariant() is true,
            _callTimeout);

    /// <summary><c>Adapter1.SetDiscoveryFilter({"Transport": "le"})</c>.</summary>
    public Task SetLeDiscoveryFilterAsync(string adapterPath) =>
        _bus.CallAsync(BlueZNames.Service, adapterPath, BlueZNames.Adapter, "SetDiscoveryFilter", w => w.StringDictionary([new("Transport", "le")]), _callTimeout);

    /// <summary><c>Adapter1.StartDiscovery()</c>.</summary>
    public Task StartDiscoveryAsync(string adapterPath) =>
        _bus.CallAsync(BlueZNames.Service, adapterPath, BlueZNames.Adapter, "StartDiscovery", null, _callTimeout);

    /// <summary><c>Adapter1.StopDiscovery()</c>.</summary>
    public Task StopDiscoveryAsync(string adapterPath) =>
        _bus.CallAsync(BlueZNames.Service, adapterPath, BlueZNames.Adapter, "StopDiscovery", null, _callTimeout);

    /// <summary><c>Device1.Connect()</c>; can take seconds on real hardware.</summary>
    public Task ConnectAsync(string devicePath, TimeSpan timeout) =>
        _bus.CallAsync(BlueZNames.Service, devicePath, BlueZNames.Device, "Connect", null, timeout);

    /// <summary><c>Device1.Disconnect()</c>.</summary>
    public Task DisconnectAsync(string devicePath) =>
        _bus.CallAsync(BlueZNames.Service, devicePath, BlueZNames.Device, "Disconnect", null, _callTimeout);

    /// <summary><c>GattCharacteristic1.StartNotify()</c> (the subscription belongs to this connection).</summary>
    public Task StartNotifyAsync(string characteristicPath) =>
        _bus.CallAsync(BlueZNames.Service, characteristicPath, BlueZNames.GattCharacteristic, "StartNotify", null, _callTimeout);

    /// <summary><c>GattCharacteristic1.StopNotify()</c>.</summary>
    public Task StopNotifyAsync(string characteristicPath) =>
        _bus.CallAsync(BlueZNames.Service, characteristicPath, BlueZNames.GattCharacteristic, "StopNotify", null, _callTimeout);

    /// <summary><c>GattCharacteristic1.WriteValue(value, {"type": "command"})</c>: write without response, as the MetaWear SDK does.</summary>
    public Task WriteCommandAsync(string characteristicPath, byte[] value) =>
        _bus.CallAsync(
            BlueZNames.Service, characteristicPath, BlueZNames.GattCharacteristic, "WriteValue",
            w => w.ByteArray(value).StringDictionary([new("type", "command")]),
            _callTimeout);
}
