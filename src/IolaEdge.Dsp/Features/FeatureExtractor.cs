using System.Runtime.CompilerServices;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Features;

/// <summary>
/// Online feature extraction: turns each sample into the row [x, y, z, |a|, dt]
/// (see <see cref="FeatureLayout"/>) in a caller-provided span.
/// </summary>
/// <remarks>
/// dt is the difference of <see cref="ImuSample.SensorTimeNs"/> to the previous sample, in seconds,
/// so it reflects gaps the sample clock found; the first sample after construction or
/// <see cref="Reset"/> gets the nominal period. Allocation-free; not thread-safe (the pipeline
/// thread owns it).
/// </remarks>
public sealed class FeatureExtractor
{
    private const double SecondsPerNs = 1e-9;

    private readonly float _nominalPeriodSeconds;
    private long _previousSensorTimeNs;
    private bool _hasPrevious;

    /// <summary>Creates an extractor for a stream with the given nominal sample rate.</summary>
    /// <param name="nominalSampleRateHz">Nominal rate in Hz (the sensor's ODR, e.g. 200); gives the first dt.</param>
    /// <exception cref="ArgumentOutOfRangeException">Rate not positive and finite.</exception>
    public FeatureExtractor(double nominalSampleRateHz)
    {
        if (!double.IsFinite(nominalSampleRateHz) || nominalSampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nominalSampleRateHz), nominalSampleRateHz,
                "The nominal sample rate must be a positive number of Hz.");
        }

        _nominalPeriodSeconds = (float)(1.0 / nominalSampleRateHz);
    }

    /// <summary>The dt written for the first sample after <see cref="Reset"/>, in seconds.</summary>
    public float NominalPeriodSeconds => _nominalPeriodSeconds;

    /// <summary>Writes the feature row of <paramref name="sample"/> into <paramref name="row"/>.</summary>
    /// <param name="sample">The sample, with its reconstructed sensor time.</param>
    /// <param name="row">At least <see cref="FeatureLayout.Count"/> floats; only the first Count are written.</param>
    /// <exception cref="ArgumentException"><paramref name="row"/> is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Extract(in ImuSample sample, Span<float> row)
    {
        if (row.Length < FeatureLayout.Count)
        {
            ThrowRowTooShort(row.Length, nameof(row));
        }

        float x = sample.X;
        float y = sample.Y;
        float z = sample.Z;
        float dt = _hasPrevious
            ? (float)((sample.SensorTimeNs - _previousSensorTimeNs) * SecondsPerNs)
            : _nominalPeriodSeconds;
        _previousSensorTimeNs = sample.SensorTimeNs;
        _hasPrevious = true;

        row[FeatureLayout.X] = x;
        row[FeatureLayout.Y] = y;
        row[FeatureLayout.Z] = z;
        row[FeatureLayout.Magnitude] = MathF.Sqrt((x * x) + (y * y) + (z * z));
        row[FeatureLayout.Dt] = dt;
    }

    /// <summary>Forgets the previous sample time (after a gap, a reconnect, or between recordings).</summary>
    public void Reset() => _hasPrevious = false;

    private static void ThrowRowTooShort(int length, string paramName) =>
        throw new ArgumentException(
            $"A feature row needs {FeatureLayout.Count} floats; the span has {length}.", paramName);
}
