namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>
/// A BlueZ call failed: an error reply (<see cref="ErrorName"/> set, e.g. <c>org.bluez.Error.Failed</c>)
/// or a connection that could not be opened or was lost (<see cref="ErrorName"/> null).
/// </summary>
public sealed class BlueZException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/>.</summary>
    public BlueZException(string call, string? errorName, string? errorMessage, Exception? innerException = null)
        : base(Describe(call, errorName, errorMessage, innerException), innerException)
    {
        Call = call;
        ErrorName = errorName;
        ErrorMessage = errorMessage;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public BlueZException()
        : this("unknown", null, null)
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public BlueZException(string message)
        : base(message)
    {
        Call = "unknown";
    }

    /// <summary>Creates an exception wrapping another.</summary>
    public BlueZException(string message, Exception innerException)
        : base(message, innerException)
    {
        Call = "unknown";
    }

    /// <summary>What was attempted: a D-Bus method and path (<c>org.bluez.Device1.Connect on /org/bluez/hci0/dev_…</c>) or <c>connect unix:path=…</c>.</summary>
    public string Call { get; }

    /// <summary>D-Bus error name, or null when the connection failed.</summary>
    public string? ErrorName { get; }

    /// <summary>D-Bus error message, or null.</summary>
    public string? ErrorMessage { get; }

    private static string Describe(string call, string? name, string? message, Exception? inner) =>
        name is not null ? $"{call} failed: {name}: {message}" : $"{call} failed: {message ?? inner?.Message ?? "connection lost"}";
}
