using System.Runtime.InteropServices;

namespace IolaEdge.Midi.Rtmidi.Interop;

/// <summary>
/// librtmidi 5.0.0 C API (<c>rtmidi_c.h</c>), names verbatim. Loaded as <c>librtmidi.so.6</c> (Debian
/// librtmidi6; the unversioned name only ships with -dev).
/// </summary>
/// <remarks>
/// Every create returns a heap <c>RtMidiWrapper*</c> that later calls mutate: it is held by a
/// <see cref="RtMidiHandle"/> and its fields are read through the pointer (<see cref="RtMidiWrapperLayout"/>),
/// never copied. Checked calls go through <see cref="RtMidiDevice"/> only. Strings are UTF-8 and
/// never null (a null name aborts the process inside the library).
/// </remarks>
internal static unsafe partial class RtMidiNative
{
    internal const string Library = "librtmidi.so.6";

    [LibraryImport(Library)]
    internal static partial int rtmidi_get_compiled_api(int* apis, uint apis_size);

    [LibraryImport(Library)]
    internal static partial byte* rtmidi_api_name(int api);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rtmidi_compiled_api_by_name(string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rtmidi_open_port(RtMidiHandle device, uint portNumber, string portName);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rtmidi_open_virtual_port(RtMidiHandle device, string portName);

    [LibraryImport(Library)]
    internal static partial void rtmidi_close_port(RtMidiHandle device);

    [LibraryImport(Library)]
    internal static partial uint rtmidi_get_port_count(RtMidiHandle device);

    [LibraryImport(Library)]
    internal static partial int rtmidi_get_port_name(RtMidiHandle device, uint portNumber, byte* bufOut, int* bufLen);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr rtmidi_in_create(int api, string clientName, uint queueSizeLimit);

    [LibraryImport(Library)]
    internal static partial void rtmidi_in_free(IntPtr device);

    [LibraryImport(Library)]
    internal static partial void rtmidi_in_ignore_types(RtMidiHandle device, [MarshalAs(UnmanagedType.U1)] bool midiSysex,
        [MarshalAs(UnmanagedType.U1)] bool midiTime, [MarshalAs(UnmanagedType.U1)] bool midiSense);

    [LibraryImport(Library)]
    internal static partial double rtmidi_in_get_message(RtMidiHandle device, byte* message, nuint* size);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr rtmidi_out_create(int api, string clientName);

    [LibraryImport(Library)]
    internal static partial void rtmidi_out_free(IntPtr device);

    [LibraryImport(Library)]
    internal static partial int rtmidi_out_send_message(RtMidiHandle device, byte* message, int length);
}

/// <summary>Field offsets of <c>struct RtMidiWrapper { void* ptr; void* data; bool ok; const char* msg; }</c> on LP64.</summary>
internal static class RtMidiWrapperLayout
{
    /// <summary>Offset of <c>ptr</c> (the C++ RtMidi object; NULL when create failed).</summary>
    public const int Ptr = 0;

    /// <summary>Offset of <c>ok</c> (1-byte C bool; sticky false after any failure).</summary>
    public const int Ok = 16;
}
