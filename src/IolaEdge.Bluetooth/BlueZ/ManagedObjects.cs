namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>
/// A copy of <c>GetManagedObjects() → a{oa{sa{sv}}}</c>: path → interface → property → value
/// (simple types only, see <see cref="Proxies.VariantReading"/>; others are null). Setup path: allocation is fine.
/// </summary>
internal sealed class ManagedObjects
{
    /// <summary>Wraps what the object manager returned.</summary>
    public ManagedObjects(Dictionary<string, Dictionary<string, Dictionary<string, object?>>> objects) => Objects = objects;

    /// <summary>Every object.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, object?>>> Objects { get; }

    /// <summary>Paths of objects implementing <paramref name="iface"/>, in path order (deterministic).</summary>
    public IEnumerable<(string Path, Dictionary<string, object?> Properties)> WithInterface(string iface)
    {
        foreach (string path in Objects.Keys.Order(StringComparer.Ordinal))
        {
            if (Objects[path].TryGetValue(iface, out Dictionary<string, object?>? props))
            {
                yield return (path, props);
            }
        }
    }
}
