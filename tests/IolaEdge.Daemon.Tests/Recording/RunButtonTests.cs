using System.Net.Sockets;
using System.Text;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Control;
using IolaEdge.Recording;
using IolaEdge.Daemon.Tests.Recording.Support;
using IolaEdge.Daemon.Tests.Support;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Tests.Recording;

/// <summary>The GPIO button in a recording <c>run</c> of a live (monotonic) source, on this machine without GPIO.</summary>
public sealed class RunButtonTests
{
    [Fact]
    public async Task A_live_recording_run_without_gpio_warns_once_and_records_everything()
    {
        using TempDirectory temp = new();
        CapturingLogger log = new();
        using SingleLoggerFactory loggers = new(log);
        RunHost runner = new(new FakeComponents(new WalkSource(2_000), isReplay: false),
            new RunOptions(),
            new PipelineOptions { RingCapacity = 4096, ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            new Serilog.LoggerConfiguration().CreateLogger())
        {
            Recording = new RecorderOptions { Directory = temp.File("rec") },
            Button = new GpioButtonOptions(), // enabled by default: chip auto, line 17
            Loggers = loggers,
        };

        Assert.Equal(ExitCodes.Success, await runner.RunAsync(CancellationToken.None));

        (LogLevel level, string message) = Assert.Single(log.Lines, l => l.Message.Contains("footfall button", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(LogLevel.Warning, level);
        Assert.StartsWith("No footfall button: GPIO line 17 unavailable", message, StringComparison.Ordinal);
        string file = Assert.Single(runner.RecordedFiles);
        Assert.True(runner.Histograms.Count > 0);
        Assert.Equal(2_000 + runner.Histograms.Count + 1, File.ReadAllLines(file).Length); // header, every sample, every detection
    }

    [Fact]
    public async Task A_live_recording_run_takes_marks_over_its_control_socket()
    {
        using TempDirectory temp = new();
        string socketPath = temp.File("control.sock");
        RunHost runner = new(new FakeComponents(new WalkSource(0, TimeSpan.FromMilliseconds(5), forever: true), isReplay: false),
            new RunOptions(),
            new PipelineOptions { RingCapacity = 4096, ProgressIntervalSeconds = 0 },
            new MidiOptions { Backend = "none" },
            new EventsOptions { Output = "none", LogEachFootfall = false },
            new Serilog.LoggerConfiguration().CreateLogger())
        {
            Recording = new RecorderOptions { Directory = temp.File("rec"), ControlSocket = socketPath, AnnotationHold = TimeSpan.Zero },
            Button = new GpioButtonOptions { Enabled = false },
        };
        using CancellationTokenSource stop = new(TimeSpan.FromSeconds(30));
        Task<int> run = runner.RunAsync(stop.Token);

        for (int i = 0; i < 200 && !File.Exists(socketPath); i++)
        {
            await Task.Delay(25);
        }

        using (Socket client = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            using NetworkStream stream = new(client);
            using StreamReader replies = new(stream, Encoding.ASCII);
            await stream.WriteAsync("mark\nstatus\n"u8.ToArray());
            Assert.StartsWith("ok ", await replies.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("recording rows=", await replies.ReadLineAsync(), StringComparison.Ordinal);
        }

        await Task.Delay(200); // samples after the mark, so it is written in time order
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run);

        string file = Assert.Single(runner.RecordedFiles);
        Assert.Single(File.ReadAllLines(file), l => l.Contains(",footfall,", StringComparison.Ordinal));
        Assert.False(File.Exists(socketPath));
    }

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
