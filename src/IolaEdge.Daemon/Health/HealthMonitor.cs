using Serilog;
using Serilog.Events;

namespace IolaEdge.Daemon.Health;

/// <summary>
/// Polls the live components of a run (MIDI ports, the BLE source, real-time scheduling), logs each state change
/// once, keeps the one-line status systemd's STATUS= and the progress lines show, and gathers their summary lines
/// and end-of-run failures.
/// </summary>
/// <remarks>Runs on a timer thread (and on the caller's thread for <see cref="Poll"/>); reading a probe never touches
/// the pipeline or MIDI threads beyond Volatile/Interlocked reads.</remarks>
internal sealed class HealthMonitor : IDisposable
{
    private readonly IHealthProbe[] _probes;
    private readonly HealthState?[] _last;
    private readonly ILogger _log;
    private readonly Action<string>? _publishStatus;
    private readonly Lock _lock = new();
    private Timer? _timer;
    private string _status = string.Empty;
    private long _changes;

    /// <summary>Creates the monitor; nothing is read until <see cref="Start"/> or <see cref="Poll"/>.</summary>
    /// <param name="probes">The components.</param>
    /// <param name="log">Where state changes go.</param>
    /// <param name="publishStatus">Receives the status line whenever it changes (systemd STATUS=), or null.</param>
    public HealthMonitor(IEnumerable<IHealthProbe> probes, ILogger log, Action<string>? publishStatus)
    {
        _probes = [.. probes];
        _last = new HealthState?[_probes.Length];
        _log = log;
        _publishStatus = publishStatus;
    }

    /// <summary>The probes, in order.</summary>
    public IReadOnlyList<IHealthProbe> Probes => _probes;

    /// <summary>State changes logged so far.</summary>
    public long StateChanges => Interlocked.Read(ref _changes);

    /// <summary>Every component that is not OK or has live figures, e.g. "MIDI raw:/dev/x not open: …; BLE streaming at 199 Hz"; empty when all are quietly OK.</summary>
    public string Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Polls now and then every <paramref name="interval"/>.</summary>
    public void Start(TimeSpan interval)
    {
        Poll();
        _timer = new Timer(_ => Poll(), null, interval, interval);
    }

    /// <summary>Reads every probe; logs the ones that changed and publishes the status line if it changed.</summary>
    public void Poll()
    {
        string? publish = null;
        lock (_lock)
        {
            List<string> problems = [];
            for (int i = 0; i < _probes.Length; i++)
            {
                IHealthProbe probe = _probes[i];
                HealthState state = probe.Read();
                if (_last[i] != state && !state.Transient)
                {
                    _changes++;
                    LogEventLevel level = state.Level switch
                    {
                        HealthLevel.Failing => LogEventLevel.Error,
                        HealthLevel.Degraded => LogEventLevel.Warning,
                        _ => LogEventLevel.Information,
                    };
                    _log.Write(level, "{Component}: {State}", probe.Component, state.Text);
                }

                _last[i] = state;

                if (state.Level != HealthLevel.Ok)
                {
                    problems.Add($"{probe.Component} {probe.Figures() ?? state.Text}");
                }
                else if (probe.Figures() is { } figures)
                {
                    problems.Add($"{probe.Component} {figures}");
                }
            }

            string status = string.Join("; ", problems);
            if (status != _status)
            {
                _status = status;
                publish = status;
            }
        }

        if (publish is not null)
        {
            _publishStatus?.Invoke(publish);
        }
    }

    /// <summary>Every component with the state the last poll read (components not read yet are left out); for the page and /metrics.</summary>
    public IReadOnlyList<ComponentHealth> Components()
    {
        lock (_lock)
        {
            List<ComponentHealth> components = new(_probes.Length);
            for (int i = 0; i < _probes.Length; i++)
            {
                if (_last[i] is { } state)
                {
                    components.Add(new ComponentHealth(_probes[i].Component, state.Level, state.Text));
                }
            }

            return components;
        }
    }

    /// <summary>The summary lines of every probe.</summary>
    public IEnumerable<string> SummaryLines() => _probes.SelectMany(p => p.SummaryLines());

    /// <summary>The first end-of-run failure, input problems before output problems (exit 4 before 5), or null.</summary>
    public HealthFailure? EndOfRunFailure()
    {
        HealthFailure? first = null;
        foreach (IHealthProbe probe in _probes)
        {
            if (probe.EndOfRunFailure() is { } failure && (first is null || failure.ExitCode < first.Value.ExitCode))
            {
                first = failure;
            }
        }

        return first;
    }

    /// <summary>Stops polling.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
