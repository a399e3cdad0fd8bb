namespace IolaEdge.Bluetooth.DBus;

/// <summary>Receives signals matched by a subscription, on the bus thread.</summary>
/// <remarks>
/// Implementations must not block; the message is borrowed and valid only during the call.
/// Exceptions are caught by the dispatcher and counted (<see cref="BusCallbacks.HandlerFailures"/>),
/// never propagated into native code.
/// </remarks>
internal interface ISignalHandler
{
    /// <summary>Handles one signal; the reader is positioned at the first argument.</summary>
    void OnSignal(BusMessageReader message);
}
