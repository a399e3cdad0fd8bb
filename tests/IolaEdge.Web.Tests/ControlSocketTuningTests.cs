using System.Net.Sockets;
using System.Text;
using IolaEdge.Web.Tests.Support;

namespace IolaEdge.Web.Tests;

/// <summary>The same changes without a browser: the control socket of the real daemon replaying the bundled walk.</summary>
[Trait("Category", "Slow")]
public sealed class ControlSocketTuningTests
{
    [Fact]
    public async Task Set_get_and_save_on_the_control_socket_change_the_running_session()
    {
        string socketPath = Path.Combine(Path.GetTempPath(), $"iolaedge-web-{Guid.NewGuid():N}.sock");
        using PageDaemon daemon = PageDaemon.Start(configJson: "{}", extra: ["--control-socket", socketPath]);
        Assert.True(SpinWait.SpinUntil(() => File.Exists(socketPath), TimeSpan.FromSeconds(20)), daemon.Output);
        using Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        using NetworkStream stream = new(socket);
        using StreamReader reader = new(stream, Encoding.ASCII);
        await using StreamWriter writer = new(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };

        async Task<string> Ask(string line)
        {
            await writer.WriteLineAsync(line);
            return await reader.ReadLineAsync() ?? "";
        }

        Assert.Equal("ok Detector:Gate:MinIntervalMs = 1200", await Ask("set Detector:Gate:MinIntervalMs=1200"));
        Assert.Equal(1200, PageDaemon.Number(await daemon.StatusAsync(), "gate", "minIntervalMs"));
        Assert.Equal("ok 1200", await Ask("get Detector:Gate:MinIntervalMs"));
        Assert.StartsWith("error Midi:Mapping:Default:Channel = 17", await Ask("set Midi:Mapping:Default:Channel=17"), StringComparison.Ordinal);
        Assert.StartsWith("error marks need a recording", await Ask("mark"), StringComparison.Ordinal);
        Assert.StartsWith("run samples=", await Ask("status"), StringComparison.Ordinal);
        Assert.StartsWith("ok saved 1 setting(s) to " + daemon.ConfigFile, await Ask("save"), StringComparison.Ordinal);
        Assert.Contains("\"MinIntervalMs\": 1200", await File.ReadAllTextAsync(daemon.ConfigFile), StringComparison.Ordinal);
    }
}
