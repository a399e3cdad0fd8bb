using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>
/// The transport seam: BlueZ's D-Bus API as the sensor links use it, over one D-Bus connection.
/// Calls may come from any thread; signal handlers run on the transport's receive thread and must not
/// block. Failed calls throw <see cref="BlueZException"/> (an error reply or a lost connection).
/// </summary>
internal interface IBlueZClient : IAsyncDisposable
{
    /// <summary>Unique name of the connection on the bus (e.g. <c>:1.42</c>).</summary>
    string UniqueName { get; }

    /// <summary>Completes when the connection ends: normally after dispose, faulted when the bus failed.</summary>
    Task Stopped { get; }

    /// <summary><c>ObjectManager.GetManagedObjects</c> on <c>/</c>.</summary>
    Task<ManagedObjects> GetManagedObjectsAsync();

    /// <summary><c>Properties.Set(iface, name, &lt;bool&gt;)</c>.</summary>
    Task SetBooleanPropertyAsync(string path, string iface, string name, bool value);

    /// <summary><c>Properties.Get(iface, name)</c> of a boolean.</summary>
    Task<bool> GetBooleanPropertyAsync(string path, string iface, string name);

    /// <summary><c>Adapter1.SetDiscoveryFilter({"Transport": "le"})</c>.</summary>
    Task SetLeDiscoveryFilterAsync(string adapterPath);

    /// <summary><c>Adapter1.StartDiscovery()</c>.</summary>
    Task StartDiscoveryAsync(string adapterPath);

    /// <summary><c>Adapter1.StopDiscovery()</c>.</summary>
    Task StopDiscoveryAsync(string adapterPath);

    /// <summary><c>Device1.Connect()</c>; can take seconds on real hardware.</summary>
    Task ConnectAsync(string devicePath, TimeSpan timeout);

    /// <summary><c>Device1.Disconnect()</c>.</summary>
    Task DisconnectAsync(string devicePath);

    /// <summary><c>GattCharacteristic1.StartNotify()</c> (the subscription belongs to this connection).</summary>
    Task StartNotifyAsync(string characteristicPath);

    /// <summary><c>GattCharacteristic1.StopNotify()</c>.</summary>
    Task StopNotifyAsync(string characteristicPath);

    /// <summary><c>GattCharacteristic1.WriteValue(value, {"type": "command"})</c>: write without response, as the MetaWear SDK does.</summary>
    Task WriteCommandAsync(string characteristicPath, byte[] value);

    /// <summary><c>ObjectManager.InterfacesAdded(o, a{sa{sv}})</c> on <c>/</c>.</summary>
    Task<IAsyncDisposable> WatchInterfacesAddedAsync(Action<string, Dictionary<string, Dictionary<string, object?>>> handler);

    /// <summary><c>ObjectManager.InterfacesRemoved(o, as)</c> on <c>/</c>.</summary>
    Task<IAsyncDisposable> WatchInterfacesRemovedAsync(Action<string> handler);

    /// <summary><c>PropertiesChanged</c> of <c>Device1</c> at <paramref name="devicePath"/>: boolean <c>Connected</c> and <c>ServicesResolved</c>.</summary>
    Task<IAsyncDisposable> WatchDeviceFlagsAsync(string devicePath, Action<string, bool> handler);

    /// <summary>The hot path: <c>PropertiesChanged(Value: ay)</c> of the characteristic, parsed in place into <paramref name="handler"/>.</summary>
    Task<IAsyncDisposable> WatchNotificationsAsync(string characteristicPath, NotificationHandler handler);

    /// <summary><c>NameOwnerChanged</c> of <c>org.bluez</c> (bluetoothd restarted or left): (old owner, new owner).</summary>
    Task<IAsyncDisposable> WatchBlueZOwnerAsync(Action<string, string> handler);
}
