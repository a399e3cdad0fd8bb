using System.Collections.Concurrent;
using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>A slow consumer that records what it gets; can be held to simulate a stalled disk.</summary>
internal sealed class RecordingConsumer(string name) : IFootfallEventConsumer, IDisposable
{
    private readonly ManualResetEventSlim _open = new(true);

    public ConcurrentQueue<FootfallEvent> Received { get; } = new();

    public int Flushes;

    /// <summary>Calls of <see cref="OnFootfall"/> that have begun (a held consumer counts the one it is stuck in).</summary>
    public int Entered;

    public string Name => name;

    public void Hold() => _open.Reset();

    public void Release() => _open.Set();

    public void OnFootfall(in FootfallEvent footfall)
    {
        Interlocked.Increment(ref Entered);
        _open.Wait();
        Received.Enqueue(footfall);
    }

    public void Flush() => Interlocked.Increment(ref Flushes);

    public void Dispose() => _open.Dispose();
}
