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

    // Each Process call's scores (a stream model emits none until its lookahead has arrived).
    private static List<float[]> PerCall(IFootfallDetector detector, IEnumerable<ImuSample> samples)
    {
        var buffer = new DetectorScore[detector.MaxScoresPerSample];
        return samples.Select(s => buffer.AsSpan(0, detector.Process(s, buffer)).ToArray().Select(d => d.SampleScore).ToArray()).ToList();
    }

    private static ImuSample WithoutGyro(ImuSample s) => new(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z);

    private static ImuSample ScaledGyro(ImuSample s, float k) =>
        new(s.SensorId, s.Sequence, s.SensorTimeNs, s.ArrivalTimeNs, s.X, s.Y, s.Z, s.AngularVelocityX * k, s.AngularVelocityY * k, s.AngularVelocityZ * k);

    [Fact]
    [Trait("Category", "Peer")]
    public void Samples_with_angular_velocity_go_to_the_six_channel_model_once_the_gyroscope_turns_and_the_rest_to_the_acceleration_model()
    {
        ImuSample[] withGyro = ReferenceData.Samples(s_gyro);
        ImuSample[] accelerationOnly = withGyro.Select(WithoutGyro).ToArray();
        int turns = Array.FindIndex(withGyro, s => s.AngularSpeed >= 50);
        Assert.InRange(turns, 1, withGyro.Length / 2);

        using SourceAwareStreamDetector both = OnnxDetectorFactory.CreateSourceAware(s_stream, s_gyro);
        using var accelerationModel = new OnnxStreamDetector(s_stream);
        using var gyroModel = new OnnxStreamDetector(s_gyro);

        // Acceleration-only samples: exactly the acceleration model's scores, untouched.
        float[] expected = Parity.Run(accelerationModel, accelerationOnly).Select(s => s.SampleScore).ToArray();
        Assert.Equal(expected, Parity.Run(both, accelerationOnly).Select(s => s.SampleScore).ToArray());
        Assert.Equal(accelerationOnly.Length, both.AccelerationSamples);

        // Samples with a gyro: the acceleration model's scores until the gyroscope first turns, then the six-channel
        // model's, which followed from the first sample, mapped onto the acceleration model's gate.
        both.Reset();
        accelerationModel.Reset();
        long accelerationBefore = both.AccelerationSamples;
        float own = gyroModel.Metadata.SampleThreshold;
        float gate = accelerationModel.Metadata.SampleThreshold;
        List<float[]> beforeTurning = PerCall(accelerationModel, withGyro[..turns]);
        List<float[]> sixChannel = PerCall(gyroModel, withGyro);
        float[][] wanted = [.. beforeTurning, .. sixChannel.Skip(turns).Select(c => c.Select(x => SourceAwareStreamDetector.OntoGate(x, own, gate)).ToArray())];
        Assert.Equal(wanted, PerCall(both, withGyro));
        Assert.Equal((withGyro.Length - turns, (long)turns, 1L), (both.GyroSamples, both.AccelerationSamples - accelerationBefore, both.RouteChanges));
        Assert.True(both.GyroTurning);
    }

    [Theory]
    [Trait("Category", "Peer")]
    [InlineData(0f)] // a gyroscope that streams zeros
    [InlineData(MathF.PI / 180)] // radians per second read as degrees
    public void A_gyroscope_that_never_turns_with_the_foot_leaves_the_acceleration_model_deciding(float scale)
    {
        ImuSample[] still = ReferenceData.Samples(s_gyro).Select(s => ScaledGyro(s, scale)).ToArray();
        using SourceAwareStreamDetector both = OnnxDetectorFactory.CreateSourceAware(s_stream, s_gyro);
        using var accelerationModel = new OnnxStreamDetector(s_stream);

        Assert.Equal(PerCall(accelerationModel, still.Select(WithoutGyro)), PerCall(both, still));
        Assert.Equal((0L, (long)still.Length, 0L), (both.GyroSamples, both.AccelerationSamples, both.RouteChanges));
        Assert.False(both.GyroTurning);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void When_the_gyroscope_starts_the_six_channel_model_starts_from_a_fresh_state()
    {
        ImuSample[] withGyro = ReferenceData.Samples(s_gyro);
        int half = withGyro.Length / 2;
        ImuSample[] mixed = withGyro.Select((s, i) => i < half ? WithoutGyro(s) : s).ToArray();
        int turns = half + Array.FindIndex(withGyro[half..], s => s.AngularSpeed >= 50);
        Assert.InRange(turns, half, withGyro.Length - 100);
        using SourceAwareStreamDetector both = OnnxDetectorFactory.CreateSourceAware(s_stream, s_gyro);
        using var gyroModel = new OnnxStreamDetector(s_gyro);

        List<float[]> afterTurning = PerCall(both, mixed).Skip(turns).ToList();

        float own = gyroModel.Metadata.SampleThreshold;
        float gate = ModelMetadata.LoadFor(s_stream).SampleThreshold;
        List<float[]> fresh = PerCall(gyroModel, withGyro[half..]).Skip(turns - half)
            .Select(c => c.Select(x => SourceAwareStreamDetector.OntoGate(x, own, gate)).ToArray()).ToList();
        Assert.Equal(fresh, afterTurning);
        Assert.Equal(1, both.RouteChanges);
        Assert.Equal(turns, both.AccelerationSamples);
        Assert.Equal(mixed.Length - turns, both.GyroSamples);
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
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 30_000; i++)
        {
            ImuSample s = samples[i % samples.Length];
            var next = new ImuSample(0, i, last + ((i + 1) * 5_000_000L), last, s.X, s.Y, s.Z,
                s.AngularVelocityX, s.AngularVelocityY, s.AngularVelocityZ);
            detector.Process(next, scores);
        }

        Assert.Equal(0, allocations.Bytes);
    }
}
