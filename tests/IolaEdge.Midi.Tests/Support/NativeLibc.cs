using System.Runtime.InteropServices;

namespace IolaEdge.Midi.Tests.Support;

/// <summary>libc calls tests need: setenv (Environment.SetEnvironmentVariable does not reach native getenv on Unix) and mkfifo.</summary>
internal static partial class NativeLibc
{
    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvNative(string name, string value, int overwrite);

    [LibraryImport("libc.so.6", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifoNative(string path, uint mode);

    [LibraryImport("libc.so.6", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FcntlNative(nint fd, int command, int argument);

    /// <summary>Sets a pipe's (FIFO's) buffer size (F_SETPIPE_SZ); returns the size the kernel chose (at least a page).</summary>
    public static int SetPipeSize(Microsoft.Win32.SafeHandles.SafeFileHandle pipe, int bytes)
    {
        const int F_SETPIPE_SZ = 1031;
        int size = FcntlNative(pipe.DangerousGetHandle(), F_SETPIPE_SZ, bytes);
        if (size < 0)
        {
            throw new IOException($"fcntl(F_SETPIPE_SZ) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return size;
    }

    /// <summary>Sets a variable for native code and for .NET.</summary>
    public static void SetEnv(string name, string value)
    {
        if (SetEnvNative(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Creates a FIFO.</summary>
    public static void MkFifo(string path)
    {
        if (MkFifoNative(path, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new IOException($"mkfifo({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
