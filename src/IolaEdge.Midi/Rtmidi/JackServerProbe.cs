using System.Globalization;
using System.Net.Sockets;
using IolaEdge.Midi.Interop;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// Tells which JACK server our rtmidi clients would talk to, if one is alive, by connecting to its request socket
/// (<c>/dev/shm/jack_NAME_UID_0</c>, jackd2 on Linux). rtmidi cannot tell: after the server dies its port list still
/// comes from the mapped graph, and its send spins forever once 16 KiB are queued, so a port's probe stops sends as
/// soon as this says its server is gone or is another one.
/// </summary>
/// <remarks>A connect to a live server is refused by nothing and logs nothing; to a killed one it gets ECONNREFUSED (the
/// stale socket file remains); after a clean stop the file is gone. Every start of the server, even over a killed
/// server's stale file, makes a new socket file, and connecting leaves the file's times alone (measured on jackd2
/// 1.9.21), so the file's modification time tells one run of the server from the next: a server restarted within one
/// rescan (systemd restarts a failed unit after 100 ms; jackd is ready 0.4 s later) is still seen as another server.
/// Allocates: call it off the hot path (the port's own thread, once per rescan).</remarks>
internal static class JackServerProbe
{
    /// <summary>The server name rtmidi/libjack use: <c>JACK_DEFAULT_SERVER</c>, else "default".</summary>
    public static string ServerName =>
        Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER") is { Length: > 0 } name ? name : "default";

    /// <summary>Path of the server's request socket.</summary>
    public static string SocketPath =>
        string.Create(CultureInfo.InvariantCulture, $"/dev/shm/jack_{ServerName}_{Libc.getuid()}_0");

    /// <summary>The run of the server that accepts a connection on its socket now; null when none does.</summary>
    public static JackServerRun? Current()
    {
        var socketFile = new FileInfo(SocketPath);
        if (!socketFile.Exists)
        {
            return null;
        }

        // Read before the connect: a restart in between is then seen as a change at the next probe, never missed.
        var run = new JackServerRun(socketFile.LastWriteTimeUtc.Ticks);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketFile.FullName));
            return run;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

/// <summary>One run of a JACK server, from its start to its end: told apart by when its request socket was made.</summary>
internal readonly record struct JackServerRun(long SocketMadeTicks);
