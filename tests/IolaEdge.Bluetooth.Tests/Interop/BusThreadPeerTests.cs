using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.DBus;
using IolaEdge.Bluetooth.Interop;
using IolaEdge.Bluetooth.Tests.Support;

namespace IolaEdge.Bluetooth.Tests.Interop;

/// <summary>The bus thread and the typed errors against a real dbus-daemon and the BlueZ mock.</summary>
[Trait("Category", "Peer")]
public class BusThreadPeerTests
{
    private const string Mac = "F1:2B:3C:4D:5E:6F";

    [Fact]
    public async Task Error_replies_carry_the_method_and_the_dbus_error_name_and_message()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac);
        using var bus = new BusThread(rig.Address);
        await bus.Opened;
        Assert.StartsWith(":1.", bus.UniqueName, StringComparison.Ordinal);
        var client = new SdBusBlueZClient(bus, TimeSpan.FromSeconds(5));

        var unknownObject = await Assert.ThrowsAsync<BlueZException>(() => client.StartNotifyAsync("/org/bluez/hci0/dev_00_00_00_00_00_00/service0001/char0002"));
        Assert.StartsWith("org.freedesktop.DBus.Error.Unknown", unknownObject.ErrorName, StringComparison.Ordinal);
        Assert.Contains("org.bluez.GattCharacteristic1.StartNotify on /org/bluez/hci0/dev_00_00_00_00_00_00", unknownObject.Call, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(unknownObject.ErrorMessage));

        var unknownService = await Assert.ThrowsAsync<SdBusException>(() =>
            bus.CallAsync("org.example.NotThere", "/", "org.freedesktop.DBus.Peer", "Ping", null, TimeSpan.FromSeconds(5)));
        Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", unknownService.ErrorName);

        var badProperty = await Assert.ThrowsAsync<BlueZException>(() =>
            client.GetBooleanPropertyAsync("/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F", BlueZNames.Device, "NoSuchProperty"));
        Assert.NotNull(badProperty.ErrorName);

        // The connection is still healthy after errors.
        ManagedObjects objects = await client.GetManagedObjectsAsync();
        Assert.True(MetaWearGatt.TryLocate(objects, "/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F", out MetaWearGatt? gatt));
        Assert.EndsWith("char000d", gatt!.NotifyPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_that_goes_away_faults_the_bus_thread_and_later_calls_are_rejected()
    {
        using BluezRig rig = BluezRig.Start();
        using var bus = new BusThread(rig.Address);
        await bus.Opened;
        rig.StopMock();
        rig.StopDaemon();

        var stopped = await Assert.ThrowsAsync<SdBusException>(() => bus.Stopped.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("sd_bus_process", stopped.Call);
        Assert.True(stopped.Errno > 0);
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            bus.CallAsync("org.bluez", "/", BlueZNames.ObjectManager, "GetManagedObjects", null, TimeSpan.FromSeconds(1)));
    }
}
