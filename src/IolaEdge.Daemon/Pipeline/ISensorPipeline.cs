using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Pipeline;

/// <summary>One sensor's chain from raw sample to footfall events (sample clock, detector, decision gate).</summary>
/// <remarks>Owned by the pipeline thread: not thread-safe, must not allocate or block in <see cref="Process"/>.</remarks>
internal interface ISensorPipeline : IDisposable
{
    /// <summary>Most events one <see cref="Process"/> call can write.</summary>
    int MaxEventsPerSample { get; }

    /// <summary>Feeds one raw sample (arrival time set, sensor time possibly 0); writes the footfalls it completes.</summary>
    /// <returns>How many events were written into <paramref name="events"/>.</returns>
    int Process(in ImuSample sample, Span<FootfallEvent> events);

    /// <summary>Starts afresh, as for a new walk (time went backwards, or a long gap); allocation-free.</summary>
    void Reset()
    {
    }
}

/// <summary>Builds one <see cref="ISensorPipeline"/> per sensor (called before the pipeline thread starts).</summary>
internal interface ISensorPipelineFactory
{
    /// <summary>Detector name, for logs and summaries.</summary>
    string DetectorName { get; }

    /// <summary>Creates the chain for <paramref name="sensorId"/>.</summary>
    ISensorPipeline Create(int sensorId);
}
