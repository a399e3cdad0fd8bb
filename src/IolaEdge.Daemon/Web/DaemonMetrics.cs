using IolaEdge.Bluetooth;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Dsp.Samples;
using Prometheus;

namespace IolaEdge.Daemon.Web;

/// <summary>
/// The Prometheus exposition of <c>GET /metrics</c> (prometheus-net, a registry of its own): the run's
/// counters read from a snapshot at each scrape, latency histograms fed by the page's event consumer, and
/// the .NET process figures (working set, CPU, GC). With a BLE source also each sensor's link state (one series per
/// state, 1 for the current one), link losses and battery (charge, volts, age of the reading; absent until a read
/// was answered), labelled <c>sensor</c> (id) and <c>name</c>; and every live component's level (MIDI ports and files,
/// the BLE source, the MIDI learn input, real-time scheduling), labelled <c>component</c> and <c>level</c>.
/// </summary>
internal sealed class DaemonMetrics
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _samples;
    private readonly Counter _footfalls;
    private readonly Counter _annotations;
    private readonly Counter _dropped;
    private readonly Gauge _cadence;
    private readonly Gauge _pages;
    private readonly Histogram _processing;
    private readonly Histogram _algorithmic;
    private readonly Gauge _bleLink;
    private readonly Counter _bleLosses;
    private readonly Gauge _batteryPercent;
    private readonly Gauge _batteryVolts;
    private readonly Gauge _batteryAge;
    private readonly Gauge _component;

    /// <summary>The values of <see cref="LiveSensor.Link"/> (every state's word, then <see cref="LiveSensor.Lost"/>), each a series of <c>iolaedge_ble_link_state</c>.</summary>
    internal static readonly string[] LinkStates = [.. BleSensorStateWords.All, LiveSensor.Lost];

    /// <summary>The values of <see cref="LiveComponent.Level"/>, each a series of <c>iolaedge_component_state</c>.</summary>
    internal static readonly string[] ComponentLevels = ["ok", "degraded", "failing"];

    /// <summary>Creates the collectors; <paramref name="run"/> and <paramref name="frames"/> are read at each scrape.</summary>
    public DaemonMetrics(Func<LiveRun?> run, Func<FrameBroadcaster?> frames)
    {
        MetricFactory factory = Metrics.WithCustomRegistry(_registry);
        _samples = factory.CreateCounter("iolaedge_samples_total", "Samples the pipeline thread processed.");
        _footfalls = factory.CreateCounter("iolaedge_footfalls_total", "Footfalls detected.");
        _annotations = factory.CreateCounter("iolaedge_annotations_total", "Ground-truth footfalls marked (button, control socket, recorded rows).");
        _dropped = factory.CreateCounter("iolaedge_dropped_total", "Drops by reason: ring (samples), midi (footfalls), consumers (slow consumers' events), page_frames.", "reason");
        _cadence = factory.CreateGauge("iolaedge_cadence_steps_per_minute", "Recent cadence (NaN before two footfalls).");
        _pages = factory.CreateGauge("iolaedge_web_pages", "Tuning pages listening now.");
        // 0.1 ms .. ~3.3 s, doubling: processing latency lives near 0.1-10 ms, algorithmic near 5-100 ms.
        double[] buckets = Histogram.ExponentialBuckets(0.0001, 2, 16);
        _processing = factory.CreateHistogram("iolaedge_processing_latency_seconds", "MIDI write minus packet arrival, per footfall.",
            new HistogramConfiguration { Buckets = buckets });
        _algorithmic = factory.CreateHistogram("iolaedge_algorithmic_latency_seconds", "Decision sample minus footfall sample, per footfall.",
            new HistogramConfiguration { Buckets = buckets });
        _bleLink = factory.CreateGauge("iolaedge_ble_link_state", "BLE link state per sensor: 1 for the current state, 0 for the others.", "sensor", "name", "state");
        _bleLosses = factory.CreateCounter("iolaedge_ble_link_losses_total", "BLE links lost while streaming, per sensor.", "sensor", "name");
        _batteryPercent = factory.CreateGauge("iolaedge_ble_battery_percent", "Sensor battery charge, % (absent until the board answered a read).", "sensor", "name");
        _batteryVolts = factory.CreateGauge("iolaedge_ble_battery_volts", "Sensor battery voltage, V (absent until the board answered a read).", "sensor", "name");
        _batteryAge = factory.CreateGauge("iolaedge_ble_battery_age_seconds", "Age of the sensor's last battery reading, s.", "sensor", "name");
        _component = factory.CreateGauge("iolaedge_component_state",
            "Each live component (MIDI port or file, BLE source, MIDI learn input, real-time scheduling): 1 for its current level (ok, degraded, failing), 0 for the others.",
            "component", "level");
        DotNetStats.Register(_registry);
        _registry.AddBeforeCollectCallback(() =>
        {
            if (run() is not { } current)
            {
                return;
            }

            RunSnapshot s = current.Statistics.Snapshot();
            long pageFrames = frames()?.DroppedFrames ?? 0;
            _samples.IncTo(s.Samples);
            _footfalls.IncTo(s.Footfalls);
            _annotations.IncTo(s.Annotations);
            _dropped.WithLabels("ring").IncTo(s.RingDrops);
            _dropped.WithLabels("midi").IncTo(s.MidiDrops);
            _dropped.WithLabels("consumers").IncTo(s.ConsumerDrops);
            _dropped.WithLabels("page_frames").IncTo(pageFrames);
            _cadence.Set(current.Statistics.Histograms.CadenceStepsPerMinute);
            _pages.Set(frames()?.Clients ?? 0);
            foreach (LiveComponent component in LiveComponent.Of(current.Statistics.Health))
            {
                foreach (string level in ComponentLevels)
                {
                    _component.WithLabels(component.Component, level).Set(level == component.Level ? 1 : 0);
                }
            }

            foreach (LiveSensor sensor in current.Sensors.Read())
            {
                string id = sensor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                foreach (string state in LinkStates)
                {
                    _bleLink.WithLabels(id, sensor.Name, state).Set(state == sensor.Link ? 1 : 0);
                }

                _bleLosses.WithLabels(id, sensor.Name).IncTo(sensor.LinkLosses);
                if (sensor.BatteryPercent is { } pct)
                {
                    _batteryPercent.WithLabels(id, sensor.Name).Set(pct);
                    _batteryVolts.WithLabels(id, sensor.Name).Set(sensor.BatteryVolts ?? double.NaN);
                    _batteryAge.WithLabels(id, sensor.Name).Set(sensor.BatteryAgeSeconds ?? double.NaN);
                }
            }
        });
    }

    /// <summary>Records one stamped footfall (the page's event consumer thread).</summary>
    public void Observe(FootfallEvent footfall)
    {
        _algorithmic.Observe(footfall.AlgorithmicLatencyNs / 1e9);
        if (footfall.MidiWriteTimeNs != 0)
        {
            _processing.Observe(footfall.ProcessingLatencyNs / 1e9);
        }
    }

    /// <summary>Writes the exposition text.</summary>
    public Task WriteAsync(Stream to, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(to, cancellationToken);
}
