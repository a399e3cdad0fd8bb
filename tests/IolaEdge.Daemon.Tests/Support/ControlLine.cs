using System.Net.Sockets;
using System.Text;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>One client of the daemon's control socket: a line out, a line back.</summary>
internal sealed class ControlLine : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    private ControlLine(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket);
        _reader = new StreamReader(_stream, Encoding.ASCII);
        _writer = new StreamWriter(_stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Waits for the daemon's socket at <paramref name="path"/> and connects; a failure carries the daemon's output as it is then.</summary>
    public static async Task<ControlLine> ConnectAsync(string path, Func<string> daemonOutput)
    {
        Assert.True(SpinWait.SpinUntil(() => File.Exists(path), TimeSpan.FromSeconds(30)), $"no control socket {path}:\n{daemonOutput()}");
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new Xunit.Sdk.XunitException($"control socket {path}: {ex.SocketErrorCode}:\n{daemonOutput()}");
        }

        return new ControlLine(socket);
    }

    /// <summary>Sends <paramref name="line"/>; the reply is read by the returned task.</summary>
    public async Task<string> SendAsync(string line)
    {
        await _writer.WriteLineAsync(line);
        return await _reader.ReadLineAsync() ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _reader.Dispose();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
