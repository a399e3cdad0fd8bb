using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Detection;
using IolaEdge.Inference.Tests.Support;
using Xunit.Abstractions;

namespace IolaEdge.Inference.Tests.Detection;

public sealed class ShippedModelTests(ITestOutputHelper output)
{
    private static readonly string s_stream = RepoPaths.Model("onnx-stream.onnx");
    private static readonly string s_window = RepoPaths.Model("onnx-window.onnx");

    [Fact]
    [Trait("Category", "Peer")]
    public void The_stream_detector_matches_the_PyTorch_reference_within_1e_4()
    {
        float diff = Parity.StreamMaxDiff(s_stream);
        output.WriteLine($"onnx-stream max abs diff vs PyTorch: {diff:E2}");
        Assert.InRange(diff, 0f, Parity.Tolerance);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void The_window_detector_matches_the_PyTorch_reference_within_1e_4()
    {
        float diff = Parity.WindowMaxDiff(s_window);
        output.WriteLine($"onnx-window max abs diff vs PyTorch: {diff:E2}");
        Assert.InRange(diff, 0f, Parity.Tolerance);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void The_stream_detector_allocates_nothing_per_sample_in_steady_state()
    {
        ImuSample[] samples = ReferenceData.Samples(s_stream);
        using var detector = new OnnxStreamDetector(s_stream);
        var scores = new DetectorScore[detector.MaxScoresPerSample];
        for (int i = 0; i < samples.Length; i++)
        {
            detector.Process(samples[i], scores); // warm-up: first calls touch lazily created ORT state
        }

        long last = samples[^1].SensorTimeNs;
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 30_000; i++)
        {
            ImuSample s = samples[i % samples.Length];
            var next = new ImuSample(0, i, last + ((i + 1) * 5_000_000L), last, s.X, s.Y, s.Z);
            detector.Process(next, scores);
        }

        Assert.Equal(0, allocations.Bytes);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void The_window_detector_allocates_nothing_per_sample_in_steady_state()
    {
        ImuSample[] samples = ReferenceData.Samples(s_window);
        using var detector = new OnnxWindowDetector(s_window);
        var scores = new DetectorScore[detector.MaxScoresPerSample];
        foreach (ImuSample s in samples)
        {
            detector.Process(s, scores);
        }

        long last = samples[^1].SensorTimeNs;
        ThreadAllocations allocations = ThreadAllocations.Start();
        for (int i = 0; i < 1_200; i++)
        {
            ImuSample s = samples[i % samples.Length];
            detector.Process(new ImuSample(0, i, last + ((i + 1) * 5_000_000L), last, s.X, s.Y, s.Z), scores);
        }

        Assert.Equal(0, allocations.Bytes);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void After_Reset_the_stream_detector_repeats_its_first_outputs_exactly()
    {
        ImuSample[] samples = ReferenceData.Samples(s_stream);
        using var detector = new OnnxStreamDetector(s_stream);
        float[] first = Parity.Run(detector, samples).Select(s => s.SampleScore).ToArray();
        detector.Reset();
        float[] second = Parity.Run(detector, samples).Select(s => s.SampleScore).ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void A_long_gap_resets_the_stream_state_as_a_reconnect_does()
    {
        ImuSample[] samples = ReferenceData.Samples(s_stream);
        using var detector = new OnnxStreamDetector(s_stream);
        float[] fresh = Parity.Run(detector, samples).Select(s => s.SampleScore).ToArray();
        long shift = samples[^1].SensorTimeNs - samples[0].SensorTimeNs + 2_000_000_000L; // 2 s gap
        ImuSample[] later = samples.Select(s => s.WithSensorTime(s.SensorTimeNs + shift)).ToArray();
        float[] afterGap = Parity.Run(detector, later).Select(s => s.SampleScore).ToArray();
        Assert.Equal(fresh, afterGap);
        Assert.Equal(1, detector.GapResets);
    }

    [Fact]
    [Trait("Category", "Peer")]
    public void The_factory_creates_each_learned_detector_by_name()
    {
        using IFootfallDetector stream = OnnxDetectorFactory.Create("onnx-stream", s_stream);
        using IFootfallDetector window = OnnxDetectorFactory.Create("onnx-window", s_window);
        Assert.Equal("onnx-stream", stream.Name);
        Assert.Equal("onnx-window", window.Name);
        Assert.Throws<ArgumentException>(() => OnnxDetectorFactory.Create("dsp", s_stream));
    }
}
