using System.Runtime.InteropServices;
using IolaEdge.Bluetooth.Interop;

namespace IolaEdge.Bluetooth.DBus;

/// <summary>
/// Reads a message in place. The Try methods never allocate and never throw (hot path); the others
/// throw <see cref="SdBusException"/> and may allocate (setup path).
/// </summary>
/// <remarks>
/// Spans returned point into the message and are valid only until the callback that received the
/// message returns (or the owner unrefs it). Contents strings passed in must end with <c>\0</c>.
/// </remarks>
internal readonly unsafe ref struct BusMessageReader
{
    private readonly nint _message;

    /// <summary>Wraps a borrowed or owned message pointer.</summary>
    public BusMessageReader(nint message) => _message = message;

    /// <summary>The raw message pointer.</summary>
    public nint Handle => _message;

    /// <summary>Reads a string-like basic value ('s', 'o', 'g') as a view of its UTF-8 bytes.</summary>
    public bool TryReadStringSpan(byte type, out ReadOnlySpan<byte> value)
    {
        byte* p = null;
        if (SdBus.sd_bus_message_read_basic(_message, type, &p) <= 0 || p is null)
        {
            value = default;
            return false;
        }

        value = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(p);
        return true;
    }

    /// <summary>Enters a container; false at the end of an array or on error.</summary>
    public bool TryEnter(byte type, ReadOnlySpan<byte> contentsZ)
    {
        fixed (byte* c = contentsZ)
        {
            return SdBus.sd_bus_message_enter_container(_message, type, c) > 0;
        }
    }

    /// <summary>Leaves the current container.</summary>
    public bool TryExit() => SdBus.sd_bus_message_exit_container(_message) >= 0;

    /// <summary>Skips the next value(s) of the given signature.</summary>
    public bool TrySkip(ReadOnlySpan<byte> typesZ)
    {
        fixed (byte* t = typesZ)
        {
            return SdBus.sd_bus_message_skip(_message, t) >= 0;
        }
    }

    /// <summary>Reads an array of fixed-size elements as a zero-copy view.</summary>
    public bool TryReadByteArray(out ReadOnlySpan<byte> bytes)
    {
        void* data = null;
        nuint size = 0;
        if (SdBus.sd_bus_message_read_array(_message, (byte)'y', &data, &size) < 0)
        {
            bytes = default;
            return false;
        }

        bytes = size == 0 ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(data, checked((int)size));
        return true;
    }

    /// <summary>Peeks the type of the next value (0 at the end of a container) and the contents signature of a container.</summary>
    public bool TryPeek(out byte type, out ReadOnlySpan<byte> contents)
    {
        byte t = 0;
        byte* c = null;
        int r = SdBus.sd_bus_message_peek_type(_message, &t, &c);
        type = r > 0 ? t : (byte)0;
        contents = c is null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(c);
        return r >= 0;
    }

    /// <summary>Reads a string-like basic value as a managed string (allocates; setup path).</summary>
    public string ReadString(byte type = (byte)'s')
    {
        byte* p = null;
        SdBusResult.Check(SdBus.sd_bus_message_read_basic(_message, type, &p), "sd_bus_message_read_basic");
        return Marshal.PtrToStringUTF8((nint)p) ?? string.Empty;
    }

    /// <summary>Reads a D-Bus boolean ('b' is a 4-byte int on the wire and in sd-bus).</summary>
    public bool ReadBoolean()
    {
        int v = 0;
        SdBusResult.Check(SdBus.sd_bus_message_read_basic(_message, (byte)'b', &v), "sd_bus_message_read_basic");
        return v != 0;
    }

    /// <summary>Reads a fixed-size basic value of type <paramref name="type"/> into an unmanaged T of matching width.</summary>
    public T ReadFixed<T>(byte type)
        where T : unmanaged
    {
        T v = default;
        SdBusResult.Check(SdBus.sd_bus_message_read_basic(_message, type, &v), "sd_bus_message_read_basic");
        return v;
    }

    /// <summary>Enters a container, throwing on error; returns false at the end of an array.</summary>
    public bool Enter(byte type, ReadOnlySpan<byte> contentsZ)
    {
        fixed (byte* c = contentsZ)
        {
            return SdBusResult.Check(SdBus.sd_bus_message_enter_container(_message, type, c), "sd_bus_message_enter_container") > 0;
        }
    }

    /// <summary>Leaves the current container, throwing on error.</summary>
    public void Exit() => SdBusResult.Check(SdBus.sd_bus_message_exit_container(_message), "sd_bus_message_exit_container");

    /// <summary>Skips the next value(s) of the given signature, throwing on error.</summary>
    public void Skip(ReadOnlySpan<byte> typesZ)
    {
        fixed (byte* t = typesZ)
        {
            SdBusResult.Check(SdBus.sd_bus_message_skip(_message, t), "sd_bus_message_skip");
        }
    }

    /// <summary>Reads a byte array as a copy (setup path).</summary>
    public byte[] ReadByteArrayCopy()
    {
        void* data = null;
        nuint size = 0;
        SdBusResult.Check(SdBus.sd_bus_message_read_array(_message, (byte)'y', &data, &size), "sd_bus_message_read_array");
        return new ReadOnlySpan<byte>(data, checked((int)size)).ToArray();
    }

    /// <summary>Reads a variant holding a value of a simple type into a managed object (s, o, g, b, y, n, q, i, u, x, t, as, ao, ay), skipping others (returns null).</summary>
    public object? ReadVariant()
    {
        if (!TryPeek(out byte type, out ReadOnlySpan<byte> contents) || type != (byte)'v')
        {
            throw new SdBusException("sd_bus_message_peek_type", 0, "org.freedesktop.DBus.Error.InvalidSignature", "expected a variant");
        }

        string signature = System.Text.Encoding.UTF8.GetString(contents);
        if (signature is not ("s" or "o" or "g" or "b" or "y" or "n" or "q" or "i" or "u" or "x" or "t" or "as" or "ao" or "ay"))
        {
            Skip("v\0"u8);
            return null;
        }

        Span<byte> sigZ = stackalloc byte[contents.Length + 1];
        contents.CopyTo(sigZ);
        sigZ[^1] = 0;
        Enter((byte)'v', sigZ);
        object value = signature switch
        {
            "s" or "o" or "g" => ReadString((byte)signature[0]),
            "b" => ReadBoolean(),
            "y" => ReadFixed<byte>((byte)'y'),
            "n" => ReadFixed<short>((byte)'n'),
            "q" => ReadFixed<ushort>((byte)'q'),
            "i" => ReadFixed<int>((byte)'i'),
            "u" => ReadFixed<uint>((byte)'u'),
            "x" => ReadFixed<long>((byte)'x'),
            "t" => ReadFixed<ulong>((byte)'t'),
            "ay" => ReadByteArrayCopy(),
            _ => ReadStringArray((byte)signature[1]),
        };
        Exit();
        return value;
    }

    private string[] ReadStringArray(byte elementType)
    {
        Span<byte> c = [elementType, 0];
        Enter((byte)'a', c);
        var list = new List<string>();
        while (TryPeek(out byte t, out _) && t != 0)
        {
            list.Add(ReadString(elementType));
        }

        Exit();
        return [.. list];
    }
}
