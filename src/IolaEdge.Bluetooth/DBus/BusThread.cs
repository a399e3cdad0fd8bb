using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using IolaEdge.Bluetooth.Interop;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Bluetooth.DBus;

/// <summary>
/// The one thread that owns a <see cref="BusConnection"/> (sd-bus is not thread-safe). It runs
/// <c>sd_bus_process</c> until idle, then polls the bus fd together with an eventfd through which
/// other threads post work (<see cref="InvokeAsync{T}"/>, <see cref="CallAsync{T}"/>).
/// Signal handlers (including the notification hot path) run on this thread.
/// </summary>
internal sealed unsafe class BusThread : IDisposable
{
    private readonly ConcurrentQueue<(Action<BusConnection> Run, Action<Exception> Reject)> _commands = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private readonly string? _address;
    private readonly int _eventFd;
    private volatile bool _stopRequested;
    private int _disposed;

    /// <summary>Starts the thread and opens the bus on it; await <see cref="Opened"/>.</summary>
    /// <param name="address">Bus address, or null for the system bus.</param>
    /// <param name="name">Thread name (for debuggers and <c>top -H</c>).</param>
    public BusThread(string? address, string name = "iolaedge-dbus")
    {
        _address = address;
        _eventFd = Libc.eventfd(0, Libc.EfdCloexecNonblock);
        if (_eventFd < 0)
        {
            SdBusResult.Check(-Marshal.GetLastPInvokeError(), "eventfd");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Completes when the bus is open (faults with <see cref="SdBusException"/> if it cannot be).</summary>
    public Task Opened => _opened.Task;

    /// <summary>Completes when the loop has ended: normally after <see cref="Dispose"/>, faulted if the bus failed (e.g. the daemon went away).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Unique name of the connection (valid once <see cref="Opened"/> completed).</summary>
    public string UniqueName { get; private set; } = string.Empty;

    /// <summary>Managed thread id of the bus thread (for allocation tests).</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Runs <paramref name="action"/> on the bus thread.</summary>
    public Task<T> InvokeAsync<T>(Func<BusConnection, T> action)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(bus =>
        {
            try
            {
                tcs.TrySetResult(action(bus));
            }
#pragma warning disable CA1031 // delivered to the awaiting caller
            catch (Exception ex)
#pragma warning restore CA1031
            {
                tcs.TrySetException(ex);
            }
        }, ex => tcs.TrySetException(ex));
        return tcs.Task;
    }

    /// <summary>Calls a D-Bus method; the reply is read on the bus thread by <paramref name="reader"/>.</summary>
    public Task<T> CallAsync<T>(
        string destination, string path, string iface, string member, Action<BusMessageWriter>? writeArguments, ReplyReader<T> reader, TimeSpan timeout)
    {
        var pending = new PendingCall<T>($"{iface}.{member} on {path}", reader);
        Post(bus =>
        {
            try
            {
                using SdBusMessageHandle m = bus.NewMethodCall(destination, path, iface, member);
                writeArguments?.Invoke(new BusMessageWriter(m));
                bus.CallAsync(m, pending, timeout);
            }
#pragma warning disable CA1031 // delivered to the awaiting caller
            catch (Exception ex)
#pragma warning restore CA1031
            {
                pending.Fail(ex);
            }
        }, pending.Fail);
        return pending.Task;
    }

    /// <summary>Calls a method that returns nothing we need.</summary>
    public Task CallAsync(string destination, string path, string iface, string member, Action<BusMessageWriter>? writeArguments, TimeSpan timeout) =>
        CallAsync(destination, path, iface, member, writeArguments, static _ => true, timeout);

    /// <summary>Installs a match; dispose the result with <see cref="UnsubscribeAsync"/>.</summary>
    public Task<SignalSubscription> SubscribeAsync(string? sender, string? path, string? iface, string? member, ISignalHandler handler) =>
        InvokeAsync(bus => bus.MatchSignal(sender, path, iface, member, handler));

    /// <summary>Removes a match on the bus thread (no-op once the thread has stopped: the bus released it).</summary>
    public Task UnsubscribeAsync(SignalSubscription? subscription) =>
        subscription is null || _stopped.Task.IsCompleted ? Task.CompletedTask : InvokeAsync(_ => { subscription.Dispose(); return true; });

    /// <summary>Stops the loop, releases matches, fails pending calls and closes the bus; waits for the thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopRequested = true;
        Wake();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Post(Action<BusConnection> command, Action<Exception> onRejected)
    {
        if (_stopped.Task.IsCompleted || _stopRequested)
        {
            onRejected(new ObjectDisposedException(nameof(BusThread), "the bus thread has stopped"));
            return;
        }

        _commands.Enqueue((command, onRejected));
        Wake();
    }

    private void Wake()
    {
        ulong one = 1;
        Libc.write(_eventFd, &one, sizeof(ulong)); // a full counter (EAGAIN) still leaves the fd readable
    }

    private void Run()
    {
        BusConnection? bus = null;
        Exception? failure = null;
        try
        {
            bus = BusConnection.Open(_address);
            UniqueName = bus.UniqueName;
            _opened.TrySetResult();
            Loop(bus);
        }
#pragma warning disable CA1031 // the thread reports through its tasks
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
            _opened.TrySetException(ex);
        }
        finally
        {
            bus?.Dispose();
            Libc.close(_eventFd);
            var rejected = new ObjectDisposedException(nameof(BusThread), "the bus thread has stopped");
            while (_commands.TryDequeue(out var orphan))
            {
                orphan.Reject(rejected);
            }

            if (failure is null)
            {
                _stopped.TrySetResult();
            }
            else
            {
                _stopped.TrySetException(failure);
            }
        }
    }

    private void Loop(BusConnection bus)
    {
        Libc.PollFd* fds = stackalloc Libc.PollFd[2];
        int busFd = SdBusResult.Check(SdBus.sd_bus_get_fd(bus.Handle), "sd_bus_get_fd");
        while (!_stopRequested)
        {
            if (bus.Process() > 0)
            {
                continue; // more may be queued: drain before polling
            }

            while (_commands.TryDequeue(out var command))
            {
                command.Run(bus);
            }

            if (bus.Process() > 0)
            {
                continue; // a command may have queued output or a reply may already be buffered
            }

            fds[0] = new Libc.PollFd { Fd = busFd, Events = (short)SdBusResult.Check(SdBus.sd_bus_get_events(bus.Handle), "sd_bus_get_events") };
            fds[1] = new Libc.PollFd { Fd = _eventFd, Events = Libc.Pollin };
            int timeoutMs = -1;
            SdBusResult.Check(SdBus.sd_bus_get_timeout(bus.Handle, out ulong deadlineUsec), "sd_bus_get_timeout");
            if (deadlineUsec != ulong.MaxValue)
            {
                // sd_bus_get_timeout is absolute CLOCK_MONOTONIC µs — the clock MonotonicClock reads on Linux.
                long nowUsec = MonotonicClock.NowNs() / 1000;
                long waitUsec = (long)Math.Min(deadlineUsec, long.MaxValue) - nowUsec;
                timeoutMs = waitUsec <= 0 ? 0 : (int)Math.Min(int.MaxValue, (waitUsec + 999) / 1000);
            }

            if (Libc.poll(fds, 2, timeoutMs) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != 4 /* EINTR */)
                {
                    SdBusResult.Check(-errno, "poll");
                }
            }

            if ((fds[1].Revents & Libc.Pollin) != 0)
            {
                ulong counter;
                Libc.read(_eventFd, &counter, sizeof(ulong));
            }
        }
    }
}
