using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Output;

/// <summary>
/// Bounded fan-out of stamped events to slow consumers: one preallocated ring and one thread per
/// consumer, so a slow disk stalls only its own consumer. The publisher never waits: a full ring drops
/// the new event and counts it (drop-and-count).
/// </summary>
/// <remarks>Single producer: whichever thread writes MIDI (or the pipeline thread when there is no MIDI output).</remarks>
internal sealed class EventFanOut : IDisposable
{
    private readonly EventConsumerLoop[] _loops;

    /// <summary>Creates the rings and starts one consumer thread each.</summary>
    public EventFanOut(IReadOnlyList<IFootfallEventConsumer> consumers, int capacity)
    {
        _loops = new EventConsumerLoop[consumers.Count];
        for (int i = 0; i < _loops.Length; i++)
        {
            _loops[i] = new EventConsumerLoop(consumers[i], capacity);
        }
    }

    /// <summary>Events published.</summary>
    public long Published { get; private set; }

    /// <summary>Per consumer: name and events dropped because its ring was full.</summary>
    public IEnumerable<(string Name, long Dropped)> Drops => _loops.Select(l => (l.Consumer.Name, l.Dropped));

    /// <summary>Per consumer: events handled, events whose handling threw (full disk, closed stdout), events dropped (ring full).
    /// After <see cref="Complete"/>, Delivered + Failed + Dropped = <see cref="Published"/> for each.</summary>
    public IEnumerable<(string Name, long Delivered, long Failed, long Dropped)> Accounts =>
        _loops.Select(l => (l.Consumer.Name, l.Delivered, l.Failed, l.Dropped));

    /// <summary>Total drops over all consumers.</summary>
    public long TotalDropped
    {
        get
        {
            long total = 0;
            foreach (EventConsumerLoop loop in _loops)
            {
                total += loop.Dropped;
            }

            return total;
        }
    }

    /// <summary>Producer: offers the event to every consumer. Never blocks, never allocates.</summary>
    public void Publish(in FootfallEvent footfall)
    {
        Published++;
        foreach (EventConsumerLoop loop in _loops)
        {
            loop.Offer(footfall);
        }
    }

    /// <summary>Shutdown: lets every consumer drain its ring, flush, and stop (call after the producer stopped).</summary>
    public void Complete()
    {
        foreach (EventConsumerLoop loop in _loops)
        {
            loop.Complete();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Complete();
        foreach (EventConsumerLoop loop in _loops)
        {
            loop.Dispose();
        }
    }
}

/// <summary>One consumer's ring and thread.</summary>
internal sealed class EventConsumerLoop : IDisposable
{
    private readonly SpscRing<FootfallEvent> _ring;
    private readonly Pipeline.PipelineWakeup _wakeup = new();
    private readonly Thread _thread;
    private volatile bool _completing;

    /// <summary>Creates the ring and starts the consumer thread.</summary>
    public EventConsumerLoop(IFootfallEventConsumer consumer, int capacity)
    {
        Consumer = consumer;
        _ring = new SpscRing<FootfallEvent>(capacity);
        _thread = new Thread(Run) { IsBackground = true, Name = "iolaedge-" + consumer.Name, Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>The consumer served.</summary>
    public IFootfallEventConsumer Consumer { get; }

    /// <summary>Events dropped because the ring was full.</summary>
    public long Dropped => _ring.Dropped;

    /// <summary>Events the consumer handled without an error.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events whose handling threw (the consumer's output is incomplete from the first one on).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Producer side: queues without waiting.</summary>
    public void Offer(in FootfallEvent footfall)
    {
        _ring.TryWrite(footfall);
        _wakeup.Signal();
    }

    /// <summary>Stops after the ring is drained and the consumer flushed.</summary>
    public void Complete()
    {
        _completing = true;
        _wakeup.Signal();
        _thread.Join();
    }

    /// <inheritdoc/>
    public void Dispose() => _wakeup.Dispose();

    private void Run()
    {
        while (true)
        {
            bool any = false;
            while (_ring.TryRead(out FootfallEvent footfall))
            {
                any = true;
                SafeCall(footfall);
            }

            if (any)
            {
                SafeFlush();
            }

            if (_completing && _ring.Count == 0)
            {
                SafeFlush();
                return;
            }

            _wakeup.Arm();
            if (_ring.Count == 0 && !_completing)
            {
                _wakeup.Wait(100);
            }
        }
    }

    // A failing consumer (full disk, closed stdout) must not stop the others nor the pipeline: report once, go on.
    private bool _reported;
    private long _delivered;
    private long _failed;

    private void SafeCall(in FootfallEvent footfall)
    {
        try
        {
            Consumer.OnFootfall(footfall);
            Interlocked.Increment(ref _delivered);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Interlocked.Increment(ref _failed);
            Report(ex);
        }
    }

    private void SafeFlush()
    {
        try
        {
            Consumer.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Report(ex);
        }
    }

    private void Report(Exception ex)
    {
        if (!_reported)
        {
            _reported = true;
            // One line, no stack trace: a full disk or a closed pipe is the user's environment, not a bug.
            Serilog.Log.Error("Event consumer {Consumer} failed ({Error}); its output stops being complete, later events are counted as failed",
                Consumer.Name, ex.Message);
        }
    }
}
