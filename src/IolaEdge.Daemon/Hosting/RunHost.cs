using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Control;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Health;
using IolaEdge.Daemon.Latency;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Realtime;
using IolaEdge.Daemon.Signals;
using IolaEdge.Daemon.Systemd;
using IolaEdge.Daemon.Web;
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;
using IolaEdge.Recording;
using Serilog;
using Serilog.Extensions.Logging;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// One run, in the real-time lifecycle order: open the output, allocate rings and start threads; let
/// the source push samples; on end, duration or signal stop the source, drain the pipeline, flush and
/// close the outputs, then print the summary. The optional parts come from <see cref="RunComposition"/>,
/// the text from <see cref="RunSummary"/>, systemd's view from <see cref="RunStatus"/>.
/// </summary>
internal sealed class RunHost
{
    // State changes of ports and links are logged within this; fast enough for a person, idle for the machine.
    private static readonly TimeSpan s_healthPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly IRunComponents _components;
    private readonly RunOptions _runOptions;
    private readonly PipelineOptions _pipeline;
    private readonly MidiOptions _midi;
    private readonly EventsOptions _events;
    private readonly ILogger _log;
    private readonly PipelineWatchdog? _watchdog;
    private readonly RunSummary _summary;

    /// <summary>Creates a runner from validated options.</summary>
    /// <param name="components">Builds source, chains and output.</param>
    /// <param name="runOptions">Run options.</param>
    /// <param name="pipeline">Pipeline options.</param>
    /// <param name="midi">MIDI options.</param>
    /// <param name="events">Event stream options.</param>
    /// <param name="log">Logger.</param>
    /// <param name="watchdog">systemd watchdog fed by the pipeline thread's heartbeat, or null.</param>
    public RunHost(IRunComponents components, RunOptions runOptions, PipelineOptions pipeline, MidiOptions midi, EventsOptions events, ILogger log,
        PipelineWatchdog? watchdog = null)
    {
        _watchdog = watchdog;
        _components = components;
        _runOptions = runOptions;
        _pipeline = pipeline;
        _midi = midi;
        _events = events;
        _log = log.ForContext("SourceContext", "Run");
        _summary = new RunSummary(_log);
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
    public IRunObserver? Observer { get; init; }

    /// <summary>The page's and the control socket's view of the run (live settings, scope, events); null: none.</summary>
    public LiveView? Live { get; init; }

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
        if (!SourceSpec.TryParse(_runOptions.Source, out SourceSpec spec) || !ReplaySpeed.TryParse(_runOptions.Speed, out ReplaySpeed speed))
        {
            throw new StartupException(ExitCodes.Configuration, "Run options were not validated"); // validators ran at start
        }

        RunComposition parts = new(_events, Recording, Button, ControlSocketPath, _log);
        RunStatus status = new(Notifier, _log);
        OpenedSource opened = _components.OpenSource(spec, speed);
        SensorChainFactory chains = _components.CreatePipelines(_runOptions.Detector, Detector);

        List<IFootfallEventConsumer> consumers = [Histograms];
        if (_events.LogEachFootfall)
        {
            consumers.Add(new FootfallLogConsumer(_log, 0));
        }

        JsonLinesEventWriter? jsonWriter = parts.OpenEventsWriter();
        if (jsonWriter is not null)
        {
            consumers.Add(jsonWriter);
        }

        using SerilogLoggerFactory serilogLoggers = new(_log);
        Microsoft.Extensions.Logging.ILoggerFactory loggers = Loggers ?? serilogLoggers;
        int sensorCount = _pipeline.MaxSensorId + 1;
        using Recorder? recorder = parts.OpenRecorder(opened, sensorCount, loggers);
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
        using PipelineCore core = new(ring, chains, _pipeline.MaxSensorId, output, opened.ArrivalIsMonotonic);
        PipelineThread thread = new(core, wakeup, _watchdog, realtime.For(RealtimeRole.Pipeline));
        List<IHealthProbe> probes = HealthProbes.For(opened.Source, output, realtime, _log);
        LiveRun? live = null; // published below, once the statistics exist; the learn probe finds its input there
        if (Live is not null)
        {
            probes.Add(new MidiLearnProbe(() => live?.Tuning.Learn, new IolaEdge.Midi.Inputs.MidiNoteListenerOptions().RescanInterval));
        }

        using HealthMonitor health = new(probes, _log, status.OnHealth);
        RunStatistics statistics = new(sink, core, output, fanOut, Histograms, thread, recorder) { Health = health };
        _summary.Watch(opened.File);

        // With a recorder the source feeds a tap that passes everything on and records a copy; the button
        // annotates through the same tap, so presses reach both the pipeline's counter and the file.
        IImuSampleSink sourceSink = recorder is null ? sink : new RecordingSampleTap(sink, recorder, sensorCount, waitWhenFull: opened.IsReplay);
        live = Live?.Begin(statistics, chains, output, opened.Source.Description, liveEvents, sensorCount, opened.Source);
        sourceSink = live?.TapSamples(sourceSink) ?? sourceSink;
        using GpioButton? button = parts.OpenButton(recorder, opened, sourceSink, loggers);
        ControlSocketServer? control = parts.OpenControlSocket(recorder, opened, sourceSink, loggers, live);

        if (output.MidiFilePath is not null)
        {
            _log.Information("Writing MIDI to {MidiFile}", output.MidiFilePath);
        }

        _log.Information("Run: source {Source}, detector {Detector}, speed {Speed}, MIDI {MidiOutput}, events {EventsOutput}",
            opened.Source.Description, chains.DetectorName, speed.ToString(), output.Description, _events.Output);

        using CancellationTokenSource runCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (_runOptions.DurationSeconds > 0)
        {
            runCts.CancelAfter(TimeSpan.FromSeconds(_runOptions.DurationSeconds));
        }

        using UserSignalRegistration summaryOnSignal = UserSignalRegistration.Register(() => _summary.Print(statistics, "SIGUSR1"));
        thread.Start();
        realtime.WaitUntilApplied(TimeSpan.FromSeconds(2)); // each thread applies its policy first thing
        realtime.LogApplied();
        health.Start(s_healthPollInterval);
        Task ready = status.ReadyAsync(core, thread, opened.Source.Description, chains.DetectorName);
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
            status.Stopping("draining and closing outputs");
            output.Complete();
            health.Dispose();
            health.Poll(); // the final states and counters, after the outputs drained
            fanOut.Complete();
            parts.CloseEventsWriter(jsonWriter);
            recorder?.Dispose();
            RecordedFiles = recorder?.Files.ToArray() ?? [];
        }

        exitCode = EndOfRun(exitCode, statistics, opened, health, output, stopping.IsCancellationRequested);
        foreach (IHealthProbe probe in probes)
        {
            probe.Dispose();
        }

        if (output.MidiFilePath is not null)
        {
            _log.Information("MIDI file: {MidiFile}", output.MidiFilePath);
        }

        if (Observer is not null)
        {
            RunEnd end = stopping.IsCancellationRequested ? RunEnd.Stopped
                : runCts.IsCancellationRequested ? RunEnd.DurationReached
                : exitCode == ExitCodes.Input ? RunEnd.SourceFailed
                : RunEnd.SourceEnded;
            exitCode = Observer.OnFinished(statistics, end, sourceStoppedNs, exitCode);
        }

        return exitCode;
    }

    /// <summary>After the drain: logs the failures that decide the exit code, prints the summary and returns the code.</summary>
    private int EndOfRun(int exitCode, RunStatistics statistics, OpenedSource opened, HealthMonitor health, IFootfallOutput output, bool stoppedBySignal)
    {
        if (statistics.Thread.Fault is not null)
        {
            _log.Fatal(statistics.Thread.Fault, "Pipeline thread failed");
            exitCode = ExitCodes.Failure;
        }

        if (output.Fault is { } outputFault)
        {
            _log.Error(outputFault, "MIDI thread failed");
            exitCode = ExitCodes.Output;
        }

        _summary.Print(statistics, stoppedBySignal ? "stopped by signal" : "end of run");
        if (exitCode == ExitCodes.Success && opened.File is { SamplesDelivered: 0, MalformedLines: > 0 } file)
        {
            _log.Error("{Source} has no well-formed sample row: {Malformed} malformed lines (first: {FirstMalformed}) (exit code {ExitCode})",
                opened.Source.Description, file.MalformedLines, _summary.FirstMalformed, ExitCodes.Input);
            exitCode = ExitCodes.Input;
        }

        if (exitCode == ExitCodes.Success && health.EndOfRunFailure() is { } failure)
        {
            // See docs/daemon.md, "Live failures": the run kept trying, and its exit code still says it never worked.
            _log.Error("{Failure} (exit code {ExitCode})", failure.Reason, failure.ExitCode);
            exitCode = failure.ExitCode;
        }

        return exitCode;
    }

    private void OnProgressTick(RunStatistics s)
    {
        if (Observer is not null)
        {
            Observer.OnProgress(s); // its own line: these counters plus what it watches
        }
        else
        {
            _summary.PrintProgress(s);
        }
    }
}
