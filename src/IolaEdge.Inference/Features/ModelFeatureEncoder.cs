using IolaEdge.Dsp.Features;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Inference.Features;

/// <summary>
/// The model input row of one sample: Dsp's <see cref="FeatureExtractor"/> row [x, y, z, |a|, dt],
/// dt clipped to the metadata's <c>dt_clip_s</c> (as training/data.py does), then standardised by the
/// model's own scaler (<see cref="StandardScaler"/> built from the metadata).
/// </summary>
/// <remarks>Allocation-free after construction; owned by the pipeline thread.</remarks>
internal sealed class ModelFeatureEncoder
{
    private readonly FeatureExtractor _extractor;
    private readonly StandardScaler _scaler;
    private readonly float _dtClip;
    private long _previousTimeNs;
    private bool _hasPrevious;

    public ModelFeatureEncoder(ModelMetadata meta)
    {
        _extractor = new FeatureExtractor(meta.SampleRateHz);
        _scaler = new StandardScaler(meta.ScalerMean, meta.ScalerScale);
        _dtClip = meta.DtClipSeconds;
    }

    /// <summary>Sensor time of the previous sample (valid when <see cref="HasPrevious"/>).</summary>
    public long PreviousTimeNs => _previousTimeNs;

    /// <summary>True once a sample has been encoded since the last reset.</summary>
    public bool HasPrevious => _hasPrevious;

    /// <summary>Writes the standardised row of <paramref name="s"/> into <paramref name="row"/>; returns |a| in g.</summary>
    public float Encode(in ImuSample s, Span<float> row)
    {
        _extractor.Extract(s, row);
        row[FeatureLayout.Dt] = Math.Clamp(row[FeatureLayout.Dt], 0f, _dtClip);
        float magnitude = row[FeatureLayout.Magnitude];
        _scaler.Transform(row[..FeatureLayout.Count]);
        _previousTimeNs = s.SensorTimeNs;
        _hasPrevious = true;
        return magnitude;
    }

    /// <summary>Forgets the previous sample (the next dt is the nominal period).</summary>
    public void Reset()
    {
        _extractor.Reset();
        _hasPrevious = false;
        _previousTimeNs = 0;
    }
}
