using IolaEdge.Daemon.Systemd;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// The dedicated thread (real-time when <c>Realtime:Policy</c> says so, see <see cref="Realtime.RealtimeThreads"/>) that runs <see cref="PipelineCore"/>: it drains the ring,
/// sleeps on <see cref="PipelineWakeup"/> while the ring is empty, and on <see cref="Complete"/> drains
/// what is left before it exits.
/// </summary>
internal sealed class PipelineThread
{
    private readonly PipelineCore _core;
    private readonly PipelineWakeup _wakeup;
    private readonly Thread _thread;
    private volatile bool _completing;
    private long _allocatedBytes;

    private readonly PipelineWatchdog? _watchdog;
    private volatile bool _hasEnded;

    /// <summary>Creates (does not start) the thread.</summary>
    /// <param name="core">The work.</param>
    /// <param name="wakeup">Signalled by the sample sink.</param>
    /// <param name="watchdog">Beaten on every wake-up (at least every 50 ms while idle), so systemd's watchdog sees a live pipeline.</param>
    /// <param name="createThread">Creates the thread around the loop (the real-time owner's, which applies the policy first), or null for a plain background thread.</param>
    public PipelineThread(PipelineCore core, PipelineWakeup wakeup, PipelineWatchdog? watchdog = null, Func<ThreadStart, Thread>? createThread = null)
    {
        _core = core;
        _wakeup = wakeup;
        _watchdog = watchdog;
        _thread = createThread?.Invoke(Run) ?? new Thread(Run) { IsBackground = true, Name = "iolaedge-pipeline" };
    }

    /// <summary>Bytes the pipeline thread allocated since start (GC.GetAllocatedBytesForCurrentThread), updated on each wake-up.</summary>
    public long AllocatedBytes => Volatile.Read(ref _allocatedBytes);

    /// <summary>The exception that stopped the thread, if any.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Whether the thread's loop has ended (drained after <see cref="Complete"/>, or faulted).</summary>
    public bool HasEnded => _hasEnded;

    /// <summary>Starts the thread.</summary>
    public void Start() => _thread.Start();

    /// <summary>Asks the thread to drain the ring and stop, and waits for it (call after the source stopped).</summary>
    public void Complete()
    {
        _completing = true;
        _wakeup.Signal();
        _thread.Join();
    }

    private void Run()
    {
        long start = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            while (true)
            {
                _core.Drain();
                _watchdog?.Beat();

                Volatile.Write(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread() - start);
                if (_completing)
                {
                    _core.Drain(); // samples written between the last drain and the completion flag
                    return;
                }

                _wakeup.Arm();
                if (_core.Drain() == 0 && !_completing)
                {
                    _wakeup.Wait(50);
                }
            }
        }
#pragma warning disable CA1031 // The thread must report, not crash the process: the session turns it into an exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fault = ex;
        }
        finally
        {
            _hasEnded = true;
        }
    }
}
