using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
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
/// Construction loads the model (slow, allocates; not on the pipeline thread). <see cref="OnnxDetector.Process"/>
/// allocates nothing. The state resets on <see cref="Reset"/> and by itself on a gap of at least
/// <see cref="ModelMetadata.GapResetMs"/> or on time going backwards (a reconnect).
/// Not thread-safe: the pipeline thread owns it.
/// </remarks>
public sealed class OnnxStreamDetector : OnnxDetector
{
    private readonly StreamModelSession _model;
    private readonly int _lookahead;
    private readonly int _chunk;
    private readonly int _features;

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
    /// <exception cref="ModelLoadException">The metadata is not for an onnx-stream model.</exception>
    public OnnxStreamDetector(ModelMetadata metadata)
        : base(metadata, ModelKind.Stream, "onnx-stream")
    {
        _model = new StreamModelSession(metadata);
        _lookahead = metadata.LookaheadSamples;
        _chunk = metadata.Chunk;
        _features = metadata.FeaturesPerSample;
        int ring = _lookahead + _chunk + 1;
        _sampleTimes = new long[ring];
        _norms = new float[ring];
    }

    /// <inheritdoc />
    public override int MaxScoresPerSample => _chunk;

    /// <inheritdoc />
    protected override int ProcessContinuous(in ImuSample sample, Span<DetectorScore> scores)
    {
        int ring = _sampleTimes.Length;
        int slot = (int)(_count % ring);
        _norms[slot] = Encoder.Encode(sample, _model.Input.Slice(_filled * _features, _features));
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
    public override void Reset()
    {
        _model.ResetState();
        Encoder.Reset();
        _count = 0;
        _filled = 0;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _model.Dispose();
        }
    }

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
