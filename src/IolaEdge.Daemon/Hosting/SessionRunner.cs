using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Health;
using IolaEdge.Daemon.Recording;
using IolaEdge.Dsp.Sources;
using Serilog.Extensions.Logging;
using IolaEdge.Daemon.Latency;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Daemon.Signals;
using IolaEdge.Daemon.Systemd;
using IolaEdge.Daemon.Tuning;
using IolaEdge.Daemon.Web;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Sessions;
using IolaEdge.Dsp.Timing;
using Serilog;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// One run, in the real-time lifecycle order: open the output, allocate rings and start threads; let
/// the source push samples; on end, duration or signal stop the source, drain the pipeline, flush and
/// close the outputs, then print the summary.
/// </summary>
internal sealed class SessionRunner
{
    private static readonly TimeSpan s_readyPollInterval = TimeSpan.FromMilliseconds(10);

    // State changes of ports and links are logged within this; fast enough for a person, idle for the machine.
    private static readonly TimeSpan s_healthPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ISessionComponents _components;
    private readonly SessionOptions _session;
    private readonly PipelineOptions _pipeline;
    private readonly MidiOptions _midi;
    private readonly EventsOptions _events;
    private readonly ILogger _log;
    private readonly PipelineWatchdog? _watchdog;
    private string _runningStatus = "starting"; // STATUS= before the health part: what the run is doing
    private string _healthStatus = string.Empty;
    private CsvImuSource? _file;
    private string? _firstMalformed;
    private readonly long[] _malformedByReason = new long[Enum.GetValues<SessionCsvError>().Length];

    /// <summary>Creates a runner from validated options.</summary>
    /// <param name="components">Builds source, chains and output.</param>
    /// <param name="session">Session options.</param>
    /// <param name="pipeline">Pipeline options.</param>
    /// <param name="midi">MIDI options.</param>
    /// <param name="events">Event stream options.</param>
    /// <param name="log">Logger.</param>
    /// <param name="watchdog">systemd watchdog fed by the pipeline thread's heartbeat, or null.</param>
    public SessionRunner(ISessionComponents components, SessionOptions session, PipelineOptions pipeline, MidiOptions midi, EventsOptions events, ILogger log,
        PipelineWatchdog? watchdog = null)
    {
        _watchdog = watchdog;
        _components = components;
        _session = session;
        _pipeline = pipeline;
        _midi = midi;
        _events = events;
        _log = log.ForContext("SourceContext", "Session");
    }

    /// <summary>Recorder settings when the run records (<c>--record DIR</c>, <c>Recording:Directory</c>); null: no recording.</summary>
    public RecorderOptions? Recording { get; init; }

    /// <summary>Detector tuning (<c>Detector</c> section); the defaults when not set.</summary>
    public DetectorOptions Detector { get; init; } = new();

    /// <summary>Scheduling of the pipeline and MIDI threads (<c>Realtime</c> section); the defaults (SCHED_OTHER) when not set.</summary>
    public RealtimeOptions Realtime { get; init; } = new();

    /// <summary>GPIO footfall button settings, used while recording (presses become annotations); null: no button.</summary>
    public GpioButtonOptions? Button { get; init; }

    /// <summary>sd_notify channel for READY=1 (after the first samples were processed) and STOPPING=1; null: none.</summary>
    public SystemdNotifier? Notifier { get; init; }

    /// <summary>Loggers for the recorder and the button (Microsoft.Extensions.Logging); null: built over the Serilog logger.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? Loggers { get; init; }

    /// <summary>Watches the run (the soak monitor): its own consumer, the progress ticks and the final exit code; null: none.</summary>
    public ISessionObserver? Observer { get; init; }

    /// <summary>The page's and the control socket's view of the run (live settings, scope, events); null: none.</summary>
    public LiveSession? Live { get; init; }

    /// <summary>Control socket path when not recording (tuning commands only); the recorder's own setting wins.</summary>
    public string ControlSocketPath { get; init; } = "";

    /// <summary>Files the last run recorded (tests read them).</summary>
    public IReadOnlyList<string> RecordedFiles { get; private set; } = [];

    /// <summary>Latency histograms of the last run (tests read them).</summary>
    public LatencyHistograms Histograms { get; } = new();

    /// <summary>Runs until the source ends, the duration passes or <paramref name="stopping"/> fires.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        if (!SourceSpec.TryParse(_session.Source, out SourceSpec spec) || !ReplaySpeed.TryParse(_session.Speed, out ReplaySpeed speed))
        {
            throw new StartupException(ExitCodes.Configuration, "Session options were not validated"); // validators ran at start
        }

        OpenedSource opened = _components.OpenSource(spec, speed);
        ISensorPipelineFactory pipelines = _components.CreatePipelines(_session.Detector, Detector);
        TunablePipelineFactory? tunable = Live is null ? null : new TunablePipelineFactory(pipelines);
        pipelines = tunable ?? pipelines;

        List<IFootfallEventConsumer> consumers = [Histograms];
        if (_events.LogEachFootfall)
        {
            consumers.Add(new FootfallLogConsumer(_log, 0));
        }

        JsonLinesEventWriter? jsonWriter;
        try
        {
            jsonWriter = JsonLinesEventWriter.Open(_events.Output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.Output, $"Events:Output '{_events.Output}' cannot be opened: {ex.Message}", ex);
        }

        if (jsonWriter is not null)
        {
            consumers.Add(jsonWriter);
        }

        using SerilogLoggerFactory serilogLoggers = new(_log);
        Microsoft.Extensions.Logging.ILoggerFactory loggers = Loggers ?? serilogLoggers;
        int sensorCount = _pipeline.MaxSensorId + 1;
        using SessionRecorder? recorder = OpenRecorder(opened, sensorCount, loggers);
        if (recorder is not null)
        {
            consumers.Add(new RecordingDetectionConsumer(recorder, waitForRoom: opened.IsReplay));
        }

        if (Observer?.Consumer is { } observerConsumer)
        {
            consumers.Add(observerConsumer);
        }

        LiveEventFeed? liveEvents = Live?.CreateEventFeed();
        if (liveEvents is not null)
        {
            consumers.Add(liveEvents);
        }

        RealtimeThreads realtime = new(Realtime, _log);
        realtime.Prepare(); // before any thread of the run exists: they inherit from this one
        using EventFanOut fanOut = new(consumers, _pipeline.FanOutCapacity);
        using IFootfallOutput output = _components.OpenOutput(_midi, fanOut, realtime);
        SpscRing<StampedSample> ring = new(_pipeline.RingCapacity);
        using PipelineWakeup wakeup = new();
        SampleRingSink sink = new(ring, wakeup, waitWhenFull: opened.IsReplay);
        using PipelineCore core = new(ring, pipelines, _pipeline.MaxSensorId, output, opened.ArrivalIsMonotonic);
        PipelineThread thread = new(core, wakeup, _watchdog, realtime.For(RealtimeRole.Pipeline));
        List<IHealthProbe> probes = HealthProbes.For(opened.Source, output, realtime, _log);
        using HealthMonitor health = new(probes, _log, status =>
        {
            _healthStatus = status;
            PublishStatus();
        });
        SessionStatistics statistics = new(sink, core, output, fanOut, Histograms, thread, recorder) { Health = health };
        if (opened.Source is CsvImuSource csv)
        {
            _file = csv;
            csv.MalformedLine += OnMalformedLine;
        }

        // With a recorder the source feeds a tap that passes everything on and records a copy; the button
        // annotates through the same tap, so presses reach both the pipeline's counter and the file.
        IImuSampleSink sourceSink = recorder is null ? sink : new RecordingSampleTap(sink, recorder, sensorCount, waitWhenFull: opened.IsReplay);
        LiveRun? live = Live?.Begin(statistics, tunable!, output, opened.Source.Description, liveEvents, sensorCount);
        sourceSink = live?.TapSamples(sourceSink) ?? sourceSink;
        using GpioButton? button = OpenButton(recorder, opened, sourceSink, loggers);
        ControlSocketServer? control = OpenControlSocket(recorder, opened, sourceSink, loggers, live);

        if (output.MidiFilePath is not null)
        {
            _log.Information("Writing MIDI to {MidiFile}", output.MidiFilePath);
        }

        _log.Information("Run: source {Source}, detector {Detector}, speed {Speed}, MIDI {MidiOutput}, events {EventsOutput}",
            opened.Source.Description, pipelines.DetectorName, speed.ToString(), output.Description, _events.Output);

        using CancellationTokenSource runCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (_session.DurationSeconds > 0)
        {
            runCts.CancelAfter(TimeSpan.FromSeconds(_session.DurationSeconds));
        }

        using UserSignalRegistration summaryOnSignal = UserSignalRegistration.Register(() => PrintSummary(statistics, "SIGUSR1"));
        thread.Start();
        realtime.WaitUntilApplied(TimeSpan.FromSeconds(2)); // each thread applies its policy first thing
        realtime.LogApplied();
        health.Start(s_healthPollInterval);
        Task ready = NotifyReadyAsync(core, thread, opened, pipelines);
        Observer?.OnStarted(statistics); // before the first tick: the observer's clock starts here
        using Timer? progress = _pipeline.ProgressIntervalSeconds > 0
            ? new Timer(_ => OnProgressTick(statistics), null, TimeSpan.FromSeconds(_pipeline.ProgressIntervalSeconds), TimeSpan.FromSeconds(_pipeline.ProgressIntervalSeconds))
            : null;
        int exitCode = ExitCodes.Success;
        long sourceStoppedNs = 0;
        try
        {
            await opened.Source.RunAsync(sourceSink, runCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (runCts.IsCancellationRequested)
        {
            // Stopped by signal or duration: a normal end.
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            _log.Error(ex, "Source {Source} failed", opened.Source.Description);
            exitCode = ExitCodes.Input;
        }
        finally
        {
            sourceStoppedNs = MonotonicClock.NowNs();
            live?.End();

            // Drain order: button (no more marks) -> pipeline (no more samples) -> MIDI output (writes, flushes,
            // closes) -> slow consumers -> recorder (last detections in, files fsynced).
            button?.Dispose();
            if (control is not null)
            {
                await control.DisposeAsync().ConfigureAwait(false);
            }

            progress?.Dispose(); // no progress line after (or inside) the summary
            thread.Complete();
            await ready.ConfigureAwait(false); // READY (if any) before STOPPING
            Notify(n => n.Stopping("draining and closing outputs"));
            output.Complete();
            health.Dispose();
            health.Poll(); // the final states and counters, after the outputs drained
            fanOut.Complete();
            DisposeEventsWriter(jsonWriter);
            recorder?.Dispose();
            RecordedFiles = recorder?.Files.ToArray() ?? [];
        }

        if (thread.Fault is not null)
        {
            _log.Fatal(thread.Fault, "Pipeline thread failed");
            exitCode = ExitCodes.Failure;
        }

        if (output is MidiEngineOutput { Fault: not null } midi)
        {
            _log.Error(midi.Fault, "MIDI thread failed");
            exitCode = ExitCodes.Output;
        }

        PrintSummary(statistics, stopping.IsCancellationRequested ? "stopped by signal" : "end of run");
        if (exitCode == ExitCodes.Success && _file is { SamplesDelivered: 0, MalformedLines: > 0 })
        {
            _log.Error("{Source} has no well-formed sample row: {Malformed} malformed lines (first: {FirstMalformed}) (exit code {ExitCode})",
                opened.Source.Description, _file.MalformedLines, _firstMalformed, ExitCodes.Input);
            exitCode = ExitCodes.Input;
        }

        if (exitCode == ExitCodes.Success && health.EndOfRunFailure() is { } failure)
        {
            // See docs/daemon.md, "Live failures": the run kept trying, and its exit code still says it never worked.
            _log.Error("{Failure} (exit code {ExitCode})", failure.Reason, failure.ExitCode);
            exitCode = failure.ExitCode;
        }

        foreach (IHealthProbe probe in probes)
        {
            (probe as IDisposable)?.Dispose();
        }

        if (output.MidiFilePath is not null)
        {
            _log.Information("MIDI file: {MidiFile}", output.MidiFilePath);
        }

        if (Observer is not null)
        {
            SessionEnd end = stopping.IsCancellationRequested ? SessionEnd.Stopped
                : runCts.IsCancellationRequested ? SessionEnd.DurationReached
                : exitCode == ExitCodes.Input ? SessionEnd.SourceFailed
                : SessionEnd.SourceEnded;
            exitCode = Observer.OnFinished(statistics, end, sourceStoppedNs, exitCode);
        }

        return exitCode;
    }

    private void OnMalformedLine(SessionCsvMalformedLine line)
    {
        // The first one says what is wrong with the file; the rest are counted (summary, "File rows").
        Interlocked.Increment(ref _malformedByReason[(int)line.Error]);
        if (Interlocked.CompareExchange(ref _firstMalformed, $"line {line.LineNumber}: {line.Error}", null) is null)
        {
            _log.Warning("{Source}: malformed line {LineNumber} skipped: {Reason}; further malformed lines are counted in the summary",
                _file?.Description, line.LineNumber, line.Error);
        }
    }

    private void DisposeEventsWriter(JsonLinesEventWriter? writer)
    {
        try
        {
            writer?.Dispose();
        }
        catch (IOException ex)
        {
            // The final flush on a full disk: one line naming the file, and the summary still follows.
            _log.Error("Events:Output '{EventsOutput}' could not be completed: {Message}", _events.Output, ex.Message);
        }
    }

    private SessionRecorder? OpenRecorder(OpenedSource opened, int sensorCount, Microsoft.Extensions.Logging.ILoggerFactory loggers)
    {
        if (Recording is null)
        {
            return null;
        }

        RecorderOptions options = Recording;
        options.SensorCount = Math.Max(options.SensorCount, sensorCount); // sizes the queue for every sensor the pipeline takes

        // Live sessions run on the monotonic clock (offset to epoch taken now); replays are already on their epoch clock.
        SessionRecorder recorder = new(options, loggers.CreateLogger("IolaEdge.Recording"), epochOffsetNs: opened.ArrivalIsMonotonic ? null : 0);
        if (!recorder.Start())
        {
            // Logged by the recorder; detection and MIDI carry on without it.
            _log.Warning("Recording to {Directory} could not start; the run carries on without recording", options.Directory);
        }

        return recorder;
    }

    private GpioButton? OpenButton(SessionRecorder? recorder, OpenedSource opened, IImuSampleSink sourceSink, Microsoft.Extensions.Logging.ILoggerFactory loggers)
    {
        if (recorder is null || Button is not { Enabled: true })
        {
            return null;
        }

        if (!opened.ArrivalIsMonotonic)
        {
            // Presses are stamped on the monotonic clock; a replay runs on its file's epoch clock, so they would not line up.
            _log.Information("Footfall button not used: {Source} replays on its own clock", opened.Source.Description);
            return null;
        }

        return GpioButtonFactory.TryCreate(Button, sourceSink, loggers.CreateLogger("IolaEdge.Button"));
    }

    private ControlSocketServer? OpenControlSocket(SessionRecorder? recorder, OpenedSource opened, IImuSampleSink sourceSink,
        Microsoft.Extensions.Logging.ILoggerFactory loggers, LiveRun? live)
    {
        // Marks need a recording of a live source; tuning commands (live runs) need neither.
        string path = Recording?.ControlSocket is { Length: > 0 } recordingSocket ? recordingSocket : ControlSocketPath;
        bool marks = recorder is not null && Recording is { ControlSocket.Length: > 0 } && opened.ArrivalIsMonotonic;
        if (path.Length == 0 || (!marks && live is null))
        {
            if (recorder is not null && path.Length > 0)
            {
                _log.Information("Control socket not opened: {Source} replays on its own clock", opened.Source.Description);
            }

            return null;
        }

        Func<string> status = recorder is not null
            ? () => string.Create(CultureInfo.InvariantCulture, $"recording rows={recorder.RowsWritten} dropped={recorder.Dropped} failures={recorder.Failures} file={recorder.CurrentFile}")
            : () =>
            {
                SessionSnapshot s = live!.Statistics.Snapshot();
                return string.Create(CultureInfo.InvariantCulture, $"run samples={s.Samples} footfalls={s.Footfalls} drops={s.TotalDrops}");
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
            _log.Warning("Control socket {Path} not opened ({Message}); running without it", path, ex.Message);
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
    }

    private async Task NotifyReadyAsync(PipelineCore core, PipelineThread thread, OpenedSource opened, ISensorPipelineFactory pipelines)
    {
        // Polled off the pipeline thread (every 10 ms) so that the real-time thread does, and allocates, nothing for READY.
        while (core.Samples == 0)
        {
            if (thread.HasEnded)
            {
                return; // no sample was ever processed: never READY
            }

            await Task.Delay(s_readyPollInterval).ConfigureAwait(false);
        }

        _runningStatus = $"processing {opened.Source.Description} with detector {pipelines.DetectorName}";
        Notify(n => n.Ready(StatusText()));
    }

    private string StatusText() => _healthStatus.Length == 0 ? _runningStatus : _runningStatus + "; " + _healthStatus;

    private void PublishStatus() => Notify(n => n.Status(StatusText()));

    private void Notify(Func<SystemdNotifier, bool> send)
    {
        if (Notifier is null)
        {
            return;
        }

        try
        {
            send(Notifier);
        }
        catch (SystemdException ex)
        {
            _log.Error("systemd notification failed: {Message}", ex.Message);
        }
    }

    private void OnProgressTick(SessionStatistics s)
    {
        if (Observer is not null)
        {
            Observer.OnProgress(s); // its own line: these counters plus what it watches
        }
        else
        {
            PrintProgress(s);
        }
    }

    private void PrintProgress(SessionStatistics s)
    {
        string health = s.Health is { Status.Length: > 0 } monitor ? "; " + monitor.Status : string.Empty;
        _log.Information("Progress: {Samples} samples, {Footfalls} footfalls, {Drops} drops, cadence {Cadence} footfalls/min{Health}",
            s.Core.Samples, s.Core.Footfalls, s.TotalDrops, FormatCadence(s.Histograms.CadenceStepsPerMinute), health);
    }

    private void PrintSummary(SessionStatistics s, string reason)
    {
        _log.Information(
            "Summary ({Reason}): {Samples} samples, {Footfalls} footfalls, {Annotations} annotated footfalls, drops: ring {RingDrops}, MIDI {MidiDrops}, consumers {ConsumerDrops}, rejected {Rejected}; cadence {Cadence} footfalls/min; pipeline thread allocated {AllocatedBytes} bytes\nLatency (ms):\n{Latency}",
            reason, s.Core.Samples, s.Core.Footfalls, s.Sink.Annotations, s.Sink.Dropped, s.Output.Dropped, s.FanOut.TotalDropped,
            s.Core.Rejected, FormatCadence(s.Histograms.CadenceStepsPerMinute), s.Thread.AllocatedBytes, s.Histograms.Describe());
        foreach (string line in RunAccounting.Lines(s, _file, Volatile.Read(ref _firstMalformed), _malformedByReason))
        {
            _log.Information("{Accounting}", line);
        }

        foreach (string line in s.Health?.SummaryLines() ?? [])
        {
            _log.Information("{HealthSummary}", line);
        }

        if (s.Recorder is { } recorder)
        {
            _log.Information(
                "Recording: {RowsWritten} rows written, {RecordingDropped} dropped (queue full), {NotRecorded} not recorded, state {RecordingState}{Stopped}, files: {RecordingFiles}",
                recorder.RowsWritten, recorder.Dropped, recorder.NotRecorded, recorder.State,
                recorder.Failures > 0 ? $" (recording stopped on an I/O error: {recorder.FailureReason}; detection and MIDI carried on)" : "",
                recorder.CurrentFile ?? (recorder.Files.Count > 0 ? string.Join(", ", recorder.Files) : "none"));
        }
    }

    private static string FormatCadence(double stepsPerMinute) =>
        double.IsNaN(stepsPerMinute) ? "-" : stepsPerMinute.ToString("0", CultureInfo.InvariantCulture);
}
