using IolaEdge.Bluetooth.DBus;
using IolaEdge.Bluetooth.Interop;
using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>
/// BlueZ over libsystemd's sd-bus: every call is posted to the bus thread and sent asynchronously
/// (the thread never blocks on BlueZ, so notifications of other sensors keep flowing during a slow
/// Connect). <see cref="SdBusException"/>s surface as <see cref="BlueZException"/> with it as the inner exception.
/// </summary>
internal sealed class SdBusBlueZClient : IBlueZClient
{
    private readonly BusThread _bus;
    private readonly TimeSpan _callTimeout;

    /// <summary>Wraps a running bus thread (tests); the client does not own it.</summary>
    public SdBusBlueZClient(BusThread bus, TimeSpan callTimeout)
    {
        _bus = bus;
        _callTimeout = callTimeout;
    }

    /// <summary>The bus thread (allocation probes in tests).</summary>
    public BusThread Bus => _bus;

    /// <inheritdoc/>
    public string UniqueName => _bus.UniqueName;

    /// <inheritdoc/>
    public Task Stopped => _bus.Stopped;

    /// <summary>Starts a bus thread on <paramref name="address"/> (null: the system bus) and waits until it is connected.</summary>
    /// <exception cref="BlueZException">The bus cannot be reached.</exception>
    public static async Task<SdBusBlueZClient> OpenAsync(string? address, TimeSpan callTimeout)
    {
        var bus = new BusThread(address, "iolaedge-ble");
        try
        {
            await bus.Opened.ConfigureAwait(false);
        }
        catch (SdBusException ex)
        {
            bus.Dispose();
            throw new BlueZException(ex.Call, ex.ErrorName, ex.ErrorMessage ?? ex.Message, ex);
        }

        return new SdBusBlueZClient(bus, callTimeout);
    }

    /// <inheritdoc/>
    public Task<ManagedObjects> GetManagedObjectsAsync() =>
        Translate(_bus.CallAsync(BlueZNames.Service, "/", BlueZNames.ObjectManager, "GetManagedObjects", null, ManagedObjects.Read, _callTimeout));

    /// <inheritdoc/>
    public Task SetBooleanPropertyAsync(string path, string iface, string name, bool value) =>
        Translate(_bus.CallAsync(BlueZNames.Service, path, BlueZNames.Properties, "Set", w => w.String(iface).String(name).Open((byte)'v', "b\0"u8).Boolean(value).Close(), _callTimeout));

    /// <inheritdoc/>
    public Task<bool> GetBooleanPropertyAsync(string path, string iface, string name) =>
        Translate(_bus.CallAsync(
            BlueZNames.Service, path, BlueZNames.Properties, "Get", w => w.String(iface).String(name),
            static r => r.ReadVariant() is true,
            _callTimeout));

    /// <inheritdoc/>
    public Task SetLeDiscoveryFilterAsync(string adapterPath) =>
        Translate(_bus.CallAsync(BlueZNames.Service, adapterPath, BlueZNames.Adapter, "SetDiscoveryFilter", w => w.StringDictionary([new("Transport", "le")]), _callTimeout));

    /// <inheritdoc/>
    public Task StartDiscoveryAsync(string adapterPath) =>
        Translate(_bus.CallAsync(BlueZNames.Service, adapterPath, BlueZNames.Adapter, "StartDiscovery", null, _callTimeout));

    /// <inheritdoc/>
    public Task StopDiscoveryAsync(string adapterPath) =>
        Translate(_bus.CallAsync(BlueZNames.Service, adapterPath, BlueZNames.Adapter, "StopDiscovery", null, _callTimeout));

    /// <inheritdoc/>
    public Task ConnectAsync(string devicePath, TimeSpan timeout) =>
        Translate(_bus.CallAsync(BlueZNames.Service, devicePath, BlueZNames.Device, "Connect", null, timeout));

    /// <inheritdoc/>
    public Task DisconnectAsync(string devicePath) =>
        Translate(_bus.CallAsync(BlueZNames.Service, devicePath, BlueZNames.Device, "Disconnect", null, _callTimeout));

    /// <inheritdoc/>
    public Task StartNotifyAsync(string characteristicPath) =>
        Translate(_bus.CallAsync(BlueZNames.Service, characteristicPath, BlueZNames.GattCharacteristic, "StartNotify", null, _callTimeout));

    /// <inheritdoc/>
    public Task StopNotifyAsync(string characteristicPath) =>
        Translate(_bus.CallAsync(BlueZNames.Service, characteristicPath, BlueZNames.GattCharacteristic, "StopNotify", null, _callTimeout));

    /// <inheritdoc/>
    public Task WriteCommandAsync(string characteristicPath, byte[] value) =>
        Translate(_bus.CallAsync(
            BlueZNames.Service, characteristicPath, BlueZNames.GattCharacteristic, "WriteValue",
            w => w.ByteArray(value).StringDictionary([new("type", "command")]),
            _callTimeout));

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchInterfacesAddedAsync(Action<string, Dictionary<string, Dictionary<string, object?>>> handler) =>
        SubscribeAsync(null, "/", BlueZNames.ObjectManager, "InterfacesAdded", new ObjectManagerHandler(handler, _ => { }, added: true));

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchInterfacesRemovedAsync(Action<string> handler) =>
        SubscribeAsync(null, "/", BlueZNames.ObjectManager, "InterfacesRemoved", new ObjectManagerHandler((_, _) => { }, handler, added: false));

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchDeviceFlagsAsync(string devicePath, Action<string, bool> handler) =>
        SubscribeAsync(null, devicePath, BlueZNames.Properties, "PropertiesChanged", new DevicePropertiesHandler(handler));

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchNotificationsAsync(string characteristicPath, NotificationHandler handler) =>
        SubscribeAsync(null, characteristicPath, BlueZNames.Properties, "PropertiesChanged", handler);

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchBlueZOwnerAsync(Action<string, string> handler) =>
        SubscribeAsync(BlueZNames.DBusService, BlueZNames.DBusPath, BlueZNames.DBusService, "NameOwnerChanged", new NameOwnerHandler(handler));

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _bus.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<IAsyncDisposable> SubscribeAsync(string? sender, string path, string iface, string member, ISignalHandler handler)
    {
        SignalSubscription s = await Translate(_bus.SubscribeAsync(sender, path, iface, member, handler)).ConfigureAwait(false);
        return new Subscription(_bus, s);
    }

    private static async Task Translate(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (SdBusException ex)
        {
            throw new BlueZException(ex.Call, ex.ErrorName, ex.ErrorMessage ?? ex.Message, ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new BlueZException("sd-bus call", null, ex.Message, ex);
        }
    }

    private static async Task<T> Translate<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (SdBusException ex)
        {
            throw new BlueZException(ex.Call, ex.ErrorName, ex.ErrorMessage ?? ex.Message, ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new BlueZException("sd-bus call", null, ex.Message, ex);
        }
    }

    private sealed class Subscription(BusThread bus, SignalSubscription subscription) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await bus.UnsubscribeAsync(subscription).ConfigureAwait(false);
    }
}
