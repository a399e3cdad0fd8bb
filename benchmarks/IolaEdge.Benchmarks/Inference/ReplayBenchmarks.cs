using BenchmarkDotNet.Attributes;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference;

namespace IolaEdge.Benchmarks.Inference;

/// <summary>
/// Real-time factor of each learned detector: 125 s of 200 Hz samples (25,000, the length of the dev
/// recording) through Process, one thread. RT factor = 125 s / Mean.
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private const int Samples = 25_000;
    private IFootfallDetector _detector = null!;
    private ImuSample[] _samples = null!;
    private DetectorScore[] _scores = null!;

    [Params("onnx-stream", "onnx-window")]
    public string Detector { get; set; } = "onnx-stream";

    [GlobalSetup]
    public void Setup()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "IolaEdge.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        _detector = OnnxDetectorFactory.Create(Detector, Path.Combine(root!, OnnxDetectorFactory.DefaultModelPath(Detector)));
        _scores = new DetectorScore[_detector.MaxScoresPerSample];
        var rng = new Random(7);
        _samples = new ImuSample[Samples];
        for (int i = 0; i < Samples; i++)
        {
            // a 1.1 s stride with an impact, plus noise: enough to exercise the models realistically
            double phase = i % 220 / 220.0;
            float impact = phase < 0.05 ? (float)(2.0 * Math.Exp(-phase * 60)) : 0f;
            long t = 1_000_000_000L + (i * 5_000_000L);
            _samples[i] = new ImuSample(0, i, t, t, (float)(0.1 * rng.NextDouble()), (float)(0.1 * rng.NextDouble()),
                1f + impact + (float)(0.05 * rng.NextDouble()));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _detector.Dispose();

    /// <summary>125 s of samples through the detector (after a Reset, as a new recording).</summary>
    [Benchmark]
    public int Replay125s()
    {
        _detector.Reset();
        int n = 0;
        for (int i = 0; i < _samples.Length; i++)
        {
            n += _detector.Process(_samples[i], _scores);
        }

        return n;
    }
}
