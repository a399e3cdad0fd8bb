using System.Net.Sockets;
using System.Text;
using IolaEdge.Daemon.Tests.Support;
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

    [Fact]
    public async Task Presets_saved_on_the_control_socket_survive_a_restart_and_a_corrupt_file_does_not_stop_the_daemon()
    {
        using TempDirectory state = new();
        string presets = state.File("presets.json");
        string socketPath = Path.Combine(Path.GetTempPath(), $"iolaedge-web-{Guid.NewGuid():N}");
        using (PageDaemon first = PageDaemon.Start("127.0.0.1:0", "{}", "--control-socket", socketPath + "-1.sock", "--set", $"Midi:PresetsFile={presets}"))
        {
            await using ControlClient control = await ControlClient.ConnectAsync(socketPath + "-1.sock", first.Output);
            // The example of docs/web.md, "Without a browser".
            Assert.Equal($"ok preset walk-1 saved: 40 setting(s) in {presets}", await control.AskAsync("preset save walk-1"));
            Assert.Equal("ok Midi:Mapping:Default:Note = 50", await control.AskAsync("set Midi:Mapping:Default:Note=50"));
            Assert.Equal("ok preset walk-1: 1 setting(s) changed: Midi:Mapping:Default:Note = 60", await control.AskAsync("preset walk-1"));
            Assert.Equal("error preset name 'drum' is a built-in preset and cannot be overwritten; choose another name", await control.AskAsync("preset save drum"));
            Assert.Equal("ok preset clock-only: Midi:Mapping:SendNotes = false, Midi:Mapping:Clock:Enabled = true", await control.AskAsync("preset clock-only"));
            Assert.Equal($"ok preset clock-walk saved: 40 setting(s) in {presets} (previous file kept as {presets}.bak)", await control.AskAsync("preset save clock-walk"));
        }

        // A restart: both presets are there, and clock-walk brings the clock-only mapping back.
        using (PageDaemon second = PageDaemon.Start("127.0.0.1:0", "{}", "--control-socket", socketPath + "-2.sock", "--set", $"Midi:PresetsFile={presets}"))
        {
            await using ControlClient control = await ControlClient.ConnectAsync(socketPath + "-2.sock", second.Output);
            Assert.Equal($"ok built-in: drum, melodic, clock-only; saved: clock-walk, walk-1 ({presets})", await control.AskAsync("preset list"));
            Assert.Equal("ok preset clock-walk: 2 setting(s) changed: Midi:Mapping:Clock:Enabled = true, Midi:Mapping:SendNotes = false", await control.AskAsync("preset clock-walk"));
            Assert.Equal("ok false", await control.AskAsync("get Midi:Mapping:SendNotes"));
        }

        // A corrupt file: one warning naming it, the daemon runs, built-in presets work, saving is refused.
        await File.WriteAllTextAsync(presets, "{ \"presets\": [ ");
        using (PageDaemon third = PageDaemon.Start("127.0.0.1:0", "{}", "--control-socket", socketPath + "-3.sock", "--set", $"Midi:PresetsFile={presets}"))
        {
            await using ControlClient control = await ControlClient.ConnectAsync(socketPath + "-3.sock", third.Output);
            Assert.StartsWith("ok preset drum: ", await control.AskAsync("preset drum"), StringComparison.Ordinal);
            Assert.StartsWith($"error preset x not saved: presets file {presets} cannot be read: ", await control.AskAsync("preset save x"), StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(third.Output, $@"\[WRN\] presets file {System.Text.RegularExpressions.Regex.Escape(presets)} cannot be read: "));
            Assert.Equal("{ \"presets\": [ ", await File.ReadAllTextAsync(presets));
        }
    }

    /// <summary>One client of the control socket: a line out, a line back.</summary>
    private sealed class ControlClient : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly NetworkStream _stream;
        private readonly StreamReader _reader;
        private readonly StreamWriter _writer;

        private ControlClient(Socket socket)
        {
            _socket = socket;
            _stream = new NetworkStream(socket);
            _reader = new StreamReader(_stream, Encoding.ASCII);
            _writer = new StreamWriter(_stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
        }

        public static async Task<ControlClient> ConnectAsync(string path, string output)
        {
            Assert.True(SpinWait.SpinUntil(() => File.Exists(path), TimeSpan.FromSeconds(20)), output);
            Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
            return new ControlClient(socket);
        }

        public async Task<string> AskAsync(string line)
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
}
