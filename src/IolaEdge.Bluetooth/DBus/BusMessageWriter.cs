using IolaEdge.Bluetooth.Interop;

namespace IolaEdge.Bluetooth.DBus;

/// <summary>
/// Appends arguments to a method call being built on the bus thread. Every call is checked and
/// throws <see cref="SdBusException"/> (setup path; allocation is acceptable).
/// </summary>
internal sealed unsafe class BusMessageWriter
{
    private readonly nint _message;

    /// <summary>Wraps a message owned by the caller for the duration of the build.</summary>
    public BusMessageWriter(SdBusMessageHandle message) => _message = message.DangerousGetHandle();

    /// <summary>Appends a string-like basic value ('s', 'o', 'g').</summary>
    public BusMessageWriter String(string value, byte type = (byte)'s')
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length) + 1;
        Span<byte> z = max <= 512 ? stackalloc byte[max] : new byte[max];
        int n = System.Text.Encoding.UTF8.GetBytes(value, z);
        z[n] = 0;
        fixed (byte* p = z)
        {
            SdBusResult.Check(SdBus.sd_bus_message_append_basic(_message, type, p), "sd_bus_message_append_basic");
        }

        return this;
    }

    /// <summary>Appends an object path.</summary>
    public BusMessageWriter ObjectPath(string path) => String(path, (byte)'o');

    /// <summary>Appends a boolean ('b' is a 4-byte int).</summary>
    public BusMessageWriter Boolean(bool value)
    {
        int v = value ? 1 : 0;
        SdBusResult.Check(SdBus.sd_bus_message_append_basic(_message, (byte)'b', &v), "sd_bus_message_append_basic");
        return this;
    }

    /// <summary>Appends an <c>ay</c>.</summary>
    public BusMessageWriter ByteArray(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            SdBusResult.Check(SdBus.sd_bus_message_append_array(_message, (byte)'y', p, (nuint)bytes.Length), "sd_bus_message_append_array");
        }

        return this;
    }

    /// <summary>Opens a container; <paramref name="contentsZ"/> must end with <c>\0</c>.</summary>
    public BusMessageWriter Open(byte type, ReadOnlySpan<byte> contentsZ)
    {
        fixed (byte* c = contentsZ)
        {
            SdBusResult.Check(SdBus.sd_bus_message_open_container(_message, type, c), "sd_bus_message_open_container");
        }

        return this;
    }

    /// <summary>Closes the innermost open container.</summary>
    public BusMessageWriter Close()
    {
        SdBusResult.Check(SdBus.sd_bus_message_close_container(_message), "sd_bus_message_close_container");
        return this;
    }

    /// <summary>Appends an <c>a{sv}</c> whose values are strings or string arrays (the shapes BlueZ options use).</summary>
    public BusMessageWriter StringDictionary(IEnumerable<KeyValuePair<string, object>> entries)
    {
        Open((byte)'a', "{sv}\0"u8);
        foreach ((string key, object value) in entries)
        {
            Open((byte)'e', "sv\0"u8).String(key);
            switch (value)
            {
                case string s:
                    Open((byte)'v', "s\0"u8).String(s).Close();
                    break;
                case bool b:
                    Open((byte)'v', "b\0"u8).Boolean(b).Close();
                    break;
                case IEnumerable<string> list:
                    Open((byte)'v', "as\0"u8).Open((byte)'a', "s\0"u8);
                    foreach (string item in list)
                    {
                        String(item);
                    }

                    Close().Close();
                    break;
                default:
                    throw new ArgumentException($"unsupported option value type {value.GetType().Name} for key '{key}'", nameof(entries));
            }

            Close();
        }

        return Close();
    }
}
