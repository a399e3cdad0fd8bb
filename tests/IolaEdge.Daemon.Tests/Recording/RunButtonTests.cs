using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Recording;
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
        SessionRunner runner = new(new FakeComponents(new ArraySource(2_000), footfallEvery: 100, isReplay: false),
            new SessionOptions(),
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
        Assert.Equal(2_000 + 20 + 1, File.ReadAllLines(file).Length); // header, every sample, every detection
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
