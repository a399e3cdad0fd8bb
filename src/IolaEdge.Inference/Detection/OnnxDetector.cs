using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Features;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Inference.Detection;

/// <summary>
/// What both learned detectors share: the model's metadata, its feature encoder, and a reset whenever
/// the sample stream breaks (a gap of at least <see cref="ModelMetadata.GapResetMs"/>, or time going
/// backwards after a reconnect), before the model sees the next sample.
/// </summary>
public abstract class OnnxDetector : IFootfallDetector
{
    /// <summary>Checks that <paramref name="metadata"/> describes a model of <paramref name="kind"/>.</summary>
    /// <exception cref="ModelLoadException">The metadata is for the other kind of model.</exception>
    protected OnnxDetector(ModelMetadata metadata, ModelKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Kind != kind)
        {
            throw new ModelLoadException($"{metadata.Path}: key 'kind' is {metadata.Kind}; {name} needs an {name} model");
        }

        Metadata = metadata;
        Name = name;
        Encoder = new ModelFeatureEncoder(metadata);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public abstract int MaxScoresPerSample { get; }

    /// <summary>The model's metadata (thresholds and refractory interval for the decision gate).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>How many times the detector was reset because of a gap or time going backwards.</summary>
    public long GapResets { get; private set; }

    /// <summary>Turns samples into the model's normalised features.</summary>
    private protected ModelFeatureEncoder Encoder { get; }

    /// <inheritdoc />
    public int Process(in ImuSample sample, Span<DetectorScore> scores)
    {
        if (Encoder.BreaksContinuity(sample))
        {
            GapResets++;
            Reset();
        }

        return ProcessContinuous(sample, scores);
    }

    /// <inheritdoc />
    public abstract void Reset();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Processes a sample that continues the stream the model has seen since the last reset.</summary>
    protected abstract int ProcessContinuous(in ImuSample sample, Span<DetectorScore> scores);

    /// <summary>Releases the model session.</summary>
    protected abstract void Dispose(bool disposing);
}
