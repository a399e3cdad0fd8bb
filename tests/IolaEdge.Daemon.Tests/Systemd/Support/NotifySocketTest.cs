namespace IolaEdge.Daemon.Tests.Systemd.Support;

/// <summary>
/// Base of tests that talk to a real notify socket: points NOTIFY_SOCKET at a fresh listening socket,
/// clears the watchdog variables, and restores the environment afterwards.
/// </summary>
public abstract class NotifySocketTest : IDisposable
{
    protected NotifySocketTest()
    {
        Env.Set("NOTIFY_SOCKET", Socket.Path);
        Env.Set("WATCHDOG_USEC", null);
        Env.Set("WATCHDOG_PID", null);
    }

    /// <summary>The process environment, restored on dispose.</summary>
    private protected NativeEnvironment Env { get; } = new();

    /// <summary>The socket NOTIFY_SOCKET names.</summary>
    private protected NotifySocket Socket { get; } = new();

    public void Dispose()
    {
        Env.Dispose();
        Socket.Dispose();
        GC.SuppressFinalize(this);
    }
}
