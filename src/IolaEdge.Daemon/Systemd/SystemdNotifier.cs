using System.Runtime.InteropServices;
using IolaEdge.Daemon.Systemd.Interop;

namespace IolaEdge.Daemon.Systemd;

/// <summary>
/// Tells systemd about the service's state (sd_notify): READY=1 when the pipeline runs, STOPPING=1,
/// STATUS= lines, WATCHDOG=1 pings.
/// </summary>
/// <remarks>
/// Outside systemd ($NOTIFY_SOCKET unset) every call is a no-op returning false. Without libsystemd
/// (a dev box or container without it) <see cref="IsAvailable"/> is false and calls are no-ops too.
/// Every native result is checked in <see cref="Check"/>: a negative errno becomes a
/// <see cref="SystemdException"/> naming the call. Thread-safe (sd_notify opens its own socket per call).
/// </remarks>
internal sealed class SystemdNotifier
{
    private readonly Func<int, string, int> _notify;
    private readonly WatchdogQuery _watchdogEnabled;

    /// <summary>Creates a notifier over libsystemd.</summary>
    public SystemdNotifier()
        : this(LibSystemd.sd_notify, LibSystemd.sd_watchdog_enabled, CanLoad(LibSystemd.LibraryName))
    {
    }

    /// <summary>Creates a notifier over given native entry points (tests).</summary>
    internal SystemdNotifier(Func<int, string, int> notify, WatchdogQuery watchdogEnabled, bool available)
    {
        _notify = notify;
        _watchdogEnabled = watchdogEnabled;
        IsAvailable = available;
        IsUnderSystemd = available && Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 };
    }

    /// <summary>Signature of sd_watchdog_enabled.</summary>
    internal delegate int WatchdogQuery(int unsetEnvironment, out ulong usec);

    /// <summary>Whether libsystemd.so.0 could be loaded.</summary>
    public bool IsAvailable { get; }

    /// <summary>Whether the process was started by systemd with a notify socket.</summary>
    public bool IsUnderSystemd { get; }

    /// <summary>READY=1: the service is up (call when the pipeline processes samples).</summary>
    /// <returns>True when sent to systemd.</returns>
    public bool Ready(string? status = null) => Send(status is null ? "READY=1" : "READY=1\nSTATUS=" + OneLine(status));

    /// <summary>STOPPING=1: the service is shutting down.</summary>
    public bool Stopping(string? status = null) => Send(status is null ? "STOPPING=1" : "STOPPING=1\nSTATUS=" + OneLine(status));

    /// <summary>STATUS=: a one-line human-readable state shown by <c>systemctl status</c>.</summary>
    public bool Status(string status) => Send("STATUS=" + OneLine(status));

    /// <summary>WATCHDOG=1: a keep-alive ping (allocation-free: a constant string).</summary>
    public bool Watchdog() => Send("WATCHDOG=1");

    /// <summary>The watchdog interval systemd expects pings within, or null when no watchdog is configured.</summary>
    public TimeSpan? WatchdogInterval()
    {
        if (!IsAvailable)
        {
            return null;
        }

        int r = Check("sd_watchdog_enabled", _watchdogEnabled(0, out ulong usec));
        return r > 0 ? TimeSpan.FromMicroseconds(usec) : null;
    }

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out IntPtr handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    private static string OneLine(string status) => status.ReplaceLineEndings(" ");

    private static int Check(string call, int result) => result < 0 ? throw new SystemdException(call, -result) : result;

    private bool Send(string state) => IsAvailable && Check("sd_notify", _notify(0, state)) > 0;
}
