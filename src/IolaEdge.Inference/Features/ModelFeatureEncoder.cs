using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Inference.Features;

/// <summary>
/// Computes the standardised model features of one sample, exactly as <c>training/data.py</c> does:
/// x, y, z (g), |a| (g), dt (s since the previous sample, clipped to [0, dtClip], 0 after a reset),
/// then (f - mean) / scale in float32.
/// </summary>
/// <remarks>
/// Kept next to the models (not Dsp's FeatureExtractor) because parity with the exported scaler and
/// the training code's float32 arithmetic is what the parity tests pin down. Owned by one thread.
/// </remarks>
internal sealed class ModelFeatureEncoder
{
    private readonly float[] _mean;
    private readonly float[] _scale;
    private readonly float _dtClip;
    private long _previousTimeNs;
    private bool _hasPrevious;

    public ModelFeatureEncoder(ModelMetadata meta)
    {
        _mean = [.. meta.ScalerMean];
        _scale = [.. meta.ScalerScale];
        _dtClip = meta.DtClipSeconds;
    }

    /// <summary>Sensor time of the previous sample (valid when <see cref="HasPrevious"/>).</summary>
    public long PreviousTimeNs => _previousTimeNs;

    /// <summary>True once a sample has been encoded since the last reset.</summary>
    public bool HasPrevious => _hasPrevious;

    /// <summary>Writes the <see cref="ModelMetadata.FeatureCount"/> features of <paramref name="s"/>; returns |a| in g.</summary>
    public float Encode(in ImuSample s, Span<float> destination)
    {
        double dt = 0.0;
        if (_hasPrevious)
        {
            // Same arithmetic as numpy: diff in ms (float64) / 1000, then clip, then float32.
            dt = Math.Clamp((s.SensorTimeNs - _previousTimeNs) / 1e9, 0.0, _dtClip);
        }

        _previousTimeNs = s.SensorTimeNs;
        _hasPrevious = true;
        float norm = (float)Math.Sqrt(((double)s.X * s.X) + ((double)s.Y * s.Y) + ((double)s.Z * s.Z));
        destination[0] = (s.X - _mean[0]) / _scale[0];
        destination[1] = (s.Y - _mean[1]) / _scale[1];
        destination[2] = (s.Z - _mean[2]) / _scale[2];
        destination[3] = (norm - _mean[3]) / _scale[3];
        destination[4] = ((float)dt - _mean[4]) / _scale[4];
        return norm;
    }

    /// <summary>Forgets the previous sample (the next dt is 0).</summary>
    public void Reset()
    {
        _hasPrevious = false;
        _previousTimeNs = 0;
    }
}
