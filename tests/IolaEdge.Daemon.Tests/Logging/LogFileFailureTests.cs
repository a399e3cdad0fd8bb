using IolaEdge.Daemon.Logging;
using IolaEdge.Daemon.Tests.Support;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Logging;

public sealed class LogFileFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_failing_log_file_is_said_once_on_stderr_and_every_lost_event_is_counted()
    {
        using StringWriter stderr = new();
        LogFileFailures failures = new("/var/log/iolaedge/iolaedge.log", stderr);
        IOException full = new("No space left on device");

        failures.OnLoggingFailed(this, LoggingFailureKind.Permanent, "write", [Event(), Event()], full);
        failures.OnLoggingFailed(this, LoggingFailureKind.Permanent, "write", [Event()], full);
        failures.OnLoggingFailed(this, LoggingFailureKind.Final, "closing", null, full);

        string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("iolaedge: log file /var/log/iolaedge/iolaedge.log: No space left on device; log lines go on to the console only", line.TrimEnd());
        Assert.Equal(3, failures.Failures);
        Assert.Equal(4, failures.LostEvents); // 2 + 1 + at least 1 for the failure that did not say
        Assert.Contains("at least 4 log event(s) not written in 3 failed write(s) (No space left on device)", failures.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_file_that_takes_every_event_has_no_summary_line()
    {
        LogFileFailures failures = new("x.log", TextWriter.Null);
        Assert.Null(failures.Summary);
        Assert.Equal(0, failures.LostEvents);
    }

    [Fact]
    public void The_logger_hands_a_sink_failure_to_the_listener_and_keeps_logging_elsewhere()
    {
        LogFileFailures failures = new("x.log", TextWriter.Null);
        CollectingSink console = new();
        using (Logger logger = new LoggerConfiguration()
            .WriteTo.Fallible(sink => sink.Sink(new FullDiskSink()), failures)
            .WriteTo.Sink(console)
            .CreateLogger())
        {
            logger.Information("one");
            logger.Information("two");
        }

        Assert.Equal(2, failures.LostEvents);
        Assert.Equal("No space left on device", failures.Reason);
        Assert.Equal(2, console.Count);
    }

    /// <summary>A real full disk: a 16 KiB tmpfs mounted in a user and mount namespace of its own (no root needed).</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void A_run_whose_log_file_fills_the_disk_ends_normally_with_the_loss_in_two_lines_and_no_stack_trace()
    {
        string mount = Directory.CreateDirectory(Path.Combine(_dir.Path, "full")).FullName;
        string log = Path.Combine(mount, "iolaedge.log");
        string[] launcher = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", $"mount -t tmpfs -o size=16k tmpfs '{mount}' && exec \"$0\" \"$@\""];

        (int code, string stdout, string stderr) = IolaEdgeProcess.RunWrapped(_dir.Path, TimeSpan.FromSeconds(120), launcher,
            "run", "--speed", "max", "--midi", "none", "--log-file", log);

        Assert.True(code == 0, $"exit {code}; stderr:\n{stderr}");
        Assert.DoesNotContain("Unhandled", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"iolaedge: log file {log}: No space left on device", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^iolaedge: log file .*: at least \d+ log event\(s\) not written", lines[1]);
        Assert.Contains("Summary (end of run)", stdout, StringComparison.Ordinal); // the console still had every line
    }

    private static LogEvent Event() =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, MessageTemplate.Empty, []);

    private sealed class FullDiskSink : ILogEventSink, ISetLoggingFailureListener
    {
        private ILoggingFailureListener _listener = null!;

        public void SetFailureListener(ILoggingFailureListener failureListener) => _listener = failureListener;

        public void Emit(LogEvent logEvent) =>
            _listener.OnLoggingFailed(this, LoggingFailureKind.Permanent, "write", [logEvent], new IOException("No space left on device"));
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private int _count;

        public int Count => _count;

        public void Emit(LogEvent logEvent) => Interlocked.Increment(ref _count);
    }
}
