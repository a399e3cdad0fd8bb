using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Tuning;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IolaEdge.Daemon.Web;

/// <summary>The configuration file the daemon was started with (<c>--config FILE</c>, else the system file): where settings are saved.</summary>
/// <param name="Path">Full path.</param>
internal sealed record StartupConfigurationFile(string Path);

/// <summary>
/// What the page and the control socket see of the process: the current run, once the run host
/// has started it. A singleton; the runner calls <see cref="Begin"/> and the readers poll <see cref="Run"/>.
/// </summary>
internal sealed class LiveView
{
    private readonly IConfiguration _configuration;
    private readonly StartupConfigurationFile? _file;
    private readonly MidiOptions? _midi;
    private readonly Serilog.ILogger? _log;
    private LiveRun? _run;
    private UserPresets? _presets; // read once per process, again on SIGHUP

    /// <summary>Created by the host.</summary>
    public LiveView(IConfiguration configuration, IOptions<WebOptions> web, StartupConfigurationFile? file = null,
        IOptions<MidiOptions>? midi = null, Serilog.ILogger? log = null)
    {
        _configuration = configuration;
        _file = file;
        _midi = midi?.Value;
        _log = log;
        Web = web.Value;
    }

    /// <summary>The page's options.</summary>
    public WebOptions Web { get; }

    /// <summary>True when the page is served (the runner then taps samples and events for it).</summary>
    public bool PageEnabled => Web.Enabled;

    /// <summary>The current run, or null before it started.</summary>
    public LiveRun? Run => Volatile.Read(ref _run);

    /// <summary>A footfall consumer for the page, or null when the page is off.</summary>
    public LiveEventFeed? CreateEventFeed() => PageEnabled ? new LiveEventFeed(e => EventObserver?.Invoke(e)) : null;

    /// <summary>Also sees every stamped footfall of the page's feed (the metrics' histograms); set by the page service.</summary>
    public Action<FootfallEvent>? EventObserver { get; set; }

    /// <summary>Publishes a started run (its threads are up, its source not yet started).</summary>
    /// <param name="statistics">The run's counters.</param>
    /// <param name="chains">The per-sensor detector chains.</param>
    /// <param name="output">The MIDI output.</param>
    /// <param name="source">The source's description.</param>
    /// <param name="events">The page's footfall feed, or null.</param>
    /// <param name="sensorCount">Sensors the scope shows.</param>
    /// <param name="sourceObject">The source itself: its kind, and for BLE the links and batteries the page shows.</param>
    public LiveRun Begin(RunStatistics statistics, SensorChainFactory chains, IFootfallOutput output, string source, LiveEventFeed? events, int sensorCount,
        IImuSource? sourceObject = null)
    {
        _presets ??= _midi is null ? null : new UserPresets(_midi.EffectivePresetsFile, _log);
        LiveTuning tuning = new(_configuration, _file?.Path, chains.DetectorName, chains.Chains, output.Engine, _presets);
        if (_midi?.Learn.EffectiveApi(_midi.Backend) is { } learnApi && _log is not null)
        {
            // Listens for the whole run (a virtual port must stay for the connections made to it); disposed at the run's end.
            tuning.Learn = new MidiLearn(tuning, _midi.Learn, learnApi, _log);
        }

        LiveRun run = new(statistics, tuning, source, events, PageEnabled ? sensorCount : 0) { Sensors = LiveSensors.For(sourceObject) };
        Volatile.Write(ref _run, run);
        return run;
    }
}

/// <summary>One run as the page and the control socket see it.</summary>
internal sealed class LiveRun
{
    /// <summary>Created by <see cref="LiveView.Begin"/>.</summary>
    public LiveRun(RunStatistics statistics, LiveTuning tuning, string source, LiveEventFeed? events, int scopeSensors)
    {
        Statistics = statistics;
        Tuning = tuning;
        Source = source;
        Events = events;
        _scopeSensors = scopeSensors;
        StartedNs = MonotonicClock.NowNs();
    }

    /// <summary>The run's counters.</summary>
    public RunStatistics Statistics { get; }

    /// <summary>Live settings.</summary>
    public LiveTuning Tuning { get; }

    /// <summary>The source, for the page.</summary>
    public string Source { get; }

    /// <summary>The source's kind and, for BLE, each sensor's link and battery.</summary>
    public LiveSensors Sensors { get; init; } = LiveSensors.None;

    /// <summary>Stamped footfalls for the page, or null when it is off.</summary>
    public LiveEventFeed? Events { get; }

    /// <summary>Samples for the scope, once <see cref="TapSamples"/> ran; null when the page is off.</summary>
    public ScopeTap? Scope { get; private set; }

    /// <summary>Monotonic start time.</summary>
    public long StartedNs { get; }

    /// <summary>True once the source stopped.</summary>
    public bool Ended => Volatile.Read(ref _ended);

    private readonly int _scopeSensors;
    private bool _ended;

    /// <summary>Puts the scope tap in front of <paramref name="sink"/> when the page is on.</summary>
    public IImuSampleSink TapSamples(IImuSampleSink sink)
    {
        if (_scopeSensors == 0)
        {
            return sink;
        }

        Scope = new ScopeTap(sink, _scopeSensors, ScopeChannel.Default);
        return Scope;
    }

    /// <summary>The source stopped: MIDI learn stops listening.</summary>
    public void End()
    {
        Volatile.Write(ref _ended, true);
        MidiLearn? learn = Tuning.Learn;
        Tuning.Learn = null;
        learn?.Dispose();
    }
}
