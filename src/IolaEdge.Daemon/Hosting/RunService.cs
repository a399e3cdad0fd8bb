using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Control;
using IolaEdge.Recording;
using IolaEdge.Daemon.Systemd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serilog;

namespace IolaEdge.Daemon.Hosting;

/// <summary>The host's worker: runs once, records its exit code, then stops the host.</summary>
internal sealed class RunService : BackgroundService
{
    private readonly IRunComponents _components;
    private readonly IOptions<RunOptions> _runOptions;
    private readonly IOptions<PipelineOptions> _pipeline;
    private readonly IOptions<MidiOptions> _midi;
    private readonly IOptions<EventsOptions> _events;
    private readonly IOptions<RecorderOptions> _recording;
    private readonly IOptions<GpioButtonOptions> _button;
    private readonly IOptions<DetectorOptions> _detector;
    private readonly IOptions<Realtime.RealtimeOptions> _realtime;
    private readonly RunOutcome _outcome;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _log;
    private readonly Microsoft.Extensions.Logging.ILoggerFactory _loggerFactory;
    private readonly IRunObserver? _observer;
    private readonly Web.LiveView? _live;

    /// <summary>Created by the host.</summary>
    public RunService(IRunComponents components, IOptions<RunOptions> runOptions, IOptions<PipelineOptions> pipeline,
        IOptions<MidiOptions> midi, IOptions<EventsOptions> events, IOptions<RecorderOptions> recording, IOptions<GpioButtonOptions> button, IOptions<DetectorOptions> detector, IOptions<Realtime.RealtimeOptions> realtime, RunOutcome outcome, IHostApplicationLifetime lifetime, ILogger log,
        Microsoft.Extensions.Logging.ILoggerFactory loggerFactory, IRunObserver? observer = null, Web.LiveView? live = null)
    {
        _live = live;
        _loggerFactory = loggerFactory;
        _observer = observer; // registered by the soak verb only
        _components = components;
        _runOptions = runOptions;
        _pipeline = pipeline;
        _midi = midi;
        _events = events;
        _recording = recording;
        _button = button;
        _detector = detector;
        _realtime = realtime;
        _outcome = outcome;
        _lifetime = lifetime;
        _log = log;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting before the run begins
        // systemd's WatchdogSec (deploy/systemd/iolaedge.service) is fed only while the pipeline thread beats;
        // outside systemd the watchdog stays inactive. The runner sends READY=1 once samples were processed, and STOPPING=1.
        SystemdNotifier notifier = new();
        using PipelineWatchdog watchdog = new(notifier, Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<PipelineWatchdog>(_loggerFactory));
        RecorderOptions? recording = _recording.Value.Directory.Length > 0 ? _recording.Value : null;
        RunHost runner = new(_components, _runOptions.Value, _pipeline.Value, _midi.Value, _events.Value, _log, watchdog)
        {
            Recording = recording,
            Button = _button.Value,
            Detector = _detector.Value,
            Realtime = _realtime.Value,
            Notifier = notifier,
            Loggers = _loggerFactory,
            Observer = _observer,
            Live = _live,
            ControlSocketPath = _recording.Value.ControlSocket,
        };
        try
        {
            _outcome.ExitCode = await runner.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (StartupException ex)
        {
            _log.Error("{Error}", ex.Message);
            _outcome.ExitCode = ex.ExitCode;
        }
#pragma warning disable CA1031 // Last line of defence: any failure becomes exit code 1 with its stack in the log.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _log.Fatal(ex, "Run failed");
            _outcome.ExitCode = ExitCodes.Failure;
        }
        finally
        {
            _lifetime.StopApplication();
        }
    }
}
