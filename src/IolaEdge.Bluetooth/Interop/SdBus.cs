using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>
/// sd-bus from libsystemd.so.0 (systemd ≥ 237 for <c>sd_bus_match_signal</c>; Raspberry Pi OS
/// bookworm ships 252). Non-variadic calls only: the varargs helpers cannot be called safely
/// through P/Invoke. Every function returns a negative errno on failure; callers check the result
/// in one place (<see cref="SdBusResult"/>).
/// </summary>
/// <remarks>
/// Thread ownership: a bus and everything created from it is used by one thread at a time — in
/// this library, the bus thread (<see cref="DBus.BusThread"/>). Message pointers passed to
/// callbacks are borrowed; never unref them or keep pointers into them.
/// </remarks>
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Native names verbatim.")]
internal static unsafe partial class SdBus
{
    private const string Lib = "libsystemd.so.0";

    [LibraryImport(Lib)]
    internal static partial int sd_bus_open_system(out SdBusHandle bus);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_new(out SdBusHandle bus);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sd_bus_set_address(SdBusHandle bus, string address);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_set_fd(SdBusHandle bus, int inputFd, int outputFd);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_set_bus_client(SdBusHandle bus, int b);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_start(SdBusHandle bus);

    [LibraryImport(Lib)]
    internal static partial void sd_bus_close(SdBusHandle bus);

    [LibraryImport(Lib)]
    internal static partial nint sd_bus_flush_close_unref(nint bus);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_get_unique_name(SdBusHandle bus, byte** unique);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_get_fd(SdBusHandle bus);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_get_events(SdBusHandle bus);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_get_timeout(SdBusHandle bus, out ulong absoluteUsec);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_process(SdBusHandle bus, nint* ret);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sd_bus_message_new_method_call(
        SdBusHandle bus, out SdBusMessageHandle message, string destination, string path, string iface, string member);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sd_bus_message_new_signal(
        SdBusHandle bus, out SdBusMessageHandle message, string path, string iface, string member);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_seal(nint message, ulong cookie, ulong timeoutUsec);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_rewind(nint message, int complete);

    [LibraryImport(Lib)]
    internal static partial nint sd_bus_message_unref(nint message);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_call_async(
        SdBusHandle bus,
        nint* slot,
        nint message,
        delegate* unmanaged[Cdecl]<nint, nint, SdBusError*, int> callback,
        nint userdata,
        ulong usec);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_match_signal(
        SdBusHandle bus,
        out SdBusSlotHandle slot,
        byte* sender,
        byte* path,
        byte* iface,
        byte* member,
        delegate* unmanaged[Cdecl]<nint, nint, SdBusError*, int> callback,
        nint userdata);

    [LibraryImport(Lib)]
    internal static partial nint sd_bus_slot_unref(nint slot);

    [LibraryImport(Lib)]
    internal static partial SdBusError* sd_bus_message_get_error(nint message);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_get_errno(nint message);

    [LibraryImport(Lib)]
    internal static partial void sd_bus_error_free(SdBusError* error);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_append_basic(nint message, byte type, void* value);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_append_array(nint message, byte type, void* ptr, nuint size);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_open_container(nint message, byte type, byte* contents);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_close_container(nint message);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_enter_container(nint message, byte type, byte* contents);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_exit_container(nint message);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_peek_type(nint message, byte* type, byte** contents);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_read_basic(nint message, byte type, void* value);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_read_array(nint message, byte type, void** ptr, nuint* size);

    [LibraryImport(Lib)]
    internal static partial int sd_bus_message_skip(nint message, byte* types);
}
