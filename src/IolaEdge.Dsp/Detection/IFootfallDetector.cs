using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// A causal footfall detector: consumes samples one at a time and emits per-sample scores that the
/// shared decision gate turns into footfall events.
/// </summary>
/// <remarks>
/// Implementations are online objects (state sized at construction, no allocation in
/// <see cref="Process"/>). A detector with lookahead or a window emits scores for earlier samples,
/// so a call may produce zero, one or several scores.
/// Not thread-safe: the pipeline thread owns it.
/// </remarks>
public interface IFootfallDetector : IDisposable
{
    /// <summary>Short name used in configuration and reports (<c>dsp</c>, <c>onnx-stream</c>, <c>onnx-window</c>).</summary>
    string Name { get; }

    /// <summary>Most scores one <see cref="Process"/> call can write; callers size their buffer with it.</summary>
    int MaxScoresPerSample { get; }

    /// <summary>Feeds one sample and writes the scores it completes into <paramref name="scores"/>.</summary>
    /// <returns>How many scores were written.</returns>
    int Process(in ImuSample sample, Span<DetectorScore> scores);

    /// <summary>Forgets all state (after a gap, a reconnect, or between recordings).</summary>
    void Reset();
}
