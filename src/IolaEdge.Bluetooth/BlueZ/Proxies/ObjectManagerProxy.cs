using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary><c>org.freedesktop.DBus.ObjectManager</c> of BlueZ at <c>/</c>.</summary>
internal sealed class ObjectManagerProxy(BlueZBus bus)
{
    private const string Path = "/";

    /// <summary><c>GetManagedObjects() → a{oa{sa{sv}}}</c>.</summary>
    public async Task<ManagedObjects> GetManagedObjectsAsync() =>
        new(await bus.CallAsync(Path, BlueZNames.ObjectManager, "GetManagedObjects", null, null, static (m, _) =>
        {
            Reader reader = m.GetBodyReader();
            return VariantReading.ReadObjects(ref reader);
        }).ConfigureAwait(false));

    /// <summary><c>InterfacesAdded(o, a{sa{sv}})</c>; the handler runs on the receive loop.</summary>
    public Task<IAsyncDisposable> WatchInterfacesAddedAsync(Action<string, Dictionary<string, Dictionary<string, object?>>> handler) =>
        bus.WatchAsync(Rule("InterfacesAdded"), static (m, state) =>
        {
            Reader reader = m.GetBodyReader();
            string path = reader.ReadObjectPathAsString();
            ((Action<string, Dictionary<string, Dictionary<string, object?>>>)state!)(path, VariantReading.ReadInterfaces(ref reader));
            return true;
        }, handler);

    /// <summary><c>InterfacesRemoved(o, as)</c>; the handler runs on the receive loop.</summary>
    public Task<IAsyncDisposable> WatchInterfacesRemovedAsync(Action<string> handler) =>
        bus.WatchAsync(Rule("InterfacesRemoved"), static (m, state) =>
        {
            Reader reader = m.GetBodyReader();
            ((Action<string>)state!)(reader.ReadObjectPathAsString());
            return true;
        }, handler);

    private static MatchRule Rule(string member) =>
        new() { Type = MessageType.Signal, Path = Path, Interface = BlueZNames.ObjectManager, Member = member };
}
