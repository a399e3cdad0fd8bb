using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Systemd;
using Serilog;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// What a run tells systemd: READY=1 once the pipeline thread processed its first samples, STATUS= with what the
/// run does and the health of its live parts, STOPPING=1 while it drains. Without a notifier it does nothing.
/// </summary>
internal sealed class RunStatus(SystemdNotifier? notifier, ILogger log)
{
    private static readonly TimeSpan s_readyPollInterval = TimeSpan.FromMilliseconds(10);

    private string _running = "starting"; // STATUS= before the health part: what the run is doing
    private string _health = string.Empty;

    /// <summary>The health monitor's line changed: republishes STATUS=.</summary>
    public void OnHealth(string status)
    {
        _health = status;
        Notify(n => n.Status(Text()));
    }

    /// <summary>Sends READY=1 once <paramref name="core"/> processed a sample; never when the thread ended before that.</summary>
    public async Task ReadyAsync(PipelineCore core, PipelineThread thread, string source, string detector)
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

        _running = $"processing {source} with detector {detector}";
        Notify(n => n.Ready(Text()));
    }

    /// <summary>Sends STOPPING=1 with what the run does now.</summary>
    public void Stopping(string what) => Notify(n => n.Stopping(what));

    private string Text() => _health.Length == 0 ? _running : _running + "; " + _health;

    private void Notify(Func<SystemdNotifier, bool> send)
    {
        if (notifier is null)
        {
            return;
        }

        try
        {
            send(notifier);
        }
        catch (SystemdException ex)
        {
            log.Error("systemd notification failed: {Message}", ex.Message);
        }
    }
}
