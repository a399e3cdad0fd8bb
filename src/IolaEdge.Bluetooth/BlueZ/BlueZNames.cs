namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>BlueZ bus names, interfaces and the MetaWear GATT UUIDs (bluez-dbus.md §2, metawear-protocol.md §1).</summary>
internal static class BlueZNames
{
    public const string Service = "org.bluez";
    public const string ObjectManager = "org.freedesktop.DBus.ObjectManager";
    public const string Properties = "org.freedesktop.DBus.Properties";
    public const string Adapter = "org.bluez.Adapter1";
    public const string Device = "org.bluez.Device1";
    public const string GattService = "org.bluez.GattService1";
    public const string GattCharacteristic = "org.bluez.GattCharacteristic1";
    public const string DBusService = "org.freedesktop.DBus";
    public const string DBusPath = "/org/freedesktop/DBus";

    public const string MetaWearServiceUuid = "326a9000-85cb-9195-d9dd-464cfbbae75a";
    public const string MetaWearCommandUuid = "326a9001-85cb-9195-d9dd-464cfbbae75a";
    public const string MetaWearNotifyUuid = "326a9006-85cb-9195-d9dd-464cfbbae75a";
}
