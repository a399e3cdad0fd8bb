using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary>
/// Reads BlueZ's property dictionaries (<c>a{sv}</c>, <c>a{sa{sv}}</c>, <c>a{oa{sa{sv}}}</c>) into plain
/// managed values: s, o, g → string; b → bool; y, n, q, i, u, x, t → the matching integer; as, ao →
/// string[]; ay → byte[]; anything else → null. Setup path: allocates.
/// </summary>
internal static class VariantReading
{
    /// <summary>Reads <c>a{oa{sa{sv}}}</c>.</summary>
    public static Dictionary<string, Dictionary<string, Dictionary<string, object?>>> ReadObjects(ref Reader reader)
    {
        var objects = new Dictionary<string, Dictionary<string, Dictionary<string, object?>>>(StringComparer.Ordinal);
        ArrayEnd end = reader.ReadDictionaryStart();
        while (reader.HasNext(end))
        {
            string path = reader.ReadObjectPathAsString();
            objects[path] = ReadInterfaces(ref reader);
        }

        return objects;
    }

    /// <summary>Reads <c>a{sa{sv}}</c> (also the second argument of InterfacesAdded).</summary>
    public static Dictionary<string, Dictionary<string, object?>> ReadInterfaces(ref Reader reader)
    {
        var interfaces = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        ArrayEnd end = reader.ReadDictionaryStart();
        while (reader.HasNext(end))
        {
            string iface = reader.ReadString();
            interfaces[iface] = ReadProperties(ref reader);
        }

        return interfaces;
    }

    /// <summary>Reads <c>a{sv}</c>.</summary>
    public static Dictionary<string, object?> ReadProperties(ref Reader reader)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        ArrayEnd end = reader.ReadDictionaryStart();
        while (reader.HasNext(end))
        {
            string name = reader.ReadString();
            properties[name] = ReadVariant(ref reader);
        }

        return properties;
    }

    /// <summary>Reads one variant as a plain value, or skips it and returns null when its type is not a simple one.</summary>
    public static object? ReadVariant(ref Reader reader)
    {
        Reader probe = reader; // a copy: if the type is not ours, the original skips the whole variant
        ReadOnlySpan<byte> signature = probe.ReadSignatureAsSpan();
        object? value = signature switch
        {
            [(byte)'s'] => probe.ReadString(),
            [(byte)'o'] => probe.ReadObjectPathAsString(),
            [(byte)'g'] => probe.ReadSignatureAsString(),
            [(byte)'b'] => probe.ReadBool(),
            [(byte)'y'] => probe.ReadByte(),
            [(byte)'n'] => probe.ReadInt16(),
            [(byte)'q'] => probe.ReadUInt16(),
            [(byte)'i'] => probe.ReadInt32(),
            [(byte)'u'] => probe.ReadUInt32(),
            [(byte)'x'] => probe.ReadInt64(),
            [(byte)'t'] => probe.ReadUInt64(),
            [(byte)'a', (byte)'s'] => probe.ReadArrayOfString(),
            [(byte)'a', (byte)'o'] => Array.ConvertAll(probe.ReadArrayOfObjectPath(), p => p.ToString()),
            [(byte)'a', (byte)'y'] => probe.ReadArrayOfByte(),
            _ => null,
        };
        if (value is null)
        {
            reader.ReadVariantValue();
        }
        else
        {
            reader = probe;
        }

        return value;
    }
}
