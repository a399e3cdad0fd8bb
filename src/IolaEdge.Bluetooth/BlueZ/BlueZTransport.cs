namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>The D-Bus library under <see cref="IBlueZClient"/>.</summary>
internal enum BlueZTransport
{
    /// <summary>libsystemd's sd-bus through hand-written interop, on a dedicated bus thread.</summary>
    SdBus,

    /// <summary>Tmds.DBus.Protocol (managed), signals on its receive loop.</summary>
    Tmds,
}

/// <summary>Opens an <see cref="IBlueZClient"/> of the chosen transport.</summary>
internal static class BlueZTransports
{
    /// <summary>Connects; throws <see cref="BlueZException"/> when the bus cannot be reached.</summary>
    public static async Task<IBlueZClient> ConnectAsync(BlueZTransport transport, string? address, TimeSpan callTimeout) =>
        transport switch
        {
            BlueZTransport.Tmds => await TmdsBlueZClient.OpenAsync(address, callTimeout).ConfigureAwait(false),
            _ => await SdBusBlueZClient.OpenAsync(address, callTimeout).ConfigureAwait(false),
        };
}
