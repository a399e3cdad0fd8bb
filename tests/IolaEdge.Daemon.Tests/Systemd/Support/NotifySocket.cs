using System.Net.Sockets;
using System.Text;

namespace IolaEdge.Daemon.Tests.Systemd.Support;

/// <summary>A real sd_notify peer: a Unix datagram socket bound to a temp path, as systemd provides.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-notify-").FullName;
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocket()
    {
        Path = System.IO.Path.Combine(_dir, "notify");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    /// <summary>The next datagram, or null when none arrives within <paramref name="timeout"/>.</summary>
    public string? Receive(TimeSpan timeout)
    {
        if (!_socket.Poll(timeout, SelectMode.SelectRead))
        {
            return null;
        }

        byte[] buffer = new byte[4096];
        int n = _socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    public void Dispose()
    {
        _socket.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
