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

    /// <summary>Creates a sink over a ring read by the pipeline thread.</summary>
    public SampleRingSink(SpscRing<StampedSample> ring, PipelineWakeup wakeup)
    {
        _ring = ring;
        _wakeup = wakeup;
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
        bool written = _ring.TryWrite(new StampedSample(sample, MonotonicClock.NowNs()));
        _wakeup.Signal();
        return written;
    }

    /// <inheritdoc/>
    public void OnFootfallAnnotation(int sensorId, long timeNs) => Volatile.Write(ref _annotations, _annotations + 1);
}
