using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Detection;
using IolaEdge.Inference.Metadata;
using IolaEdge.Inference.Tests.Support;
using Xunit.Abstractions;

namespace IolaEdge.Inference.Tests.Detection;

/// <summary>The six-channel stream model (models/onnx-stream-gyro.onnx) and the detector that routes by sample kind.</summary>
public sealed class SixChannelModelTests(ITestOutputHelper output)
{
    private static readonly string s_stream = RepoPaths.Model("onnx-stream.onnx");
    private static readonly string s_gyro = RepoPaths.Model("onnx-stream-gyro.onnx");

    [Fact]
    [Trait("Category", "Peer")]
    public void The_six_channel_detector_matches_the_PyTorch_reference_within_1e_4()
    {
        // Runs ONNX Runtime with the C# features (pitch tracker included) against PyTorch with the Python twin.
        float diff = Parity.StreamMaxDiff(s_gyro);
        output.WriteLine($"onnx-stream-gyro max abs diff vs PyTorch: {diff:E2}");
        Assert.InRange(diff, 0f, Parity.Tolerance);
    }

    [Fact]
    public void The_six_channel_metadata_names_the_gyro_features_and_the_pitch_tracker_settings()
    {
        ModelMetadata m = ModelMetadata.LoadFor(s_gyro);
        Assert.Equal(ModelFeatureSet.InvariantGyro, m.Features);
        Assert.True(m.UsesGyro);
        Assert.Equal(8, m.FeaturesPerSample);
        Assert.Equal(new DspDetectorOptions().GyroAxisTauMs, m.PitchAxisTauMs);
        Assert.Equal(new DspDetectorOptions().GyroMinLobes, m.PitchMinLobes);
        Assert.Equal(new DspDetectorOptions().GyroSignMargin, m.PitchSignMargin);
        Assert.False(ModelMetadata.LoadFor(s_stream).UsesGyro);
    }

    [Fact]
    public void A_six_channel_model_without_the_pitch_tracker_settings_is_refused_naming_the_key()
    {
        using var files = new ModelFiles(s_gyro);
        files.EditJson(j => j.Replace("\"pitch_min_lobes\"", "\"pitch_min_lobes_renamed\"", StringComparison.Ordinal));
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.LoadFor(files.OnnxPath));
        Assert.Contains("features.pitch_min_lobes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void Samples_with_angular_velocity_go_to_the_six_channel_model_and_the_rest_to_the_acceleration_model()
    {
        ImuSample[] withGyro = ReferenceData.Samples(s_gyro);
        ImuSample[] accelerationOnly = withGyro.Select(s => new ImuSample(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z)).ToArray();

        using SourceAwareStreamDetector both = OnnxDetectorFactory.CreateSourceAware(s_stream, s_gyro);
        using var accelerationModel = new OnnxStreamDetector(s_stream);
        using var gyroModel = new OnnxStreamDetector(s_gyro);

        // Acceleration-only samples: exactly the acceleration model's scores, untouched.
        float[] expected = Parity.Run(accelerationModel, accelerationOnly).Select(s => s.SampleScore).ToArray();
        Assert.Equal(expected, Parity.Run(both, accelerationOnly).Select(s => s.SampleScore).ToArray());
        Assert.Equal(accelerationOnly.Length, both.AccelerationSamples);

        // Samples with a gyro: the six-channel model's scores, mapped onto the acceleration model's gate.
        both.Reset();
        float own = gyroModel.Metadata.SampleThreshold;
        float gate = accelerationModel.Metadata.SampleThreshold;
        float[] gyroScores = Parity.Run(gyroModel, withGyro).Select(s => SourceAwareStreamDetector.OntoGate(s.SampleScore, own, gate)).ToArray();
        Assert.Equal(gyroScores, Parity.Run(both, withGyro).Select(s => s.SampleScore).ToArray());
        Assert.Equal(withGyro.Length, both.GyroSamples);
        Assert.Equal(0, both.RouteChanges);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void When_the_gyroscope_starts_the_six_channel_model_starts_from_a_fresh_state()
    {
        ImuSample[] withGyro = ReferenceData.Samples(s_gyro);
        int half = withGyro.Length / 2;
        ImuSample[] mixed = withGyro
            .Select((s, i) => i < half ? new ImuSample(0, i, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z) : s)
            .ToArray();
        using SourceAwareStreamDetector both = OnnxDetectorFactory.CreateSourceAware(s_stream, s_gyro);
        using var gyroModel = new OnnxStreamDetector(s_gyro);
        var buffer = new DetectorScore[both.MaxScoresPerSample];
        var afterSwitch = new List<float>();
        for (int i = 0; i < mixed.Length; i++)
        {
            int n = both.Process(mixed[i], buffer);
            if (i >= half)
            {
                afterSwitch.AddRange(buffer.AsSpan(0, n).ToArray().Select(s => s.SampleScore));
            }
        }

        float own = gyroModel.Metadata.SampleThreshold;
        float gate = ModelMetadata.LoadFor(s_stream).SampleThreshold;
        float[] fresh = Parity.Run(gyroModel, withGyro[half..]).Select(s => SourceAwareStreamDetector.OntoGate(s.SampleScore, own, gate)).ToArray();
        Assert.Equal(fresh, afterSwitch.ToArray());
        Assert.Equal(1, both.RouteChanges);
        Assert.Equal(half, both.AccelerationSamples);
        Assert.Equal(mixed.Length - half, both.GyroSamples);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void Two_acceleration_models_are_refused_as_a_pair()
    {
        var e = Assert.Throws<ModelLoadException>(() => OnnxDetectorFactory.CreateSourceAware(s_stream, s_stream));
        Assert.Contains("six-channel", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.3f, 0.5f)]
    [InlineData(0.7f, 0.5f)]
    [InlineData(0.5f, 0.5f)]
    public void The_gate_map_sends_the_models_threshold_to_the_gates_and_keeps_order(float own, float gate)
    {
        Assert.Equal(gate, SourceAwareStreamDetector.OntoGate(own, own, gate), 6);
        Assert.Equal(0f, SourceAwareStreamDetector.OntoGate(0f, own, gate), 6);
        Assert.Equal(1f, SourceAwareStreamDetector.OntoGate(1f, own, gate), 6);
        float previous = -1f;
        for (int i = 0; i <= 100; i++)
        {
            float mapped = SourceAwareStreamDetector.OntoGate(i / 100f, own, gate);
            Assert.True(mapped >= previous);
            Assert.Equal(i / 100f >= own, mapped >= gate);
            previous = mapped;
        }
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void The_source_aware_detector_allocates_nothing_per_sample_with_a_gyroscope()
    {
        ImuSample[] samples = ReferenceData.Samples(s_gyro);
        using SourceAwareStreamDetector detector = OnnxDetectorFactory.CreateSourceAware(s_stream, s_gyro);
        var scores = new DetectorScore[detector.MaxScoresPerSample];
        foreach (ImuSample s in samples)
        {
            detector.Process(s, scores); // warm-up: first calls touch lazily created ORT state
        }

        long last = samples[^1].SensorTimeNs;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 30_000; i++)
        {
            ImuSample s = samples[i % samples.Length];
            var next = new ImuSample(0, i, last + ((i + 1) * 5_000_000L), last, s.X, s.Y, s.Z,
                s.AngularVelocityX, s.AngularVelocityY, s.AngularVelocityZ);
            detector.Process(next, scores);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
