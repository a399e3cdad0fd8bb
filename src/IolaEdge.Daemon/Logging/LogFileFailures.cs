using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace IolaEdge.Daemon.Logging;

/// <summary>
/// Hears the log file's write failures (a full disk, removed media): says so once on stderr, counts the log events
/// the file lost, and keeps the reason for the end of the run. The console sink is unaffected, so the run goes on.
/// </summary>
/// <remarks>Called on whatever thread emitted or flushed the event; a log file must never take the daemon down.</remarks>
internal sealed class LogFileFailures : ILoggingFailureListener
{
    private readonly TextWriter _stderr;
    private long _lostEvents;
    private long _failures;
    private string? _reason;

    /// <summary>Creates the listener for the log file at <paramref name="path"/>.</summary>
    public LogFileFailures(string path, TextWriter? stderr = null)
    {
        Path = path;
        _stderr = stderr ?? Console.Error;
    }

    /// <summary>The configured log file (Serilog adds the date to its name).</summary>
    public string Path { get; }

    /// <summary>Log events the file did not take, at least: as the sink reported them, and one per failure that did not say.</summary>
    public long LostEvents => Interlocked.Read(ref _lostEvents);

    /// <summary>Failed writes or flushes.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The first failure's message, or null while the file is fine.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>One line for the end-of-run summary, or null when the file took every event.</summary>
    public string? Summary => Failures == 0 ? null
        : $"log file {Path}: at least {LostEvents} log event(s) not written in {Failures} failed write(s) ({Reason}); the console got them";

    /// <inheritdoc />
    public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
    {
        Interlocked.Add(ref _lostEvents, Math.Max(1, events?.Count ?? 0));
        if (Interlocked.Increment(ref _failures) != 1)
        {
            return;
        }

        string reason = exception?.Message ?? message;
        Volatile.Write(ref _reason, reason);
        try
        {
            _stderr.WriteLine($"iolaedge: log file {Path}: {reason}; log lines go on to the console only");
        }
        catch (IOException ex)
        {
            SelfLog.WriteLine("iolaedge: stderr failed too: {0}", ex.Message);
        }
    }
}
