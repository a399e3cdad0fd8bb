using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary><c>org.freedesktop.DBus.Properties</c> of one BlueZ object: Get, Set, GetAll and the PropertiesChanged match.</summary>
internal sealed class PropertiesProxy(BlueZBus bus, string path)
{
    /// <summary>The object path.</summary>
    public string Path => path;

    /// <summary><c>Get(iface, name) → v</c> as a plain value (see <see cref="VariantReading"/>).</summary>
    public Task<object?> GetAsync(string iface, string name) =>
        bus.CallAsync(path, BlueZNames.Properties, "Get", "ss", (ref MessageWriter w) =>
        {
            w.WriteString(iface);
            w.WriteString(name);
        }, static (m, _) =>
        {
            Reader reader = m.GetBodyReader();
            return VariantReading.ReadVariant(ref reader);
        });

    /// <summary><c>GetAll(iface) → a{sv}</c>.</summary>
    public Task<Dictionary<string, object?>> GetAllAsync(string iface) =>
        bus.CallAsync(path, BlueZNames.Properties, "GetAll", "s", (ref MessageWriter w) => w.WriteString(iface), static (m, _) =>
        {
            Reader reader = m.GetBodyReader();
            return VariantReading.ReadProperties(ref reader);
        });

    /// <summary><c>Set(iface, name, &lt;b&gt;)</c>.</summary>
    public Task SetBooleanAsync(string iface, string name, bool value) =>
        bus.CallAsync(path, BlueZNames.Properties, "Set", "ssv", (ref MessageWriter w) =>
        {
            w.WriteString(iface);
            w.WriteString(name);
            w.WriteVariantBool(value);
        });

    /// <summary>
    /// <c>PropertiesChanged(s, a{sv}, as)</c> of <paramref name="iface"/> on this object. The reader runs on the
    /// receive loop with the message positioned at the first argument; <paramref name="state"/> is passed to it.
    /// </summary>
    public Task<IAsyncDisposable> WatchChangesAsync(string iface, MessageValueReader<bool> reader, object state) =>
        bus.WatchAsync(
            new MatchRule { Type = MessageType.Signal, Path = path, Interface = BlueZNames.Properties, Member = "PropertiesChanged", Arg0 = iface },
            reader,
            state);
}
