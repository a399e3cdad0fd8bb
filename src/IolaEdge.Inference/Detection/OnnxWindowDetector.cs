using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Metadata;
using IolaEdge.Inference.Sessions;

namespace IolaEdge.Inference.Detection;

/// <summary>
/// <c>onnx-window</c>: the seed's Conv-BiLSTM on the newest <see cref="ModelMetadata.Window"/> samples,
/// run every <see cref="ModelMetadata.Stride"/> samples. Each run emits scores for its newest
/// stride samples (per-sample probability plus the window probability), so a footfall waits up to a
/// stride for its decision.
/// </summary>
/// <remarks>
/// Construction loads the model (not on the pipeline thread). <see cref="OnnxDetector.Process"/> allocates nothing;
/// a run costs milliseconds (see benchmarks). Resets on <see cref="Reset"/>, on a gap of at least
/// <see cref="ModelMetadata.GapResetMs"/> and on time going backwards. Pipeline thread only.
/// </remarks>
public sealed class OnnxWindowDetector : OnnxDetector
{
    private readonly WindowModelSession _model;
    private readonly int _window;
    private readonly int _stride;

    // Rings over the newest `window` samples, indexed by sample count since reset.
    private readonly float[] _features;
    private readonly long[] _sampleTimes;
    private readonly float[] _norms;
    private long _count;

    /// <summary>Loads the model and its metadata (<c>.json</c> next to <paramref name="modelPath"/>).</summary>
    /// <exception cref="ModelLoadException">A file is missing, or the metadata or graph is invalid or not a window model.</exception>
    public OnnxWindowDetector(string modelPath)
        : this(ModelMetadata.LoadFor(modelPath))
    {
    }

    /// <summary>Creates the detector from already-validated metadata.</summary>
    /// <exception cref="ModelLoadException">The metadata is not for an onnx-window model.</exception>
    public OnnxWindowDetector(ModelMetadata metadata)
        : base(metadata, ModelKind.Window, "onnx-window")
    {
        _model = new WindowModelSession(metadata);
        _window = metadata.Window;
        _stride = metadata.Stride;
        _features = new float[_window * ModelMetadata.FeatureCount];
        _sampleTimes = new long[_window];
        _norms = new float[_window];
    }

    /// <inheritdoc />
    public override int MaxScoresPerSample => _stride;

    /// <inheritdoc />
    protected override int ProcessContinuous(in ImuSample sample, Span<DetectorScore> scores)
    {
        int F = ModelMetadata.FeatureCount;
        int slot = (int)(_count % _window);
        _norms[slot] = Encoder.Encode(sample, _features.AsSpan(slot * F, F));
        _sampleTimes[slot] = sample.SensorTimeNs;
        _count++;
        if (_count < _window || (_count - _window) % _stride != 0)
        {
            return 0;
        }

        // Unroll the ring oldest-first into the bound input: the oldest sample sits at `_count % window`.
        int oldest = (int)(_count % _window);
        Span<float> x = _model.Input;
        _features.AsSpan(oldest * F).CopyTo(x);
        _features.AsSpan(0, oldest * F).CopyTo(x[((_window - oldest) * F)..]);
        _model.Run();
        ReadOnlySpan<float> step = _model.StepProbs;
        float windowProb = _model.WindowProb;
        long first = _count - _stride;
        for (int k = 0; k < _stride; k++)
        {
            int r = (int)((first + k) % _window);
            scores[k] = new DetectorScore(sample.SensorId, _sampleTimes[r], sample.SensorTimeNs, sample.ArrivalTimeNs,
                step[_window - _stride + k], windowProb, Math.Abs(_norms[r] - 1f));
        }

        return _stride;
    }

    /// <inheritdoc />
    public override void Reset()
    {
        Encoder.Reset();
        _count = 0;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _model.Dispose();
        }
    }
}
