namespace IolaEdge.Bluetooth.DBus;

/// <summary>
/// A copy of <c>GetManagedObjects() → a{oa{sa{sv}}}</c>: path → interface → property → value
/// (simple types only; others are null). Setup path: allocation is fine.
/// </summary>
internal sealed class ManagedObjects
{
    public ManagedObjects(Dictionary<string, Dictionary<string, Dictionary<string, object?>>> objects) => Objects = objects;

    /// <summary>Every object.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, object?>>> Objects { get; }

    /// <summary>Reads the reply of GetManagedObjects.</summary>
    public static ManagedObjects Read(BusMessageReader reply)
    {
        var objects = new Dictionary<string, Dictionary<string, Dictionary<string, object?>>>(StringComparer.Ordinal);
        reply.Enter((byte)'a', "{oa{sa{sv}}}\0"u8);
        while (reply.Enter((byte)'e', "oa{sa{sv}}\0"u8))
        {
            string path = reply.ReadString((byte)'o');
            objects[path] = ReadInterfaces(reply);
            reply.Exit();
        }

        reply.Exit();
        return new ManagedObjects(objects);
    }

    /// <summary>Reads <c>a{sa{sv}}</c> (also the second argument of InterfacesAdded).</summary>
    public static Dictionary<string, Dictionary<string, object?>> ReadInterfaces(BusMessageReader reader)
    {
        var interfaces = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        reader.Enter((byte)'a', "{sa{sv}}\0"u8);
        while (reader.Enter((byte)'e', "sa{sv}\0"u8))
        {
            string iface = reader.ReadString();
            interfaces[iface] = ReadProperties(reader);
            reader.Exit();
        }

        reader.Exit();
        return interfaces;
    }

    /// <summary>Reads <c>a{sv}</c>.</summary>
    public static Dictionary<string, object?> ReadProperties(BusMessageReader reader)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        reader.Enter((byte)'a', "{sv}\0"u8);
        while (reader.Enter((byte)'e', "sv\0"u8))
        {
            string name = reader.ReadString();
            properties[name] = reader.ReadVariant();
            reader.Exit();
        }

        reader.Exit();
        return properties;
    }

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
