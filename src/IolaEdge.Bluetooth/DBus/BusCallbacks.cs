using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IolaEdge.Bluetooth.Interop;

namespace IolaEdge.Bluetooth.DBus;

/// <summary>
/// The two native entry points sd-bus calls back into: signal dispatch and method replies.
/// <c>userdata</c> is a <see cref="GCHandle"/> to the managed target. Nothing may throw out of
/// here (the process would die): failures are caught and counted.
/// </summary>
internal static unsafe class BusCallbacks
{
    private static long s_handlerFailures;

    /// <summary>Exceptions caught from signal handlers or reply completion since start.</summary>
    public static long HandlerFailures => Volatile.Read(ref s_handlerFailures);

    /// <summary>The signal callback given to <c>sd_bus_match_signal</c>.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint, SdBusError*, int> Signal => &OnSignal;

    /// <summary>The reply callback given to <c>sd_bus_call_async</c>.</summary>
    public static delegate* unmanaged[Cdecl]<nint, nint, SdBusError*, int> Reply => &OnReply;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnSignal(nint message, nint userdata, SdBusError* error)
    {
        try
        {
            // Target is an ISignalHandler kept alive by its subscription; the cast is a type check, no allocation.
            var handler = (ISignalHandler)GCHandle.FromIntPtr(userdata).Target!;
            handler.OnSignal(new BusMessageReader(message));
        }
#pragma warning disable CA1031 // must not unwind into native code
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref s_handlerFailures);
        }

        return 0; // 0 = let other matches see the message too
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnReply(nint message, nint userdata, SdBusError* error)
    {
        try
        {
            var pending = (PendingCall)GCHandle.FromIntPtr(userdata).Target!;
            pending.Owner?.Release(pending); // one reply per call: sd-bus frees the floating slot after this callback
            if (SdBus.sd_bus_message_get_error(message) is not null)
            {
                pending.Fail(SdBusResult.FromErrorReply(message, pending.Call));
            }
            else
            {
                pending.Complete(new BusMessageReader(message));
            }
        }
#pragma warning disable CA1031 // must not unwind into native code
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref s_handlerFailures);
        }

        return 0;
    }
}
