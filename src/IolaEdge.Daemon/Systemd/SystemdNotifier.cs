using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace IolaEdge.Daemon.Systemd;

/// <summary>
/// Tells systemd about the service's state: READY=1 when the pipeline runs, STOPPING=1, STATUS= lines,
/// WATCHDOG=1 pings — through <see cref="ISystemdNotifier"/> of Microsoft.Extensions.Hosting.Systemd
/// (one datagram to $NOTIFY_SOCKET per call, sent synchronously), so the caller chooses the moment.
/// </summary>
/// <remarks>
/// The host's <c>UseSystemd()</c> lifetime is deliberately not used: it sends READY=1 as soon as the host
/// has started, before the source streams. Outside systemd ($NOTIFY_SOCKET unset) every call is a no-op
/// returning false. A send that fails becomes a <see cref="SystemdException"/> naming the socket and the
/// errno. Thread-safe (each call uses its own socket). The watchdog interval is read from
/// $WATCHDOG_USEC / $WATCHDOG_PID with sd_watchdog_enabled(3)'s rules, which the package does not offer.
/// </remarks>
internal sealed class SystemdNotifier
{
    private static readonly ServiceState s_watchdog = new("WATCHDOG=1");
    private readonly ISystemdNotifier _notifier;

    /// <summary>Creates a notifier on $NOTIFY_SOCKET (read now).</summary>
    public SystemdNotifier()
        : this(new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier())
    {
    }

    /// <summary>Creates a notifier over another <see cref="ISystemdNotifier"/> (tests).</summary>
    internal SystemdNotifier(ISystemdNotifier notifier)
    {
        _notifier = notifier;
        IsUnderSystemd = notifier.IsEnabled;
    }

    /// <summary>Whether the process was started by systemd with a notify socket.</summary>
    public bool IsUnderSystemd { get; }

    /// <summary>READY=1: the service is up (call when the pipeline processes samples).</summary>
    /// <returns>True when sent to systemd.</returns>
    public bool Ready(string? status = null) => Send(status is null ? ServiceState.Ready : new ServiceState("READY=1\nSTATUS=" + OneLine(status)));

    /// <summary>STOPPING=1: the service is shutting down.</summary>
    public bool Stopping(string? status = null) => Send(status is null ? ServiceState.Stopping : new ServiceState("STOPPING=1\nSTATUS=" + OneLine(status)));

    /// <summary>STATUS=: a one-line human-readable state shown by <c>systemctl status</c>.</summary>
    public bool Status(string status) => Send(new ServiceState("STATUS=" + OneLine(status)));

    /// <summary>WATCHDOG=1: a keep-alive ping (the state is built once; the send opens a socket).</summary>
    public bool Watchdog() => Send(s_watchdog);

    /// <summary>The watchdog interval systemd expects pings within, or null when no watchdog is configured (or it is meant for another process).</summary>
    /// <exception cref="SystemdException">$WATCHDOG_USEC or $WATCHDOG_PID is not a positive integer (EINVAL, as sd_watchdog_enabled).</exception>
#pragma warning disable CA1822 // kept on the instance: callers ask the notifier they were given
    public TimeSpan? WatchdogInterval()
#pragma warning restore CA1822
    {
        string? usecText = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (string.IsNullOrEmpty(usecText))
        {
            return null;
        }

        if (!ulong.TryParse(usecText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) || usec == 0)
        {
            throw new SystemdException("WATCHDOG_USEC", Einval);
        }

        string? pidText = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pidText))
        {
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            {
                throw new SystemdException("WATCHDOG_PID", Einval);
            }

            if (pid != Environment.ProcessId)
            {
                return null;
            }
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    private const int Enoent = 2;
    private const int Einval = 22;

    private static string OneLine(string status) => status.ReplaceLineEndings(" ");

    private bool Send(ServiceState state)
    {
        if (!_notifier.IsEnabled)
        {
            return false;
        }

        try
        {
            _notifier.Notify(state);
            return true;
        }
        catch (SocketException ex)
        {
            // .NET reports a missing socket file as EADDRNOTAVAIL; name the cause a user can act on.
            string? path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
            bool missing = path is { Length: > 0 } && path[0] != '@' && !File.Exists(path);
            throw new SystemdException("NOTIFY_SOCKET", missing ? Enoent : ex.NativeErrorCode);
        }
    }
}
