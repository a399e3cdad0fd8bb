using System.IO.Pipes;
using System.Net.Sockets;
using System.Text;
using IolaEdge.Daemon.Control;
using IolaEdge.Daemon.Tests.Gpio.Support;
using IolaEdge.Daemon.Tests.Recording.Support;

namespace IolaEdge.Daemon.Tests.Recording;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

public sealed class AnnotationInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-ctl-").FullName;
    private readonly RecordingSink _sink = new();
    private long _now = 500;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Each_Enter_on_the_terminal_is_a_mark_and_q_quits()
    {
        using AnonymousPipeServerStream writer = new(PipeDirection.Out);
        using AnonymousPipeClientStream reader = new(PipeDirection.In, writer.ClientSafePipeHandle);
        TerminalMarkReader keys = new(reader, _sink, sensorId: 1, clock: () => Interlocked.Increment(ref _now));
        Task<bool> run = keys.RunAsync(CancellationToken.None);

        writer.Write("\n"u8);
        writer.Flush();
        SpinWait.SpinUntil(() => _sink.Marks.Count == 1, TimeSpan.FromSeconds(10));
        writer.Write("m\r\n"u8);
        writer.Write("q\n"u8);
        writer.Flush();

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, keys.Marks);
        Assert.All(_sink.Marks, m => Assert.Equal(1, m.SensorId));
        Assert.True(_sink.Marks[1].TimeNs > _sink.Marks[0].TimeNs);
    }

    [Fact]
    public async Task End_of_input_ends_the_reader_without_quitting()
    {
        using MemoryStream input = new("\n\n"u8.ToArray());
        TerminalMarkReader keys = new(input, _sink);
        Assert.False(await keys.RunAsync(CancellationToken.None));
        Assert.Equal(2, _sink.Marks.Count);
    }

    [Fact]
    public async Task The_control_socket_marks_with_the_arrival_time_and_answers_each_line()
    {
        string path = Path.Combine(_dir, "control.sock");
        ControlSocketServer server = new(path, _sink, () => "status marks=1", new CapturingLogger(), () => 42_000);
        await using (server)
        {
            server.Start();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
                File.GetUnixFileMode(path));
            using Socket client = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
            using NetworkStream stream = new(client);
            using StreamReader replies = new(stream, Encoding.ASCII);
            await stream.WriteAsync("mark\nmark 1\nstatus\nmark 99\nreboot now\n"u8.ToArray());
            await stream.WriteAsync(Encoding.ASCII.GetBytes(new string('x', 500) + "\n"));

            Assert.Equal("ok 42000", await replies.ReadLineAsync());
            Assert.Equal("ok 42000", await replies.ReadLineAsync());
            Assert.Equal("status marks=1", await replies.ReadLineAsync());
            Assert.StartsWith("error sensor id '99'", await replies.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("error unknown command 'reboot now'", await replies.ReadLineAsync(), StringComparison.Ordinal);
            Assert.Equal("error line too long", await replies.ReadLineAsync());
        }

        Assert.Equal([(0, 42_000L), (1, 42_000L)], _sink.Marks);
        Assert.Equal(2, server.Marks);
        Assert.Equal(3, server.BadLines);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_stale_socket_left_by_a_killed_process_is_replaced_but_a_live_one_is_not()
    {
        string path = Path.Combine(_dir, "control.sock");
        using (Socket stale = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(path)); // closed without unlinking, as after kill -9
        }

        await using ControlSocketServer first = new(path, _sink, () => "", new CapturingLogger());
        first.Start();
        await using ControlSocketServer second = new(path, _sink, () => "", new CapturingLogger());
        var ex = Assert.Throws<IOException>(second.Start);
        Assert.Contains("in use", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regular_file_at_the_socket_path_is_not_replaced()
    {
        string path = Path.Combine(_dir, "control.sock");
        File.WriteAllText(path, "data");
        await using ControlSocketServer server = new(path, _sink, () => "", new CapturingLogger());
        Assert.Throws<IOException>(server.Start);
        Assert.Equal("data", File.ReadAllText(path));
    }
}
