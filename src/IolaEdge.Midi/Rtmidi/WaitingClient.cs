namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// The rtmidi client an opener keeps between attempts: the one an attempt that found no port used, or the one a port
/// closed because its peer went away gave back. At most one waits; taking it is atomic, so an opener may be used from
/// a new sender thread while an abandoned one is still inside an attempt (each attempt then has its own client).
/// </summary>
internal sealed class WaitingClient : IDisposable
{
    private RtMidiDevice? _device;
    private volatile bool _disposed;

    /// <summary>
    /// One attempt to open a port: on the waiting client, else on a new one from <paramref name="create"/>. An attempt that
    /// finds no port keeps its client for the next one and throws <paramref name="noMatch"/>'s exception; one that fails
    /// closes it.
    /// </summary>
    public TPort Open<TPort>(Func<RtMidiDevice> create, TryOpenPort<TPort> tryOpen, Func<IReadOnlyList<string>, RtMidiException> noMatch)
        where TPort : class
    {
        RtMidiDevice device = Take() ?? create();
        TPort? port;
        IReadOnlyList<string> ports;
        try
        {
            port = tryOpen(device, out ports);
        }
        catch
        {
            device.Dispose();
            throw;
        }

        if (port is not null)
        {
            return port;
        }

        Keep(device);
        throw noMatch(ports);
    }

    /// <summary>
    /// Keeps <paramref name="device"/> (its port closed) for the next attempt. Closed instead when its server is gone or has
    /// restarted (held on, it would keep every other client of this process from opening: <see cref="JackClients"/>), when
    /// a client already waits, or when the opener is closed.
    /// </summary>
    public void Keep(RtMidiDevice device)
    {
        if (_disposed || !device.IsOnCurrentServer() || Interlocked.CompareExchange(ref _device, device, null) is not null)
        {
            device.Dispose();
            return;
        }

        if (_disposed)
        {
            Interlocked.Exchange(ref _device, null)?.Dispose(); // closed meanwhile
        }
    }

    /// <summary>Closes the waiting client; any kept later is closed at once.</summary>
    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _device, null)?.Dispose();
    }

    /// <summary>The waiting client, or null. One whose JACK server is gone or has restarted is closed instead.</summary>
    private RtMidiDevice? Take()
    {
        RtMidiDevice? device = Interlocked.Exchange(ref _device, null);
        if (device is not null && !device.IsOnCurrentServer())
        {
            device.Dispose();
            return null;
        }

        return device;
    }
}

/// <summary>Opens the selected port on <paramref name="device"/>; null when none matches (<paramref name="ports"/> lists them).</summary>
internal delegate TPort? TryOpenPort<TPort>(RtMidiDevice device, out IReadOnlyList<string> ports)
    where TPort : class;
