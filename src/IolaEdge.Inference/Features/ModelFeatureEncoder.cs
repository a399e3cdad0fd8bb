using IolaEdge.Dsp.Features;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Inference.Features;

/// <summary>
/// The model input row of one sample, as the model's <c>feature_order</c> says: Dsp's
/// <see cref="FeatureExtractor"/> row [x, y, z, |a|, dt] (<see cref="ModelFeatureSet.Raw"/>) or the
/// mounting-invariant row of <see cref="InvariantFeatureEncoder"/> (<see cref="ModelFeatureSet.Invariant"/>),
/// followed for a six-channel model by the <see cref="GyroFeatureEncoder"/> row (<see cref="ModelFeatureSet.InvariantGyro"/>);
/// dt clipped to the metadata's <c>dt_clip_s</c> (as training/data.py and training/features.py do), then
/// standardised by the model's own scaler (<see cref="StandardScaler"/> built from the metadata).
/// </summary>
/// <remarks>Allocation-free after construction; owned by the pipeline thread.</remarks>
internal sealed class ModelFeatureEncoder
{
    private readonly FeatureExtractor _extractor;
    private readonly InvariantFeatureEncoder? _invariant;
    private readonly GyroFeatureEncoder? _gyro;
    private readonly int _width;
    private readonly StandardScaler _scaler;
    private readonly float _dtClip;
    private readonly long _gapResetNs;
    private long _previousTimeNs;
    private bool _hasPrevious;

    public ModelFeatureEncoder(ModelMetadata meta)
    {
        _extractor = new FeatureExtractor(meta.SampleRateHz);
        _invariant = meta.Features != ModelFeatureSet.Raw
            ? new InvariantFeatureEncoder(meta.SampleRateHz, meta.GravityTauSeconds, meta.JerkMinDtSeconds, meta.DtClipSeconds)
            : null;
        _gyro = meta.UsesGyro ? new GyroFeatureEncoder(meta.PitchAxisTauMs, meta.PitchMinLobes, meta.PitchSignMargin) : null;
        _width = meta.FeaturesPerSample;
        _scaler = new StandardScaler(meta.ScalerMean, meta.ScalerScale);
        _dtClip = meta.DtClipSeconds;
        _gapResetNs = (long)(meta.GapResetMs * 1e6);
    }

    /// <summary>
    /// True when <paramref name="s"/> comes a gap of at least the model's <c>gap_reset_ms</c> after the
    /// previous sample, or before it: the model's state and window no longer describe one stretch of walk.
    /// </summary>
    public bool BreaksContinuity(in ImuSample s)
    {
        if (!_hasPrevious)
        {
            return false;
        }

        long gap = s.SensorTimeNs - _previousTimeNs;
        return gap >= _gapResetNs || gap < 0;
    }

    /// <summary>Writes the standardised row of <paramref name="s"/> into <paramref name="row"/>; returns |a| in g.</summary>
    public float Encode(in ImuSample s, Span<float> row)
    {
        float magnitude;
        if (_invariant is not null)
        {
            magnitude = _invariant.Extract(s, row);
            _gyro?.Extract(s, row[FeatureLayout.Count..]);
        }
        else
        {
            _extractor.Extract(s, row);
            row[FeatureLayout.Dt] = Math.Clamp(row[FeatureLayout.Dt], 0f, _dtClip);
            magnitude = row[FeatureLayout.Magnitude];
        }

        _scaler.Transform(row[.._width]);
        _previousTimeNs = s.SensorTimeNs;
        _hasPrevious = true;
        return magnitude;
    }

    /// <summary>Forgets the previous sample (the next dt is the nominal period).</summary>
    public void Reset()
    {
        _extractor.Reset();
        _invariant?.Reset();
        _gyro?.Reset();
        _hasPrevious = false;
        _previousTimeNs = 0;
    }
}
