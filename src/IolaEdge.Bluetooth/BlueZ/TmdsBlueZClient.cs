using IolaEdge.Bluetooth.BlueZ.Proxies;
using IolaEdge.Bluetooth.MetaWear;
using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>
/// BlueZ over Tmds.DBus.Protocol: one managed D-Bus connection, typed proxies per object. Signal
/// handlers (the notification hot path included) run on the connection's receive loop, one message
/// at a time, so every sensor's samples still come from a single producer.
/// </summary>
internal sealed class TmdsBlueZClient : IBlueZClient
{
    private readonly DBusConnection _connection;
    private readonly BlueZBus _bus;
    private readonly ObjectManagerProxy _objectManager;

    private TmdsBlueZClient(DBusConnection connection, TimeSpan callTimeout)
    {
        _connection = connection;
        _bus = new BlueZBus(connection, callTimeout);
        _objectManager = new ObjectManagerProxy(_bus);
        Stopped = WatchDisconnectAsync(connection);
    }

    /// <inheritdoc/>
    public string UniqueName => _connection.UniqueName ?? string.Empty;

    /// <inheritdoc/>
    public Task Stopped { get; }

    /// <summary>
    /// Connects to <paramref name="address"/>, or to the system bus (<c>DBUS_SYSTEM_BUS_ADDRESS</c>, else
    /// <c>/var/run/dbus/system_bus_socket</c>) when it is null.
    /// </summary>
    /// <exception cref="BlueZException">The bus cannot be reached or the address is invalid.</exception>
    public static async Task<TmdsBlueZClient> OpenAsync(string? address, TimeSpan callTimeout)
    {
        string target = address ?? DBusAddress.System ?? "unix:path=/var/run/dbus/system_bus_socket";
        DBusConnection connection;
        try
        {
            connection = new DBusConnection(target);
        }
        catch (ArgumentException ex)
        {
            throw new BlueZException("connect " + target, null, ex.Message, ex);
        }

        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DBusExceptionBase or ArgumentException or NotSupportedException or IOException or System.Net.Sockets.SocketException)
        {
            connection.Dispose();
            throw new BlueZException("connect " + target, null, ex.Message, ex);
        }

        return new TmdsBlueZClient(connection, callTimeout);
    }

    /// <summary>The object manager proxy (tests).</summary>
    internal ObjectManagerProxy ObjectManager => _objectManager;

    /// <summary>The bus (tests build proxies on it).</summary>
    internal BlueZBus Bus => _bus;

    /// <inheritdoc/>
    public Task<ManagedObjects> GetManagedObjectsAsync() => _objectManager.GetManagedObjectsAsync();

    /// <inheritdoc/>
    public Task SetBooleanPropertyAsync(string path, string iface, string name, bool value) => new PropertiesProxy(_bus, path).SetBooleanAsync(iface, name, value);

    /// <inheritdoc/>
    public async Task<bool> GetBooleanPropertyAsync(string path, string iface, string name) =>
        await new PropertiesProxy(_bus, path).GetAsync(iface, name).ConfigureAwait(false) is true;

    /// <inheritdoc/>
    public Task SetLeDiscoveryFilterAsync(string adapterPath) => new Adapter1Proxy(_bus, adapterPath).SetLeDiscoveryFilterAsync();

    /// <inheritdoc/>
    public Task StartDiscoveryAsync(string adapterPath) => new Adapter1Proxy(_bus, adapterPath).StartDiscoveryAsync();

    /// <inheritdoc/>
    public Task StopDiscoveryAsync(string adapterPath) => new Adapter1Proxy(_bus, adapterPath).StopDiscoveryAsync();

    /// <inheritdoc/>
    public Task ConnectAsync(string devicePath, TimeSpan timeout) => new Device1Proxy(_bus, devicePath).ConnectAsync(timeout);

    /// <inheritdoc/>
    public Task DisconnectAsync(string devicePath) => new Device1Proxy(_bus, devicePath).DisconnectAsync();

    /// <inheritdoc/>
    public Task StartNotifyAsync(string characteristicPath) => new GattCharacteristic1Proxy(_bus, characteristicPath).StartNotifyAsync();

    /// <inheritdoc/>
    public Task StopNotifyAsync(string characteristicPath) => new GattCharacteristic1Proxy(_bus, characteristicPath).StopNotifyAsync();

    /// <inheritdoc/>
    public Task WriteCommandAsync(string characteristicPath, byte[] value) => new GattCharacteristic1Proxy(_bus, characteristicPath).WriteCommandAsync(value);

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchInterfacesAddedAsync(Action<string, Dictionary<string, Dictionary<string, object?>>> handler) =>
        _objectManager.WatchInterfacesAddedAsync(handler);

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchInterfacesRemovedAsync(Action<string> handler) => _objectManager.WatchInterfacesRemovedAsync(handler);

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchDeviceFlagsAsync(string devicePath, Action<string, bool> handler) => new Device1Proxy(_bus, devicePath).WatchFlagsAsync(handler);

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchNotificationsAsync(string characteristicPath, NotificationHandler handler) =>
        new GattCharacteristic1Proxy(_bus, characteristicPath).WatchNotificationsAsync(handler);

    /// <inheritdoc/>
    public Task<IAsyncDisposable> WatchBlueZOwnerAsync(Action<string, string> handler) =>
        _bus.WatchAsync(
            new MatchRule
            {
                Type = MessageType.Signal, Path = BlueZNames.DBusPath, Interface = BlueZNames.DBusService, Member = "NameOwnerChanged", Arg0 = BlueZNames.Service,
            },
            static (m, state) =>
            {
                Reader reader = m.GetBodyReader();
                string name = reader.ReadString();
                string oldOwner = reader.ReadString();
                string newOwner = reader.ReadString();
                if (name == BlueZNames.Service)
                {
                    ((Action<string, string>)state!)(oldOwner, newOwner);
                }

                return true;
            },
            handler);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task WatchDisconnectAsync(DBusConnection connection)
    {
        Exception? reason = await connection.DisconnectedAsync().ConfigureAwait(false);
        if (reason is not null && reason is not ObjectDisposedException)
        {
            throw new BlueZException("D-Bus connection", null, reason.Message, reason);
        }
    }
}
