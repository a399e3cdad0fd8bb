using System.Runtime.InteropServices;

namespace IolaEdge.Bluetooth.Interop;

/// <summary>
/// A failed sd-bus call or an error reply from a D-Bus peer: carries the native call (or D-Bus
/// method), the errno and its text, and the D-Bus error name and message when there is one.
/// </summary>
public sealed class SdBusException : Exception
{
    /// <summary>Creates the exception; prefer the factory in the interop layer.</summary>
    public SdBusException(string call, int errno, string? errorName, string? errorMessage)
        : base(Describe(call, errno, errorName, errorMessage))
    {
        Call = call;
        Errno = errno;
        ErrnoText = errno == 0 ? string.Empty : Marshal.GetPInvokeErrorMessage(errno);
        ErrorName = errorName;
        ErrorMessage = errorMessage;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public SdBusException()
        : this("unknown", 0, null, null)
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public SdBusException(string message)
        : base(message)
    {
        Call = "unknown";
    }

    /// <summary>Creates an exception wrapping another.</summary>
    public SdBusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Call = "unknown";
    }

    /// <summary>The native function (e.g. <c>sd_bus_start</c>) or D-Bus method (<c>org.bluez.Device1.Connect</c>).</summary>
    public string Call { get; }

    /// <summary>Positive errno (0 when the failure is only a D-Bus error reply).</summary>
    public int Errno { get; }

    /// <summary><c>strerror(Errno)</c>.</summary>
    public string ErrnoText { get; } = string.Empty;

    /// <summary>D-Bus error name, e.g. <c>org.bluez.Error.Failed</c>, or null.</summary>
    public string? ErrorName { get; }

    /// <summary>D-Bus error message, or null.</summary>
    public string? ErrorMessage { get; }

    private static string Describe(string call, int errno, string? name, string? message)
    {
        string text = errno == 0 ? string.Empty : $" errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
        string dbus = name is null ? string.Empty : $" {name}: {message}";
        return $"{call} failed:{text}{dbus}";
    }
}
