using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>The one place where sd-bus results (negative errno) and <c>sd_bus_error</c>s become exceptions.</summary>
internal static unsafe class SdBusResult
{
    /// <summary>Throws <see cref="SdBusException"/> when <paramref name="result"/> is negative; returns it otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Check(int result, string call)
    {
        if (result < 0)
        {
            Throw(call, -result, null);
        }

        return result;
    }

    /// <summary>Turns an error reply (a message carrying an <c>sd_bus_error</c>) into an exception.</summary>
    internal static SdBusException FromErrorReply(nint message, string call)
    {
        SdBusError* error = SdBus.sd_bus_message_get_error(message);
        int errno = SdBus.sd_bus_message_get_errno(message);
        return error is null
            ? new SdBusException(call, errno, null, null)
            : new SdBusException(call, errno, Marshal.PtrToStringUTF8(error->Name), Marshal.PtrToStringUTF8(error->Message));
    }

    [DoesNotReturn]
    private static void Throw(string call, int errno, string? name) => throw new SdBusException(call, errno, name, null);
}
