using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>
/// The sink sources deliver into: writes each sample into the preallocated ring and wakes the pipeline
/// thread. Never blocks and never allocates; a full ring drops the sample and counts it.
/// </summary>
/// <remarks>Single producer: exactly one source thread may call <see cref="OnSample"/>.</remarks>
internal sealed class SampleRingSink : IImuSampleSink
{
    private readonly SpscRing<StampedSample> _ring;
    private readonly PipelineWakeup _wakeup;

    // Producer-owned; read by the progress reporter (Volatile).
    private long _annotations;

    // Longest a replay waits for room before it drops after all (the pipeline thread has stalled or died).
    private static readonly long s_maxWaitTicks = System.Diagnostics.Stopwatch.Frequency * 5;

    private readonly bool _waitWhenFull;

    /// <summary>Creates a sink over a ring read by the pipeline thread.</summary>
    /// <param name="ring">The ring.</param>
    /// <param name="wakeup">Wakes the pipeline thread.</param>
    /// <param name="waitWhenFull">
    /// For replays only (files, simulator): wait for room instead of dropping, so an as-fast-as-possible
    /// replay loses nothing. Live sources must pass false: their producer thread never waits.
    /// </param>
    public SampleRingSink(SpscRing<StampedSample> ring, PipelineWakeup wakeup, bool waitWhenFull = false)
    {
        _ring = ring;
        _wakeup = wakeup;
        _waitWhenFull = waitWhenFull;
    }

    /// <summary>Samples accepted into the ring.</summary>
    public long Accepted => _ring.Written;

    /// <summary>Samples dropped because the ring was full.</summary>
    public long Dropped => _ring.Dropped;

    /// <summary>Ground-truth footfall annotations seen (recorded footfall rows, button presses).</summary>
    public long Annotations => Volatile.Read(ref _annotations);

    /// <inheritdoc/>
    public bool OnSample(in ImuSample sample)
    {
        if (_waitWhenFull && _ring.Count >= _ring.Capacity)
        {
            WaitForRoom();
        }

        bool written = _ring.TryWrite(new StampedSample(sample, MonotonicClock.NowNs()));
        _wakeup.Signal();
        return written;
    }

    private void WaitForRoom()
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while (_ring.Count >= _ring.Capacity && System.Diagnostics.Stopwatch.GetTimestamp() - start < s_maxWaitTicks)
        {
            _wakeup.Signal();
            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    /// <inheritdoc/>
    public void OnFootfallAnnotation(int sensorId, long timeNs) => Volatile.Write(ref _annotations, _annotations + 1);
}
