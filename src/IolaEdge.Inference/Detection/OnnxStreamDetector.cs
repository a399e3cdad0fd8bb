using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Features;
using IolaEdge.Inference.Metadata;
using IolaEdge.Inference.Sessions;

namespace IolaEdge.Inference.Detection;

/// <summary>
/// <c>onnx-stream</c>: the causal GRU run once per chunk of <see cref="ModelMetadata.Chunk"/> samples
/// (one packed BLE packet) with its state carried between calls. Output k of a call scores the sample
/// <see cref="ModelMetadata.LookaheadSamples"/> samples before input k, so each call emits up to K
/// scores for samples a few samples old; the shared decision gate turns them into footfalls.
/// </summary>
/// <remarks>
/// Construction loads the model (slow, allocates; not on the pipeline thread). <see cref="Process"/>
/// allocates nothing. The state resets on <see cref="Reset"/> and by itself on a gap of at least
/// <see cref="ModelMetadata.GapResetMs"/> or on time going backwards (a reconnect).
/// Not thread-safe: the pipeline thread owns it.
/// </remarks>
public sealed class OnnxStreamDetector : IFootfallDetector
{
    private readonly StreamModelSession _model;
    private readonly ModelFeatureEncoder _encoder;
    private readonly int _lookahead;
    private readonly int _chunk;

    // Ring of the newest samples' times and |a|, indexed by sample count since reset; long enough
    // to reach back lookahead samples from the oldest input of a chunk.
    private readonly long[] _sampleTimes;
    private readonly float[] _norms;
    private long _count;
    private int _filled;

    /// <summary>Loads the model and its metadata (<c>.json</c> next to <paramref name="modelPath"/>).</summary>
    /// <exception cref="ModelLoadException">A file is missing, or the metadata or graph is invalid or not a stream model.</exception>
    public OnnxStreamDetector(string modelPath)
        : this(ModelMetadata.LoadFor(modelPath))
    {
    }

    /// <summary>Creates the detector from already-validated metadata.</summary>
    public OnnxStreamDetector(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Kind != ModelKind.Stream)
        {
            throw new ModelLoadException($"{metadata.Path}: key 'kind' is {metadata.Kind}; onnx-stream needs an onnx-stream model");
        }

        Metadata = metadata;
        _model = new StreamModelSession(metadata);
        _encoder = new ModelFeatureEncoder(metadata);
        _lookahead = metadata.LookaheadSamples;
        _chunk = metadata.Chunk;
        int ring = _lookahead + _chunk + 1;
        _sampleTimes = new long[ring];
        _norms = new float[ring];
    }

    /// <inheritdoc />
    public string Name => "onnx-stream";

    /// <inheritdoc />
    public int MaxScoresPerSample => _chunk;

    /// <summary>The model's metadata (thresholds and refractory interval for the decision gate).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>How many times the state was reset because of a gap or time going backwards.</summary>
    public long GapResets { get; private set; }

    /// <inheritdoc />
    public int Process(in ImuSample sample, Span<DetectorScore> scores)
    {
        if (_encoder.BreaksContinuity(sample))
        {
            GapResets++;
            Reset();
        }

        int ring = _sampleTimes.Length;
        int slot = (int)(_count % ring);
        _norms[slot] = _encoder.Encode(sample, _model.Input.Slice(_filled * ModelMetadata.FeatureCount, ModelMetadata.FeatureCount));
        _sampleTimes[slot] = sample.SensorTimeNs;
        _count++;
        _filled++;
        if (_filled < _chunk)
        {
            return 0;
        }

        _filled = 0;
        ReadOnlySpan<float> probs = _model.Run();
        int written = 0;
        long firstInput = _count - _chunk;
        for (int k = 0; k < _chunk; k++)
        {
            long target = firstInput + k - _lookahead;
            if (target < 0)
            {
                continue; // the model has not yet seen `lookahead` samples after this one
            }

            int t = (int)(target % ring);
            scores[written++] = new DetectorScore(sample.SensorId, _sampleTimes[t], sample.SensorTimeNs,
                sample.ArrivalTimeNs, probs[k], 1f, Strength(target));
        }

        return written;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _model.ResetState();
        _encoder.Reset();
        _count = 0;
        _filled = 0;
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    // Impact strength: largest | |a| - 1 g | from the scored sample to the newest one (the impact
    // transient peaks within the lookahead).
    private float Strength(long target)
    {
        float best = 0f;
        int ring = _sampleTimes.Length;
        for (long i = target; i < _count; i++)
        {
            best = Math.Max(best, Math.Abs(_norms[(int)(i % ring)] - 1f));
        }

        return best;
    }
}
