using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Control.Interop;

/// <summary>What kind of file system object a path is, without opening it (opening a FIFO would block).</summary>
internal enum FileKind
{
    /// <summary>Nothing at the path.</summary>
    Missing,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>Anything else: FIFO, device, symbolic link.</summary>
    Other,
}

/// <summary>lstat(2) through the runtime's own System.Native shim, whose FileStatus layout is the same on every
/// architecture (glibc's struct stat is not: st_mode sits at offset 24 on x86-64 and 16 on arm64).</summary>
internal static partial class FileKinds
{
    // FileStatus (src/native/libs/System.Native/pal_io.h): int32 Flags, int32 Mode, then times and sizes. Only
    // Mode is read; the buffer is larger than the struct so a newer runtime's extra fields cannot overrun it.
    private const int StatusBufferBytes = 256;
    private const int ModeOffset = 4;
    private const int TypeMask = 0xF000;
    private const int SocketType = 0xC000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;

    /// <summary>The kind of <paramref name="path"/> (symbolic links are not followed).</summary>
    public static unsafe FileKind Of(string path)
    {
        byte* status = stackalloc byte[StatusBufferBytes];
        if (SystemNative_LStat(path, status) != 0)
        {
            return FileKind.Missing;
        }

        return (*(int*)(status + ModeOffset) & TypeMask) switch
        {
            SocketType => FileKind.Socket,
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Other,
        };
    }

    [LibraryImport("libSystem.Native", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int SystemNative_LStat(string path, byte* output);
}
