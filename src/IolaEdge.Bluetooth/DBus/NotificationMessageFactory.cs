using IolaEdge.Bluetooth.Interop;

namespace IolaEdge.Bluetooth.DBus;

/// <summary>
/// Builds real, sealed sd-bus <c>PropertiesChanged(Value: ay)</c> messages in-process, exactly as
/// BlueZ sends a notification — for allocation tests and benchmarks of the callback path without a
/// peer. Not used in production. Single-threaded; dispose to release the bus and the socket pair.
/// </summary>
internal sealed unsafe class NotificationMessageFactory : IDisposable
{
    private readonly BusConnection _bus;
    private readonly int _peerFd;
    private ulong _cookie;

    public NotificationMessageFactory() => _bus = BusConnection.OpenUnconnectedForMessages(out _peerFd);

    /// <summary>A sealed signal ready to be read; call <see cref="Rewind"/> before each reuse.</summary>
    public SdBusMessageHandle Create(string path, ReadOnlySpan<byte> value, string iface = "org.bluez.GattCharacteristic1")
    {
        SdBusMessageHandle m = _bus.NewSignal(path, "org.freedesktop.DBus.Properties", "PropertiesChanged");
        var w = new BusMessageWriter(m);
        w.String(iface).Open((byte)'a', "{sv}\0"u8);
        w.Open((byte)'e', "sv\0"u8).String("Value").Open((byte)'v', "ay\0"u8).ByteArray(value).Close().Close();
        w.Close();
        w.Open((byte)'a', "s\0"u8).Close();
        SdBusResult.Check(SdBus.sd_bus_message_seal(m.DangerousGetHandle(), ++_cookie, 0), "sd_bus_message_seal");
        return m;
    }

    /// <summary>Moves the read pointer back to the first argument (no allocation).</summary>
    public static void Rewind(SdBusMessageHandle message) =>
        SdBusResult.Check(SdBus.sd_bus_message_rewind(message.DangerousGetHandle(), 1), "sd_bus_message_rewind");

    public void Dispose()
    {
        _bus.Dispose();
        Libc.close(_peerFd);
    }
}
