using System.Net.Sockets;
using IolaEdge.Daemon.Tests.Support;

namespace IolaEdge.Daemon.Tests.Recording;

/// <summary>The control socket of the real daemon as a bench script meets it: connecting the moment the path appears.</summary>
[Trait("Category", "Slow")]
public sealed class ControlSocketStartTests
{
    [Fact]
    public async Task A_script_that_connects_as_soon_as_the_socket_path_appears_is_never_refused()
    {
        // A fresh daemon compiles as it starts, so a socket bound before it listens is refused for milliseconds;
        // a client spinning on the path lands in such a window on a good share of starts, hence several.
        using TempDirectory temp = new();
        List<string> refused = [];
        for (int start = 0; start < 12; start++)
        {
            string path = temp.File($"control-{start}.sock");
            using ManualResetEventSlim watching = new();
            Task<string?> client = Task.Factory.StartNew(() => ConnectOnAppearance(path, watching), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            watching.Wait();
            using IolaEdgeProcess daemon = IolaEdgeProcess.Start(temp.Path, null,
                "run", "--source", "sim:seed=3,minutes=5", "--speed", "4", "--midi", "none", "--progress", "0", "--control-socket", path);
            if (await client.WaitAsync(TimeSpan.FromSeconds(90)) is string failure)
            {
                refused.Add($"start {start}: {failure}");
            }

            daemon.Signal("TERM");
            Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(30)));
        }

        Assert.True(refused.Count == 0, "first connect failed: " + string.Join("; ", refused));
        Assert.Empty(Directory.GetFiles(temp.Path, "*~"));
    }

    /// <summary>Null when the first connect is accepted; otherwise what went wrong.</summary>
    private static string? ConnectOnAppearance(string path, ManualResetEventSlim watching)
    {
        // Everything but the connect is made first, so the connect follows the path's appearance within microseconds.
        using Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        UnixDomainSocketEndPoint endpoint = new(path);
        watching.Set();
        DateTime end = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(path) && DateTime.UtcNow < end)
        {
            // spin, as a script polling in a tight loop would
        }

        if (!File.Exists(path))
        {
            return "no socket after 60 s";
        }

        try
        {
            socket.Connect(endpoint);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode.ToString();
        }
    }
}
