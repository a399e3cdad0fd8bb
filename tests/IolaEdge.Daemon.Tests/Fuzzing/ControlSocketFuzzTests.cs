using System.Net.Sockets;
using System.Text;
using IolaEdge.Daemon.Control;
using IolaEdge.Daemon.Tests.Gpio.Support;
using IolaEdge.Daemon.Tests.Recording.Support;

namespace IolaEdge.Daemon.Tests.Fuzzing;

/// <summary>Randomised (seeded) lines of bytes on the control socket: one reply line for every line, the server keeps serving.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ControlSocketFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-ctlf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Random_lines_each_get_one_reply_and_the_socket_keeps_serving()
    {
        string path = Path.Combine(_dir, "control.sock");
        RecordingSink sink = new();
        Random rng = new(11);
        string[] words = ["mark", "status", "set", "get", "keys", "preset", "save", "help", "MARK", "mark extra", "status?", ""];
        ControlSocketServer server = new(path, sink, () => "status", new CapturingLogger());
        await using (server)
        {
            server.Start();
            using Socket client = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
            const int Lines = 600;
            for (int i = 0; i < Lines; i++)
            {
                byte[] line = rng.Next(3) == 0 ? Encoding.ASCII.GetBytes(words[rng.Next(words.Length)]) : Junk(rng);
                await client.SendAsync(line.Append((byte)'\n').ToArray(), SocketFlags.None);
                string reply = await ReadLine(client);
                Assert.False(string.IsNullOrEmpty(reply), $"line {i}: no reply");
                Assert.DoesNotContain("   at ", reply, StringComparison.Ordinal);
            }

            await client.SendAsync("status\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal("status", await ReadLine(client));
            Assert.InRange(server.Marks + server.BadLines, 1, Lines);
        }
    }

    // Random bytes without a newline, now and then far longer than any command.
    private static byte[] Junk(Random rng)
    {
        byte[] bytes = new byte[rng.Next(8) == 0 ? rng.Next(1000, 20_000) : rng.Next(0, 40)];
        rng.NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                bytes[i] = (byte)' ';
            }
        }

        return bytes;
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
