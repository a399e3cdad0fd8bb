using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>The few libc calls the bus thread needs: an eventfd to wake it, poll, and fd I/O.</summary>
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Native names verbatim.")]
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    /// <summary><c>EFD_CLOEXEC | EFD_NONBLOCK</c> (Linux values).</summary>
    internal const int EfdCloexecNonblock = 0x80000 | 0x800;

    internal const short Pollin = 0x001;
    internal const short Pollout = 0x004;
    internal const int AfUnix = 1;
    internal const int SockStream = 1;
    internal const int SockCloexec = 0x80000;

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int poll(PollFd* fds, nuint nfds, int timeoutMs);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint read(int fd, void* buffer, nuint count);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint write(int fd, void* buffer, nuint count);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int socketpair(int domain, int type, int protocol, int* fds);

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
