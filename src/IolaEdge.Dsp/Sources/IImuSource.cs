namespace IolaEdge.Dsp.Sources;

/// <summary>A producer of IMU samples: a recording, the walk simulator, or a live BLE sensor.</summary>
public interface IImuSource
{
    /// <summary>Human-readable description for logs and summaries (e.g. <c>file:walk.csv</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Reads until the source ends or <paramref name="cancellationToken"/> fires, delivering into
    /// <paramref name="sink"/>. Not for the pipeline thread: it may block on I/O or pace itself.
    /// </summary>
    Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken);
}
