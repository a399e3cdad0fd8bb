using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary><c>org.bluez.Device1</c> (e.g. <c>/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F</c>).</summary>
internal sealed class Device1Proxy(BlueZBus bus, string path)
{
    private readonly PropertiesProxy _properties = new(bus, path);

    /// <summary><c>Connect()</c>: can take seconds on real hardware, hence its own timeout.</summary>
    public Task ConnectAsync(TimeSpan timeout) => bus.CallAsync(path, BlueZNames.Device, "Connect", timeout: timeout);

    /// <summary><c>Disconnect()</c>.</summary>
    public Task DisconnectAsync() => bus.CallAsync(path, BlueZNames.Device, "Disconnect");

    /// <summary>A boolean property (<c>Connected</c>, <c>ServicesResolved</c>).</summary>
    public async Task<bool> GetFlagAsync(string name) => await _properties.GetAsync(BlueZNames.Device, name).ConfigureAwait(false) is true;

    /// <summary><c>PropertiesChanged</c> of Device1: every boolean among <c>Connected</c> and <c>ServicesResolved</c>.</summary>
    public Task<IAsyncDisposable> WatchFlagsAsync(Action<string, bool> handler) =>
        _properties.WatchChangesAsync(BlueZNames.Device, static (m, state) =>
        {
            Reader reader = m.GetBodyReader();
            if (reader.ReadString() != BlueZNames.Device)
            {
                return false;
            }

            foreach ((string name, object? value) in VariantReading.ReadProperties(ref reader))
            {
                if (value is bool b && name is "Connected" or "ServicesResolved")
                {
                    ((Action<string, bool>)state!)(name, b);
                }
            }

            return true;
        }, handler);
}
