using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Systemd;

/// <summary>A systemd notification failed: carries what failed (the notify socket, a watchdog variable), the errno and its text.</summary>
internal sealed class SystemdException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/> returning <c>-<paramref name="errno"/></c>.</summary>
    public SystemdException(string call, int errno)
        : base($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Call = call;
        Errno = errno;
    }

    /// <summary>Creates an exception with a message.</summary>
    public SystemdException(string message)
        : base(message)
    {
        Call = string.Empty;
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public SystemdException(string message, Exception innerException)
        : base(message, innerException)
    {
        Call = string.Empty;
    }

    /// <summary>Creates an empty exception.</summary>
    public SystemdException()
    {
        Call = string.Empty;
    }

    /// <summary>The native function that failed.</summary>
    public string Call { get; }

    /// <summary>The errno it reported.</summary>
    public int Errno { get; }
}
