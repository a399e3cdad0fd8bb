using System.Numerics;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Features;

namespace IolaEdge.Inference.Tests.Features;

public sealed class GyroFeatureEncoderTests
{
    private static ImuSample Sample(int i, Vector3 w) =>
        new(0, i, i * 10_000_000L, i * 10_000_000L, 0f, 0f, 1f, w.X, w.Y, w.Z);

    [Fact]
    public void The_pitch_feature_is_the_dsp_detectors_pitch_rate_and_ready_follows_its_sign_vote()
    {
        var options = new DspDetectorOptions();
        var encoder = new GyroFeatureEncoder(options.GyroAxisTauMs, options.GyroMinLobes, options.GyroSignMargin);
        var pitch = new PitchRate(options);
        Span<float> row = stackalloc float[GyroFeatureEncoder.Count];
        bool sawReady = false;
        for (int i = 0; i < 1_000; i++)
        {
            // A stride per 110 samples: a long positive swing lobe, a short negative one; mounted with y and z swapped.
            double phase = i % 110 / 110.0;
            float p = phase < 0.4 ? 350f * MathF.Sin((float)(Math.PI * phase / 0.4)) : phase < 0.55 ? -200f * MathF.Sin((float)(Math.PI * (phase - 0.4) / 0.15)) : 0f;
            var w = new Vector3(5f, 3f, p);
            ImuSample s = Sample(i, w);
            encoder.Extract(s, row);
            pitch.Update(s.SensorTimeNs, w);
            Assert.Equal(w.Length(), row[0]);
            Assert.Equal((float)pitch.Value, row[1]);
            Assert.Equal(pitch.Ready ? 1f : 0f, row[2]);
            sawReady |= pitch.Ready;
            if (pitch.Ready && i % 110 == 22)
            {
                Assert.True(row[1] > 200f, $"swing peak at sample {i} reads {row[1]}"); // the swing is positive
            }
        }

        Assert.True(sawReady);
    }

    [Fact]
    public void A_sample_without_angular_velocity_reads_as_no_rotation()
    {
        var options = new DspDetectorOptions();
        var encoder = new GyroFeatureEncoder(options.GyroAxisTauMs, options.GyroMinLobes, options.GyroSignMargin);
        Span<float> row = stackalloc float[GyroFeatureEncoder.Count];
        encoder.Extract(new ImuSample(0, 0, 0, 0, 0f, 0f, 1f), row);
        Assert.Equal(0f, row[0]);
        Assert.Equal(0f, row[1]);
        Assert.Equal(0f, row[2]);
    }
}
