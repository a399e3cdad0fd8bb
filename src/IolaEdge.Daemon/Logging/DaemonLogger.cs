using IolaEdge.Daemon.Configuration;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Sinks.SystemConsole.Themes;

namespace IolaEdge.Daemon.Logging;

/// <summary>Builds the Serilog logger from <see cref="LoggingOptions"/> (and the optional <c>Serilog</c> section).</summary>
internal static class DaemonLogger
{
    // Under systemd (JOURNAL_STREAM set) journald stamps time itself and reads "<N>" as the syslog priority.
    private const string JournalTemplate = "<{SyslogPriority}>{SourceContext:l}: {Message:lj}{NewLine}{Exception}";
    private const string TextTemplate = "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>Creates the logger. Console output goes to stderr when <paramref name="stdoutTaken"/> (JSON events on stdout).</summary>
    /// <param name="options">The <c>Logging</c> section.</param>
    /// <param name="configuration">The whole configuration (for the optional <c>Serilog</c> section).</param>
    /// <param name="stdoutTaken">JSON events own stdout.</param>
    /// <param name="fileFailures">Hears the log file's write failures; required when <see cref="LoggingOptions.File"/> is set.</param>
    public static Logger Create(LoggingOptions options, IConfiguration configuration, bool stdoutTaken, LogFileFailures? fileFailures = null)
    {
        LogEventLevel level = Enum.Parse<LogEventLevel>(options.Level, ignoreCase: true);
        LogEventLevel? toStderr = stdoutTaken ? LogEventLevel.Verbose : null;
        bool underJournal = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 };

        LoggerConfiguration config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With<SyslogPriorityEnricher>();

        if (options.Format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            config.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: toStderr);
        }
        else
        {
            // Colours only on a terminal: journald and files get plain text.
            ConsoleTheme theme = Console.IsOutputRedirected || underJournal ? ConsoleTheme.None : AnsiConsoleTheme.Code;
            config.WriteTo.Console(outputTemplate: underJournal ? JournalTemplate : TextTemplate, theme: theme,
                standardErrorFromLevel: toStderr, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        if (options.File.Length > 0)
        {
            // A full disk must be heard (once) and counted, not swallowed by Serilog's SelfLog.
            fileFailures ??= new LogFileFailures(options.File);
            config.WriteTo.Fallible(
                sink => sink.File(new CompactJsonFormatter(), options.File, rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: options.RetainedFiles, buffered: true, flushToDiskInterval: TimeSpan.FromSeconds(1)),
                fileFailures);
        }

        if (configuration.GetSection("Serilog").Exists())
        {
            config.ReadFrom.Configuration(configuration);
        }

        return config.CreateLogger();
    }

    /// <summary>Adds <c>SyslogPriority</c> (sd-daemon(3) level prefix) to each event.</summary>
    private sealed class SyslogPriorityEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            int priority = logEvent.Level switch
            {
                LogEventLevel.Fatal => 2,
                LogEventLevel.Error => 3,
                LogEventLevel.Warning => 4,
                LogEventLevel.Information => 6,
                _ => 7,
            };
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("SyslogPriority", priority));
        }
    }
}
