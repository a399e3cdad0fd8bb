namespace IolaEdge.Bluetooth;

/// <summary>A Bluetooth source option is invalid; the message names the key, the value and what is allowed.</summary>
public sealed class BleOptionsException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public BleOptionsException(string key, object? value, string allowed)
        : base($"Invalid option {key} = '{value}': {allowed}.", key)
    {
        Key = key;
    }

    /// <summary>Creates an exception with a message.</summary>
    public BleOptionsException()
    {
        Key = string.Empty;
    }

    /// <summary>Creates an exception with a message.</summary>
    public BleOptionsException(string message)
        : base(message)
    {
        Key = string.Empty;
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public BleOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    /// <summary>Configuration key, e.g. <c>Ble:RangeG</c> or <c>Ble:Sensors:1:Address</c>.</summary>
    public string Key { get; }
}
