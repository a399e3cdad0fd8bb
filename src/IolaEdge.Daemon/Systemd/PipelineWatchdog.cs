using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Systemd;

/// <summary>
/// Drives systemd's watchdog from the pipeline's heartbeat: the pipeline thread calls <see cref="Beat"/>
/// each time it processes a batch (allocation-free, one volatile write); a timer thread pings
/// WATCHDOG=1 only if beats advanced since its previous check, so a stalled pipeline stops the pings
/// and systemd restarts the service (Restart=on-failure after WatchdogSec).
/// </summary>
/// <remarks>
/// The timer checks at half the watchdog interval (sd_watchdog_enabled(3) advice). An idle source
/// (sensor out of range) still beats: the pipeline thread beats on every wake-up, not per sample.
/// </remarks>
internal sealed class PipelineWatchdog : IDisposable
{
    private readonly SystemdNotifier _notifier;
    private readonly ILogger _logger;
    private readonly TimeSpan _checkInterval;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly Thread? _thread;

    // Pipeline thread writes; watchdog thread reads.
    private long _beats;

    // Watchdog thread only.
    private long _lastSeen = -1;
    private bool _stalledReported;
    private long _pings;
    private long _missed;

    /// <summary>Creates the watchdog; it starts pinging only if systemd configured a watchdog.</summary>
    /// <param name="notifier">The systemd notify channel.</param>
    /// <param name="logger">Receives the stall and recovery lines.</param>
    /// <param name="checkInterval">Override of half the systemd interval (tests); null: from $WATCHDOG_USEC as sd_watchdog_enabled(3) reads it.</param>
    public PipelineWatchdog(SystemdNotifier notifier, ILogger logger, TimeSpan? checkInterval = null)
    {
        _notifier = notifier ?? throw new ArgumentNullException(nameof(notifier));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        TimeSpan? interval = checkInterval ?? notifier.WatchdogInterval() / 2;
        if (interval is null)
        {
            return;
        }

        _checkInterval = interval.Value;
        _thread = new Thread(Run) { IsBackground = true, Name = "iolaedge-watchdog" };
        _thread.Start();
        _logger.LogInformation("systemd watchdog: checking the pipeline heartbeat every {Interval} ms", _checkInterval.TotalMilliseconds);
    }

    /// <summary>Whether a watchdog thread runs (systemd asked for pings).</summary>
    public bool IsActive => _thread is not null;

    /// <summary>Pings sent.</summary>
    public long Pings => Interlocked.Read(ref _pings);

    /// <summary>Checks at which the heartbeat had not advanced (no ping sent).</summary>
    public long Missed => Interlocked.Read(ref _missed);

    /// <summary>Pipeline thread: the pipeline is alive. No allocation, no lock, no system call.</summary>
    public void Beat() => Volatile.Write(ref _beats, _beats + 1);

    /// <summary>Runs one check now (the timer thread's step; tests call it directly).</summary>
    /// <returns>True when a ping was sent.</returns>
    internal bool CheckOnce()
    {
        long beats = Volatile.Read(ref _beats);
        if (beats == _lastSeen)
        {
            Interlocked.Increment(ref _missed);
            if (!_stalledReported)
            {
                _stalledReported = true;
                _logger.LogError("Pipeline heartbeat stalled at {Beats} beats: withholding systemd watchdog pings", beats);
            }

            return false;
        }

        _lastSeen = beats;
        if (_stalledReported)
        {
            _stalledReported = false;
            _logger.LogWarning("Pipeline heartbeat resumed; systemd watchdog pings resume");
        }

        bool sent = _notifier.Watchdog();
        if (sent)
        {
            Interlocked.Increment(ref _pings);
        }

        return sent;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Set();
        _thread?.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_checkInterval))
        {
            try
            {
                CheckOnce();
            }
            catch (SystemdException ex)
            {
                _logger.LogError("systemd watchdog ping failed: {Message}", ex.Message);
            }
        }
    }
}
