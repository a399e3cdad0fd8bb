
namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>The MetaWear service's characteristics on one device, located by UUID (never by path: handles differ per firmware).</summary>
internal sealed record MetaWearGatt(string DevicePath, string ServicePath, string CommandPath, string NotifyPath)
{
    /// <summary>Finds the MetaWear service of <paramref name="devicePath"/> and its command and notify characteristics.</summary>
    public static bool TryLocate(ManagedObjects objects, string devicePath, out MetaWearGatt? gatt)
    {
        gatt = null;
        string? service = null;
        foreach ((string path, Dictionary<string, object?> props) in objects.WithInterface(BlueZNames.GattService))
        {
            if (Is(props, "UUID", BlueZNames.MetaWearServiceUuid) && Is(props, "Device", devicePath))
            {
                service = path;
                break;
            }
        }

        if (service is null)
        {
            return false;
        }

        string? command = null;
        string? notify = null;
        foreach ((string path, Dictionary<string, object?> props) in objects.WithInterface(BlueZNames.GattCharacteristic))
        {
            if (!Is(props, "Service", service))
            {
                continue;
            }

            if (Is(props, "UUID", BlueZNames.MetaWearCommandUuid))
            {
                command = path;
            }
            else if (Is(props, "UUID", BlueZNames.MetaWearNotifyUuid))
            {
                notify = path;
            }
        }

        if (command is null || notify is null)
        {
            return false;
        }

        gatt = new MetaWearGatt(devicePath, service, command, notify);
        return true;
    }

    private static bool Is(Dictionary<string, object?> props, string key, string expected) =>
        props.TryGetValue(key, out object? v) && v is string s && string.Equals(s, expected, StringComparison.OrdinalIgnoreCase);
}
