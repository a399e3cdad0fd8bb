using System.Globalization;
using IolaEdge.Bluetooth;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Dsp.Timing;
using Serilog;

namespace IolaEdge.Daemon.Health;

/// <summary>
/// The BLE source's D-Bus connection and per-sensor links: logs each sensor's state change once, named by its
/// <see cref="BleSensorStateWords"/> word (scanning, connecting, configuring, streaming, retrying after a lost link or a
/// failed attempt, with the reason in the message), shows
/// the bus state and the measured sample rate per sensor in STATUS= and progress, and the per-sensor counters in
/// the summary.
/// </summary>
/// <remarks>Sensor events arrive on BLE worker threads; they only log and keep the last text per sensor.</remarks>
internal sealed class BleSourceProbe : IHealthProbe
{
    // A rate measured over less than this swings with BLE's bursts (several samples per notification).
    private const long RateWindowNs = 2_000_000_000;

    private readonly BleImuSource _source;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<(int SensorId, BleSensorState State), string> _lastLogged = []; // last reason logged per sensor and state, digits removed
    private readonly Dictionary<int, (long Samples, long AtNs, double Hz)> _rates = [];
    private long _repeats;

    /// <summary>Subscribes to <paramref name="source"/>'s state changes.</summary>
    public BleSourceProbe(BleImuSource source, ILogger log)
    {
        _source = source;
        _log = log;
        _source.StateChanged += OnStateChanged;
    }

    /// <inheritdoc/>
    public string Component => "BLE";

    /// <summary>Sensor state changes not logged because they repeated the previous one (a retry loop failing the same way).</summary>
    public long RepeatedStates => Interlocked.Read(ref _repeats);

    /// <inheritdoc/>
    public HealthState Read()
    {
        if (_source.BusStarts == 0)
        {
            return _source.BusFailures == 0
                ? new(HealthLevel.Ok, "opening the D-Bus system bus", Transient: true)
                : new(HealthLevel.Failing, $"no D-Bus system bus ({_source.BusError}); retrying with backoff");
        }

        IReadOnlyList<BleSensorSnapshot> sensors = _source.Snapshot();
        bool allStreaming = sensors.All(s => s.State == BleSensorState.Streaming);
        if (allStreaming && StreamingWarnings(sensors) is { } warnings)
        {
            return new(HealthLevel.Degraded, "every sensor streaming; " + warnings);
        }

        return allStreaming
            ? new(HealthLevel.Ok, "every sensor streaming")
            : new(HealthLevel.Degraded, string.Join(", ", sensors.Select(NameAndState)), Transient: true);
    }

    /// <summary>
    /// What is wrong with sensors that stream: a low battery, a gyroscope that does not turn with the foot. Each is
    /// named without moving figures, so the monitor logs it once when it appears; null when nothing is.
    /// </summary>
    internal static string? StreamingWarnings(IReadOnlyList<BleSensorSnapshot> sensors)
    {
        string[] low = sensors.Where(s => s.Battery.IsLow).Select(s => s.Name).ToArray();
        string[] stuck = sensors.Where(s => s.GyroscopeNotTurning).Select(s => s.Name).ToArray();
        List<string> warnings = [];
        if (low.Length > 0)
        {
            warnings.Add($"battery below {BleBatterySnapshot.LowChargePercent} %: {string.Join(", ", low)}");
        }

        if (stuck.Length > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"gyroscope not turning (under {BleSensorSnapshot.TurningFootDps} °/s while the foot moved past {BleSensorSnapshot.MovingFootG} g; footfalls from acceleration alone): {string.Join(", ", stuck)}"));
        }

        return warnings.Count > 0 ? string.Join("; ", warnings) : null;
    }

    /// <inheritdoc/>
    public string? Figures()
    {
        if (_source.BusStarts == 0)
        {
            return null;
        }

        long now = MonotonicClock.NowNs();
        List<string> parts = [];
        lock (_lock)
        {
            foreach (BleSensorSnapshot s in _source.Snapshot())
            {
                if (!_rates.TryGetValue(s.SensorId, out (long Samples, long AtNs, double Hz) rate))
                {
                    rate = (s.Samples, now, double.NaN);
                }
                else if (now - rate.AtNs >= RateWindowNs)
                {
                    rate = (s.Samples, now, (s.Samples - rate.Samples) * 1e9 / (now - rate.AtNs));
                }

                _rates[s.SensorId] = rate;
                string battery = s.Battery.IsLow ? string.Create(CultureInfo.InvariantCulture, $", battery low {s.Battery.ChargePercent} %") : string.Empty;
                parts.Add((s.State == BleSensorState.Streaming && !double.IsNaN(rate.Hz)
                    ? string.Create(CultureInfo.InvariantCulture, $"{s.Name} streaming at {rate.Hz:0} Hz")
                    : NameAndState(s)) + battery);
            }
        }

        return string.Join(", ", parts);
    }

    /// <inheritdoc/>
    public IEnumerable<string> SummaryLines()
    {
        if (_source.BusStarts == 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"BLE {_source.Description}: no D-Bus system bus during the whole run ({_source.BusError ?? "not opened"}); {_source.BusFailures} attempts, 0 samples");
            yield break;
        }

        if (_source.BusFailures > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"BLE D-Bus: {_source.BusStarts} connections, {_source.BusFailures} failures, last: {_source.BusError}");
        }

        foreach (BleSensorSnapshot s in _source.Snapshot())
        {
            yield return "BLE " + s;
        }
    }

    /// <inheritdoc/>
    public HealthFailure? EndOfRunFailure()
    {
        if (_source.BusStarts == 0)
        {
            return new HealthFailure(ExitCodes.Input, $"BLE source {_source.Description}: the D-Bus system bus never opened ({_source.BusError ?? "no attempt finished"})");
        }

        return _source.Snapshot().Sum(s => s.Samples) == 0
            ? new HealthFailure(ExitCodes.Input, $"BLE source {_source.Description} delivered no sample: {string.Join("; ", _source.Snapshot().Select(s => $"{s.Name}: {s.LastError ?? s.State.Word()}"))}")
            : null;
    }

    /// <inheritdoc/>
    public void Dispose() => _source.StateChanged -= OnStateChanged;

    /// <summary>A sensor in STATUS= and progress: its name and its state's word, the same word the page shows.</summary>
    internal static string NameAndState(BleSensorSnapshot s) => $"{s.Name} {s.State.Word()}";

    /// <summary>Logs a sensor's state change (a BLE worker thread; internal so tests can feed it).</summary>
    internal void OnStateChanged(object? sender, BleSensorEventArgs e)
    {
        // A sensor out of range fails the same way on every attempt (scanning, retrying in N s, scanning…):
        // log each state and reason once, count the repeats; streaming again starts the story afresh.
        string reason = new(e.Message.Where(c => !char.IsAsciiDigit(c)).ToArray());
        lock (_lock)
        {
            if (e.State == BleSensorState.Streaming)
            {
                foreach ((int SensorId, BleSensorState State) key in _lastLogged.Keys.Where(k => k.SensorId == e.SensorId).ToList())
                {
                    _lastLogged.Remove(key);
                }
            }
            else if (_lastLogged.TryGetValue((e.SensorId, e.State), out string? last) && last == reason)
            {
                Interlocked.Increment(ref _repeats);
                return;
            }
            else
            {
                _lastLogged[(e.SensorId, e.State)] = reason;
            }
        }

        switch (e.State)
        {
            case BleSensorState.Backoff:
                _log.Warning("BLE sensor {SensorId} {SensorName}: {BleState}: {Message}", e.SensorId, e.Name, e.State.Word(), e.Message);
                break;
            default:
                _log.Information("BLE sensor {SensorId} {SensorName}: {BleState}: {Message}", e.SensorId, e.Name, e.State.Word(), e.Message);
                break;
        }
    }
}
