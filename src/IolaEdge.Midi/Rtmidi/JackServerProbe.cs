using System.Globalization;
using System.Net.Sockets;
using IolaEdge.Midi.Interop;

namespace IolaEdge.Midi.Rtmidi;

/// <summary>
/// Tells whether the JACK server our rtmidi clients talk to is alive, by connecting to its request
/// socket (<c>/dev/shm/jack_NAME_UID_0</c>, jackd2 on Linux). rtmidi cannot tell: after the server
/// dies its port list still comes from the mapped graph, and its send spins forever once 16 KiB are
/// queued, so the port's probe stops sends as soon as this says the server is gone.
/// </summary>
/// <remarks>A connect to a live server is refused by nothing and logs nothing; to a killed one it gets
/// ECONNREFUSED (the stale socket file remains); after a clean stop the file is gone. Allocates: call it
/// off the hot path (the port's own thread, once per rescan).</remarks>
internal static class JackServerProbe
{
    /// <summary>The server name rtmidi/libjack use: <c>JACK_DEFAULT_SERVER</c>, else "default".</summary>
    public static string ServerName =>
        Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER") is { Length: > 0 } name ? name : "default";

    /// <summary>Path of the server's request socket.</summary>
    public static string SocketPath =>
        string.Create(CultureInfo.InvariantCulture, $"/dev/shm/jack_{ServerName}_{Libc.getuid()}_0");

    /// <summary>True when the server accepts a connection on its socket.</summary>
    public static bool IsServerAlive()
    {
        string path = SocketPath;
        if (!File.Exists(path))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
