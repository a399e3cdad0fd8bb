using System.Numerics;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Inference.Features;

/// <summary>
/// The three gyro features of a six-channel model (C# twin of <c>gyro_features</c> in training/features.py):
/// [|ω|, pitch rate, pitch ready]. The pitch rate is the dsp detector's own <see cref="PitchRate"/> tracker
/// (the foot's medio-lateral axis learned from the angular velocity, swing positive), so the model and the
/// dsp gyro path see the same signal; "ready" is 1 once the tracker's axis and sign have settled.
/// </summary>
/// <remarks>
/// A sample without angular velocity counts as no rotation (as the Python twin turns NaN into 0).
/// Unscaled values (°/s); allocation-free; owned by the pipeline thread.
/// </remarks>
internal sealed class GyroFeatureEncoder
{
    /// <summary>Features this encoder writes.</summary>
    public const int Count = 3;

    private readonly PitchRate _pitch;

    /// <summary>Creates the encoder with the tracker settings the model was trained with.</summary>
    public GyroFeatureEncoder(double axisTauMs, int minLobes, double signMargin)
    {
        _pitch = new PitchRate(new DspDetectorOptions
        {
            GyroAxisTauMs = axisTauMs,
            GyroMinLobes = minLobes,
            GyroSignMargin = signMargin,
        });
    }

    /// <summary>Writes the unscaled gyro features of <paramref name="s"/> into the first <see cref="Count"/> floats of <paramref name="row"/>.</summary>
    public void Extract(in ImuSample s, Span<float> row)
    {
        Vector3 omega = s.HasAngularVelocity
            ? new Vector3(s.AngularVelocityX, s.AngularVelocityY, s.AngularVelocityZ)
            : Vector3.Zero;
        _pitch.Update(s.SensorTimeNs, omega);
        row[0] = omega.Length();
        row[1] = (float)_pitch.Value;
        row[2] = _pitch.Ready ? 1f : 0f;
    }

    /// <summary>Forgets the axis and the sign vote (after a gap or a reconnect, as the model's state).</summary>
    public void Reset() => _pitch.Reset();
}
