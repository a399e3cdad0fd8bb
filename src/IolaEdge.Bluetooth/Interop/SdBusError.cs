using System.Runtime.InteropServices;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>
/// <c>sd_bus_error</c>: <c>{ const char* name; const char* message; int _need_free; }</c> (24 bytes on 64-bit).
/// Must start zeroed (SD_BUS_ERROR_NULL) and be released with <c>sd_bus_error_free</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SdBusError
{
    /// <summary>D-Bus error name (<c>const char*</c>), or null.</summary>
    public nint Name;

    /// <summary>Human-readable message (<c>const char*</c>), or null.</summary>
    public nint Message;

    /// <summary>Private ownership flag of sd-bus.</summary>
    public int NeedFree;
}
