using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>A Serilog sink that keeps every rendered line with its level, for tests that read what a run logged.</summary>
internal sealed class CollectingSerilogSink : ILogEventSink
{
    private readonly Lock _lock = new();
    private readonly List<(LogEventLevel Level, string Text)> _lines = [];

    public ILogger CreateLogger() => new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();

    public IReadOnlyList<(LogEventLevel Level, string Text)> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public string Text => string.Join("\n", Lines.Select(l => $"[{l.Level}] {l.Text}"));

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        string text = logEvent.RenderMessage(CultureInfo.InvariantCulture);
        lock (_lock)
        {
            _lines.Add((logEvent.Level, text));
        }
    }
}
