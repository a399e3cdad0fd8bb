using System.Runtime.InteropServices;

namespace IolaEdge.Daemon.Systemd.Interop;

/// <summary>The two libsystemd calls the daemon uses (sd-daemon(3)); names kept verbatim.</summary>
/// <remarks>Both return a negative errno on failure, 0 when systemd did not ask for it, &gt; 0 on success.</remarks>
#pragma warning disable CA1707, IDE1006 // native names verbatim
internal static partial class LibSystemd
{
    /// <summary>The soname loaded.</summary>
    internal const string LibraryName = "libsystemd.so.0";

    private const string Library = LibraryName;

    /// <summary>sd_notify(3): sends <paramref name="state"/> (newline-separated assignments) to $NOTIFY_SOCKET.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int sd_notify(int unset_environment, string state);

    /// <summary>sd_watchdog_enabled(3): whether the service manager expects keep-alive pings, and the interval in µs.</summary>
    [LibraryImport(Library)]
    internal static partial int sd_watchdog_enabled(int unset_environment, out ulong usec);
}
#pragma warning restore CA1707, IDE1006
