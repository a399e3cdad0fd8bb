using Tmds.DBus.Protocol;

namespace IolaEdge.Bluetooth.BlueZ.Proxies;

/// <summary>Writes a method call's arguments after its header.</summary>
internal delegate void ArgumentWriter(ref MessageWriter writer);

/// <summary>
/// One Tmds.DBus.Protocol connection to the bus BlueZ is on, with the call timeout and the one place
/// where Tmds's exceptions become <see cref="BlueZException"/>. The proxies build their messages here.
/// </summary>
internal sealed class BlueZBus
{
    private static long s_handlerFailures;
    private readonly TimeSpan _callTimeout;

    public BlueZBus(DBusConnection connection, TimeSpan callTimeout)
    {
        Connection = connection;
        _callTimeout = callTimeout;
    }

    /// <summary>Exceptions caught from signal readers and handlers since start (process-wide).</summary>
    public static long HandlerFailures => Volatile.Read(ref s_handlerFailures);

    /// <summary>The connection (signals are matched on it; its receive loop runs the handlers).</summary>
    public DBusConnection Connection { get; }

    /// <summary>Calls a method whose reply carries nothing we need.</summary>
    public Task CallAsync(string path, string iface, string member, string? signature = null, ArgumentWriter? arguments = null, TimeSpan? timeout = null) =>
        CallAsync(path, iface, member, signature, arguments, static (_, _) => true, timeout);

    /// <summary>Calls a method on <c>org.bluez</c> and reads its reply with <paramref name="reader"/> (on the receive loop).</summary>
    public Task<T> CallAsync<T>(string path, string iface, string member, string? signature, ArgumentWriter? arguments, MessageValueReader<T> reader, TimeSpan? timeout = null) =>
        CallAsync(BlueZNames.Service, path, iface, member, signature, arguments, reader, timeout);

    /// <summary>Calls a method on any destination.</summary>
    public async Task<T> CallAsync<T>(
        string destination, string path, string iface, string member, string? signature, ArgumentWriter? arguments, MessageValueReader<T> reader, TimeSpan? timeout = null)
    {
        string call = $"{iface}.{member} on {path}";
        TimeSpan limit = timeout ?? _callTimeout;
        MessageBuffer message;
        try
        {
            message = Build(destination, path, iface, member, signature, arguments);
        }
        catch (ObjectDisposedException ex)
        {
            throw new BlueZException(call, null, "the D-Bus connection is closed", ex);
        }

        try
        {
            return await Connection.CallMethodAsync(message, reader).WaitAsync(limit).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException ex)
        {
            throw new BlueZException(call, ex.ErrorName, ex.ErrorMessage, ex);
        }
        catch (TimeoutException ex)
        {
            // D-Bus's error name for a call without a reply in time (dbus-daemon uses it too): the sensor link retries on it.
            throw new BlueZException(call, "org.freedesktop.DBus.Error.NoReply", $"no reply within {limit.TotalMilliseconds:F0} ms", ex);
        }
        catch (Exception ex) when (ex is DBusExceptionBase or ObjectDisposedException)
        {
            throw new BlueZException(call, null, ex.Message, ex);
        }
    }

    /// <summary>Installs a signal match; its reader runs on the receive loop for every matching signal.</summary>
    public async Task<IAsyncDisposable> WatchAsync(MatchRule rule, MessageValueReader<bool> reader, object state)
    {
        try
        {
            // A reader that throws would end Tmds's observer: catch and count (one closure per match, none per signal).
            MessageValueReader<bool> guarded = (message, s) =>
            {
                try
                {
                    return reader(message, s);
                }
#pragma warning disable CA1031 // must not end the subscription; counted instead
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref s_handlerFailures);
                    return false;
                }
            };
            IDisposable match = await Connection.AddMatchAsync(rule, guarded, static _ => { }, null, ObserverFlags.None, state).ConfigureAwait(false);
            return new Subscription(match);
        }
        catch (DBusErrorReplyException ex)
        {
            throw new BlueZException("AddMatch " + rule, ex.ErrorName, ex.ErrorMessage, ex);
        }
        catch (Exception ex) when (ex is DBusExceptionBase or ObjectDisposedException)
        {
            throw new BlueZException("AddMatch " + rule, null, ex.Message, ex);
        }
    }

    private MessageBuffer Build(string destination, string path, string iface, string member, string? signature, ArgumentWriter? arguments)
    {
        MessageWriter writer = Connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination: destination, path: path, @interface: iface, member: member, signature: signature);
            arguments?.Invoke(ref writer);
            return writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>A match removed on dispose (Tmds removes the bus-side rule with the last observer).</summary>
    private sealed class Subscription(IDisposable match) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            match.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
