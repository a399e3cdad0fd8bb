using IolaEdge.Bluetooth.DBus;

namespace IolaEdge.Bluetooth.BlueZ;

/// <summary><c>PropertiesChanged</c> of a device: reports <c>Connected</c> and <c>ServicesResolved</c> (slow path, bus thread).</summary>
internal sealed class DevicePropertiesHandler(Action<string, bool> onBooleanChanged) : ISignalHandler
{
    /// <inheritdoc/>
    public void OnSignal(BusMessageReader message)
    {
        if (message.ReadString() != BlueZNames.Device)
        {
            return;
        }

        foreach ((string name, object? value) in ManagedObjects.ReadProperties(message))
        {
            if (value is bool b && name is "Connected" or "ServicesResolved")
            {
                onBooleanChanged(name, b);
            }
        }
    }
}

/// <summary><c>InterfacesAdded(o, a{sa{sv}})</c> / <c>InterfacesRemoved(o, as)</c> on BlueZ's object manager.</summary>
internal sealed class ObjectManagerHandler(
    Action<string, Dictionary<string, Dictionary<string, object?>>> onAdded, Action<string> onRemoved, bool added) : ISignalHandler
{
    /// <inheritdoc/>
    public void OnSignal(BusMessageReader message)
    {
        string path = message.ReadString((byte)'o');
        if (added)
        {
            onAdded(path, ManagedObjects.ReadInterfaces(message));
        }
        else
        {
            onRemoved(path);
        }
    }
}

/// <summary><c>NameOwnerChanged(name, old, new)</c> for <c>org.bluez</c>: bluetoothd restarted or went away.</summary>
internal sealed class NameOwnerHandler(Action<string, string> onOwnerChanged) : ISignalHandler
{
    /// <inheritdoc/>
    public void OnSignal(BusMessageReader message)
    {
        string name = message.ReadString();
        string oldOwner = message.ReadString();
        string newOwner = message.ReadString();
        if (name == BlueZNames.Service)
        {
            onOwnerChanged(oldOwner, newOwner);
        }
    }
}
