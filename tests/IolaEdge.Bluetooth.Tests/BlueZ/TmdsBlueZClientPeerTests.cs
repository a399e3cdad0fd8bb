using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.BlueZ.Proxies;
using IolaEdge.Bluetooth.Tests.Peer;
using IolaEdge.Bluetooth.Tests.Support;
using Tmds.DBus.Protocol;
using Xunit.Abstractions;

namespace IolaEdge.Bluetooth.Tests.BlueZ;

/// <summary>The Tmds.DBus.Protocol client and its typed proxies against a real dbus-daemon and the BlueZ mock, failure paths first.</summary>
[Trait("Category", "Peer")]
public class TmdsBlueZClientPeerTests(ITestOutputHelper output)
{
    private const string Mac = "F1:2B:3C:4D:5E:6F";
    private const string Device = "/org/bluez/hci0/dev_F1_2B_3C_4D_5E_6F";
    private const string Notify = Device + "/service000a/char000d";

    [Fact]
    public async Task Error_replies_carry_the_method_and_the_dbus_error_name_and_message()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac);
        await using TmdsBlueZClient client = await TmdsBlueZClient.OpenAsync(rig.Address, TimeSpan.FromSeconds(5));
        Assert.StartsWith(":1.", client.UniqueName, StringComparison.Ordinal);

        var unknownObject = await Assert.ThrowsAsync<BlueZException>(() => client.StartNotifyAsync("/org/bluez/hci0/dev_00_00_00_00_00_00/service0001/char0002"));
        Assert.StartsWith("org.freedesktop.DBus.Error.Unknown", unknownObject.ErrorName, StringComparison.Ordinal);
        Assert.Contains("org.bluez.GattCharacteristic1.StartNotify on /org/bluez/hci0/dev_00_00_00_00_00_00", unknownObject.Call, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(unknownObject.ErrorMessage));

        var unknownService = await Assert.ThrowsAsync<BlueZException>(() =>
            client.Bus.CallAsync("org.example.NotThere", "/", "org.freedesktop.DBus.Peer", "Ping", null, null, static (_, _) => true));
        Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", unknownService.ErrorName);

        var badProperty = await Assert.ThrowsAsync<BlueZException>(() => client.GetBooleanPropertyAsync(Device, BlueZNames.Device, "NoSuchProperty"));
        Assert.NotNull(badProperty.ErrorName);

        // The connection is still healthy after errors, and the typed proxies read the mock's objects.
        ManagedObjects objects = await client.GetManagedObjectsAsync();
        Assert.True(MetaWearGatt.TryLocate(objects, Device, out MetaWearGatt? gatt));
        Assert.EndsWith("char000d", gatt!.NotifyPath, StringComparison.Ordinal);
        GattService1Properties service = await new GattService1Proxy(client.Bus, gatt.ServicePath).GetPropertiesAsync();
        Assert.Equal((BlueZNames.MetaWearServiceUuid, Device, true), (service.Uuid, service.Device, service.Primary));
        Assert.True(await new Adapter1Proxy(client.Bus, "/org/bluez/hci0").GetPoweredAsync());
        Assert.Equal(Array.Empty<byte>(), objects.Objects[Notify][BlueZNames.GattCharacteristic]["Value"]);
        Assert.Equal(new[] { "notify" }, objects.Objects[Notify][BlueZNames.GattCharacteristic]["Flags"]);
    }

    [Fact]
    public async Task A_call_without_a_reply_in_time_fails_as_no_reply()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac);
        await using TmdsBlueZClient client = await TmdsBlueZClient.OpenAsync(rig.Address, TimeSpan.FromSeconds(5));
        await AddMockMethodAsync(client, Device, BlueZNames.Device, "Connect", "import time; time.sleep(1.5)");

        var ex = await Assert.ThrowsAsync<BlueZException>(() => client.ConnectAsync(Device, TimeSpan.FromMilliseconds(300)));
        Assert.Equal("org.freedesktop.DBus.Error.NoReply", ex.ErrorName);
        Assert.Contains("org.bluez.Device1.Connect", ex.Call, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_that_goes_away_faults_stopped_and_later_calls_fail_typed()
    {
        using BluezRig rig = BluezRig.Start();
        await using TmdsBlueZClient client = await TmdsBlueZClient.OpenAsync(rig.Address, TimeSpan.FromSeconds(2));
        rig.StopMock();
        rig.StopDaemon();

        var stopped = await Assert.ThrowsAsync<BlueZException>(() => client.Stopped.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(stopped.ErrorName);
        var call = await Assert.ThrowsAsync<BlueZException>(() => client.GetManagedObjectsAsync());
        Assert.Contains("GetManagedObjects", call.Call, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_bus_fails_opening_with_the_address_named_and_the_source_counts_it()
    {
        const string Missing = "unix:path=/nonexistent/iolaedge/system_bus_socket";
        var ex = await Assert.ThrowsAsync<BlueZException>(() => TmdsBlueZClient.OpenAsync(Missing, TimeSpan.FromSeconds(1)));
        Assert.Equal("connect " + Missing, ex.Call);
        Assert.Null(ex.ErrorName);

        BleImuSourceOptions options = BleSourceSpec.Parse("ble:" + Mac);
        options.BusAddress = Missing;
        options.InitialBackoff = TimeSpan.FromMilliseconds(50);
        var source = new BleImuSource(options);
        using var cts = new CancellationTokenSource();
        Task run = source.RunAsync(new CountingSink(), cts.Token);
        Assert.True(SpinWait.SpinUntil(() => source.BusFailures >= 2, TimeSpan.FromSeconds(10)));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, source.BusStarts);
        Assert.Contains("/nonexistent/iolaedge/system_bus_socket", source.BusError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_adapter_is_a_failed_attempt_with_the_reason_and_the_source_keeps_retrying()
    {
        using BluezRig rig = BluezRig.Start(); // the bluez5 template has no adapter until a device is added
        await using var session = new PeerSession(rig, "ble:" + Mac, 100, output);
        Assert.True(session.WaitUntil(() => session.Snapshot().FailedAttempts >= 2, TimeSpan.FromSeconds(20)), session.Describe());
        Assert.Equal("no Bluetooth adapter", session.Snapshot().LastError);
        Assert.Equal(0, session.Snapshot().Samples);
    }

    [Fact]
    public async Task A_refused_start_notify_fails_the_attempt_with_the_bluez_error_and_streams_once_it_is_accepted()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(600)), intervalMs: 5);
        await using (TmdsBlueZClient control = await TmdsBlueZClient.OpenAsync(rig.Address, TimeSpan.FromSeconds(5)))
        {
            await AddMockMethodAsync(control, Notify, BlueZNames.GattCharacteristic, "StartNotify",
                "raise dbus.exceptions.DBusException('Not permitted', name='org.bluez.Error.NotPermitted')");
        }

        await using var session = new PeerSession(rig, "ble:" + Mac, 1000, output, o => o.SampleCounter = false);
        Assert.True(session.WaitUntil(() => session.Snapshot().FailedAttempts >= 1, TimeSpan.FromSeconds(20)), session.Describe());
        Assert.Contains("org.bluez.Error.NotPermitted", session.Snapshot().LastError, StringComparison.Ordinal);
        Assert.Equal(0, session.Snapshot().Samples);
        Assert.DoesNotContain(rig.WrittenCommands(Mac), c => c == "030101"); // never started the board

        await using (TmdsBlueZClient control = await TmdsBlueZClient.OpenAsync(rig.Address, TimeSpan.FromSeconds(5)))
        {
            await AddMockMethodAsync(control, Notify, BlueZNames.GattCharacteristic, "StartNotify",
                "self.UpdateProperties('org.bluez.GattCharacteristic1', {'Notifying': dbus.Boolean(True)})");
        }

        Assert.True(session.Sink.WaitFor(300, TimeSpan.FromSeconds(60)), session.Describe());
        Assert.Equal(1, session.Snapshot().StreamStarts);
    }

    /// <summary>Replaces a mocked method's body through dbusmock's own API (org.freedesktop.DBus.Mock.AddMethod).</summary>
    private static Task AddMockMethodAsync(TmdsBlueZClient client, string path, string iface, string method, string code) =>
        client.Bus.CallAsync(path, "org.freedesktop.DBus.Mock", "AddMethod", "sssss", (ref MessageWriter w) =>
        {
            w.WriteString(iface);
            w.WriteString(method);
            w.WriteString(string.Empty);
            w.WriteString(string.Empty);
            w.WriteString(code);
        });
}
