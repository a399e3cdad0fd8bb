using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Control;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Tuning;
using IolaEdge.Daemon.Web;
using IolaEdge.Dsp.Sources;
using IolaEdge.Recording;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// Opens the optional parts of a run around the pipeline: the event stream, the recorder, the footfall button and
/// the control socket. Each decides from the options and the source whether it is wanted, and says so in the log
/// when it is not; the runner owns (and closes) what they return.
/// </summary>
internal sealed class RunComposition(EventsOptions events, RecorderOptions? recording, GpioButtonOptions? button, string controlSocketPath, Serilog.ILogger log)
{
    /// <summary>Opens <c>Events:Output</c>, or returns null for <c>none</c>. Throws <see cref="StartupException"/> (exit code Output).</summary>
    public JsonLinesEventWriter? OpenEventsWriter()
    {
        try
        {
            return JsonLinesEventWriter.Open(events.Output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.Output, $"Events:Output '{events.Output}' cannot be opened: {ex.Message}", ex);
        }
    }

    /// <summary>Closes the event stream; a failing final flush is one error line, and the summary still follows.</summary>
    public void CloseEventsWriter(JsonLinesEventWriter? writer)
    {
        try
        {
            writer?.Dispose();
        }
        catch (IOException ex)
        {
            // The final flush on a full disk: one line naming the file, and the summary still follows.
            log.Error("Events:Output '{EventsOutput}' could not be completed: {Message}", events.Output, ex.Message);
        }
    }

    /// <summary>Starts the recorder when the run records; null otherwise.</summary>
    public Recorder? OpenRecorder(OpenedSource opened, int sensorCount, ILoggerFactory loggers)
    {
        if (recording is null)
        {
            return null;
        }

        RecorderOptions options = recording;
        options.SensorCount = Math.Max(options.SensorCount, sensorCount); // sizes the queue for every sensor the pipeline takes

        // Live runs are on the monotonic clock (offset to epoch taken now); replays are already on their epoch clock.
        Recorder recorder = new(options, loggers.CreateLogger("IolaEdge.Recording"), epochOffsetNs: opened.ArrivalIsMonotonic ? null : 0);
        if (!recorder.Start())
        {
            // Logged by the recorder; detection and MIDI carry on without it.
            log.Warning("Recording to {Directory} could not start; the run carries on without recording", options.Directory);
        }

        return recorder;
    }

    /// <summary>Opens the GPIO footfall button while recording a live source; null otherwise.</summary>
    public GpioButton? OpenButton(Recorder? recorder, OpenedSource opened, IImuSampleSink sourceSink, ILoggerFactory loggers)
    {
        if (recorder is null || button is not { Enabled: true })
        {
            return null;
        }

        if (!opened.ArrivalIsMonotonic)
        {
            // Presses are stamped on the monotonic clock; a replay runs on its file's epoch clock, so they would not line up.
            log.Information("Footfall button not used: {Source} replays on its own clock", opened.Source.Description);
            return null;
        }

        return GpioButtonFactory.TryCreate(button, sourceSink, loggers.CreateLogger("IolaEdge.Button"));
    }

    /// <summary>Opens the control socket: marks while recording a live source, tuning commands in a live run; null when neither applies or it cannot open.</summary>
    public ControlSocketServer? OpenControlSocket(Recorder? recorder, OpenedSource opened, IImuSampleSink sourceSink, ILoggerFactory loggers, LiveRun? live)
    {
        // Marks need a recording of a live source; tuning commands (live runs) need neither.
        string path = recording?.ControlSocket is { Length: > 0 } recordingSocket ? recordingSocket : controlSocketPath;
        bool marks = recorder is not null && recording is { ControlSocket.Length: > 0 } && opened.ArrivalIsMonotonic;
        if (path.Length == 0 || (!marks && live is null))
        {
            if (recorder is not null && path.Length > 0)
            {
                log.Information("Control socket not opened: {Source} replays on its own clock", opened.Source.Description);
            }

            return null;
        }

        Func<string> status = recorder is not null
            ? () => string.Create(CultureInfo.InvariantCulture, $"recording rows={recorder.RowsWritten} dropped={recorder.Dropped} failures={recorder.Failures} file={recorder.CurrentFile}")
            : () =>
            {
                RunSnapshot s = live!.Statistics.Snapshot();
                string run = string.Create(CultureInfo.InvariantCulture, $"run samples={s.Samples} footfalls={s.Footfalls} drops={s.TotalDrops}");
                return live.Tuning.Learn is { } learn
                    ? string.Create(CultureInfo.InvariantCulture, $"{run} learn_messages={learn.Listener.Messages}") // a keyboard is connected
                    : run;
            };
        ControlSocketServer server = new(path, sourceSink, status, loggers.CreateLogger("IolaEdge.ControlSocket"))
        {
            Tuning = live is null ? null : new TuningCommands(() => live.Tuning),
            AcceptMarks = marks,
        };
        try
        {
            server.Start();
            return server;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            // Marks are a bench convenience: the run goes on without them.
            log.Warning("Control socket {Path} not opened ({Message}); running without it", path, ex.Message);
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
    }
}
