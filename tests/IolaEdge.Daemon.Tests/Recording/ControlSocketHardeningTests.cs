using System.Net.Sockets;
using System.Text;
using IolaEdge.Daemon.Control;
using IolaEdge.Daemon.Tests.Gpio.Support;
using IolaEdge.Daemon.Tests.Recording.Support;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Tests.Recording;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ControlSocketHardeningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-ctlh-").FullName;
    private readonly RecordingSink _sink = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Accept_errors_are_logged_once_backed_off_and_the_socket_keeps_accepting()
    {
        string path = Path.Combine(_dir, "control.sock");
        CapturingLogger log = new();
        int failuresLeft = 5;
        // Out of file descriptors for the first five accepts (EMFILE cannot be caused safely inside the test process).
        ControlSocketServer server = new(path, _sink, () => "status", log, accept: (listener, ct) =>
            Interlocked.Decrement(ref failuresLeft) >= 0
                ? ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets))
                : listener.AcceptAsync(ct));
        await using (server)
        {
            server.Start();
            using Socket client = await Connect(path);
            Assert.Equal("ok", (await Ask(client, "mark"))[..2]);
        }

        Assert.Equal(5, server.AcceptErrors);
        Assert.Single(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("accept failed", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Message.Contains("accepting again after 5 failed accepts", StringComparison.Ordinal));
        Assert.Equal(1, server.Marks);
    }

    [Fact]
    public async Task Clients_over_the_limit_are_told_and_closed_and_an_idle_client_is_closed_after_the_timeout()
    {
        string path = Path.Combine(_dir, "control.sock");
        ControlSocketServer server = new(path, _sink, () => "status", new CapturingLogger(), maxClients: 2, idleTimeout: TimeSpan.FromMilliseconds(300));
        await using (server)
        {
            server.Start();
            using Socket first = await Connect(path);
            using Socket second = await Connect(path);
            Assert.Equal("status", await Ask(first, "status"));
            Assert.Equal("status", await Ask(second, "status"));

            using Socket third = await Connect(path);
            Assert.Equal("error too many clients (2); try again later", await ReadLine(third));

            // Silence: both are closed after the idle timeout, with a line saying why; then there is room again.
            Assert.Equal("error idle for 0.3 s; closing", await ReadLine(first));
            Assert.Equal("error idle for 0.3 s; closing", await ReadLine(second));
            SpinWait.SpinUntil(() => server.ActiveClients == 0, TimeSpan.FromSeconds(5));
            using Socket fourth = await Connect(path);
            Assert.Equal("status", await Ask(fourth, "status"));
        }

        Assert.Equal(1, server.RefusedClients);
        Assert.True(server.IdleClosed >= 2, $"{server.IdleClosed} idle clients closed");
    }

    [Fact]
    public async Task An_empty_regular_file_at_the_socket_path_is_not_replaced()
    {
        string path = Path.Combine(_dir, "control.sock");
        await File.WriteAllTextAsync(path, "");
        await using ControlSocketServer server = new(path, _sink, () => "", new CapturingLogger());

        IOException ex = Assert.Throws<IOException>(server.Start);

        Assert.Contains("is a regular file, not a socket", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_directory_at_the_socket_path_is_not_replaced()
    {
        string path = Path.Combine(_dir, "control.sock");
        Directory.CreateDirectory(path);
        await using ControlSocketServer server = new(path, _sink, () => "", new CapturingLogger());

        IOException ex = Assert.Throws<IOException>(server.Start);

        Assert.Contains("directory", ex.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(path));
    }

    [Theory]
    [InlineData(12)] // room for the staging name beside it
    [InlineData(107)] // the longest path sun_path holds: bound in place
    public async Task The_socket_listens_under_its_own_path_and_leaves_nothing_beside_it(int pathBytes)
    {
        string prefix = _dir + "/";
        string path = prefix + new string('s', Math.Max(1, pathBytes - prefix.Length));
        await using (ControlSocketServer server = new(path, _sink, () => "status", new CapturingLogger()))
        {
            server.Start();
            using Socket client = await Connect(path);
            Assert.Equal("status", await Ask(client, "status"));
            Assert.Equal([path], Directory.GetFileSystemEntries(_dir));
        }

        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task A_burst_of_64_scripts_connecting_while_nothing_is_accepted_is_queued_and_then_served()
    {
        string path = Path.Combine(_dir, "control.sock");
        using SemaphoreSlim accepting = new(0);
        // Accepts are held until every client has connected, so the kernel's queue alone must take the burst.
        ControlSocketServer server = new(path, _sink, () => "status", new CapturingLogger(), maxClients: 64, accept: async (listener, ct) =>
        {
            await accepting.WaitAsync(ct);
            accepting.Release();
            return await listener.AcceptAsync(ct);
        });
        await using (server)
        {
            server.Start();
            Socket[] clients = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Connect(path)));
            try
            {
                accepting.Release();
                string[] replies = await Task.WhenAll(clients.Select(c => Ask(c, "status")));
                Assert.All(replies, r => Assert.Equal("status", r));
            }
            finally
            {
                foreach (Socket client in clients)
                {
                    client.Dispose();
                }
            }
        }
    }

    private static async Task<Socket> Connect(string path)
    {
        Socket client = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return client;
    }

    private static async Task<string> Ask(Socket client, string line)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None);
        return await ReadLine(client);
    }

    private static async Task<string> ReadLine(Socket client)
    {
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        StringBuilder text = new();
        byte[] one = new byte[1];
        while (await client.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 1 && one[0] != (byte)'\n')
        {
            text.Append((char)one[0]);
        }

        return text.ToString();
    }
}
