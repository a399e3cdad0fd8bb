using IolaEdge.Daemon.Pipeline;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tuning;

/// <summary>
/// A sensor chain that takes live detector changes: the dsp detector is not thread-safe, so a change is
/// posted here (one reference write) and applied by the pipeline thread itself before its next sample.
/// The gate needs no handoff (<see cref="DecisionGate.Change"/> is safe from any thread).
/// </summary>
/// <remarks>
/// Pipeline thread: <see cref="Process"/> only reads a reference, and swaps it once per change; no lock, no
/// allocation (<see cref="DspFootfallDetector.Change"/> allocates only for a faster nominal rate, which live
/// tuning never changes).
/// </remarks>
internal sealed class TunableSensorPipeline : ISensorPipeline
{
    private readonly ISensorPipeline _inner;

    // Written by control threads (web, control socket), taken by the pipeline thread.
    private DspDetectorOptions? _pendingDsp;
    private long _dspChanges;

    /// <summary>Wraps <paramref name="inner"/>; its gate and dsp detector are reachable when it is a <see cref="IFootfallPipelineHolder"/>.</summary>
    public TunableSensorPipeline(ISensorPipeline inner)
    {
        _inner = inner;
        if (inner is IFootfallPipelineHolder holder)
        {
            Gate = holder.Pipeline.Gate;
            Dsp = holder.Pipeline.Detector as DspFootfallDetector;
        }
    }

    /// <summary>The chain's decision gate, or null when the chain has none reachable.</summary>
    public DecisionGate? Gate { get; }

    /// <summary>The chain's dsp detector, or null when it runs another detector.</summary>
    public DspFootfallDetector? Dsp { get; }

    /// <summary>Detector changes the pipeline thread has applied.</summary>
    public long DspChangesApplied => Interlocked.Read(ref _dspChanges);

    /// <inheritdoc/>
    public int MaxEventsPerSample => _inner.MaxEventsPerSample;

    /// <summary>Any thread: hands validated options (owned by this chain from now on) to the pipeline thread.</summary>
    public void PostDetectorChange(DspDetectorOptions options) => Volatile.Write(ref _pendingDsp, options);

    /// <inheritdoc/>
    public int Process(in ImuSample sample, Span<FootfallEvent> events)
    {
        if (Volatile.Read(ref _pendingDsp) is not null)
        {
            ApplyPending();
        }

        return _inner.Process(in sample, events);
    }

    /// <inheritdoc/>
    public void Dispose() => _inner.Dispose();

    private void ApplyPending()
    {
        DspDetectorOptions? options = Interlocked.Exchange(ref _pendingDsp, null);
        if (options is not null && Dsp is not null)
        {
            Dsp.Change(options); // validated by the poster; keeps the detector's signal state
            Interlocked.Increment(ref _dspChanges);
        }
    }
}

/// <summary>Wraps every chain a factory builds in a <see cref="TunableSensorPipeline"/> and keeps them for live tuning.</summary>
internal sealed class TunablePipelineFactory : ISensorPipelineFactory
{
    private readonly ISensorPipelineFactory _inner;
    private readonly List<TunableSensorPipeline> _chains = [];
    private readonly Lock _lock = new();

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public TunablePipelineFactory(ISensorPipelineFactory inner) => _inner = inner;

    /// <inheritdoc/>
    public string DetectorName => _inner.DetectorName;

    /// <summary>The chains built so far (a copy).</summary>
    public IReadOnlyList<TunableSensorPipeline> Chains
    {
        get
        {
            lock (_lock)
            {
                return [.. _chains];
            }
        }
    }

    /// <inheritdoc/>
    public ISensorPipeline Create(int sensorId)
    {
        TunableSensorPipeline chain = new(_inner.Create(sensorId));
        lock (_lock)
        {
            _chains.Add(chain);
        }

        return chain;
    }
}
