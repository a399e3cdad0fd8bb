using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Detection;
using IolaEdge.Inference.Metadata;
using IolaEdge.Inference.Sessions;

namespace IolaEdge.Benchmarks.Inference;

/// <summary>
/// Latency of one model call on one thread, with the shipped models (models/*.onnx):
/// one invocation per iteration, so Median/P95/P99 are per-call figures. Also a whole detector
/// step (features + call + score emission) per chunk and per window, for the acceleration-only and the
/// six-channel stream model (the latter with a sample that carries angular velocity, through the same
/// <see cref="SourceAwareStreamDetector"/> that <c>onnx-stream</c> builds by default).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CallConfig))]
public class InferenceBenchmarks
{
    private StreamModelSession _stream = null!;
    private WindowModelSession _window = null!;
    private OnnxStreamDetector _streamDetector = null!;
    private OnnxWindowDetector _windowDetector = null!;
    private SourceAwareStreamDetector _sourceAware = null!;
    private SourceAwareStreamDetector _sourceAwareStill = null!;
    private DetectorScore[] _scores = null!;
    private ImuSample[] _samples = null!;
    private long _n;

    [GlobalSetup]
    public void Setup()
    {
        string root = FindRoot();
        ModelMetadata s = ModelMetadata.LoadFor(Path.Combine(root, "models", "onnx-stream.onnx"));
        ModelMetadata w = ModelMetadata.LoadFor(Path.Combine(root, "models", "onnx-window.onnx"));
        _stream = new StreamModelSession(s);
        _window = new WindowModelSession(w);
        _streamDetector = new OnnxStreamDetector(s);
        _windowDetector = new OnnxWindowDetector(w);
        _sourceAware = new SourceAwareStreamDetector(new OnnxStreamDetector(s),
            new OnnxStreamDetector(ModelMetadata.LoadFor(Path.Combine(root, "models", "onnx-stream-gyro.onnx"))));
        _sourceAwareStill = new SourceAwareStreamDetector(new OnnxStreamDetector(s),
            new OnnxStreamDetector(ModelMetadata.LoadFor(Path.Combine(root, "models", "onnx-stream-gyro.onnx"))));
        _scores = new DetectorScore[Math.Max(_streamDetector.MaxScoresPerSample, _windowDetector.MaxScoresPerSample)];
        var rng = new Random(1);
        _samples = new ImuSample[4096];
        for (int i = 0; i < _samples.Length; i++)
        {
            // Angular velocity: a pitch-rate sine (one stride per 200 samples) plus noise, so the tracker does its real work.
            float pitch = 300f * MathF.Sin(i * MathF.Tau / 200f);
            _samples[i] = new ImuSample(0, i, 0, 0, (float)rng.NextDouble(), (float)rng.NextDouble(), 1f + (float)rng.NextDouble(),
                (float)(rng.NextDouble() * 20), pitch, (float)(rng.NextDouble() * 20));
        }

        for (int i = 0; i < _stream.Input.Length; i++)
        {
            _stream.Input[i] = (float)(rng.NextDouble() - 0.5);
        }

        for (int i = 0; i < _window.Input.Length; i++)
        {
            _window.Input[i] = (float)(rng.NextDouble() - 0.5);
        }

        // Fill the window detector once so every benchmarked stride ends in a run; warm the stream
        // detector so first-call work (ORT lazy init, JIT) is not counted as allocation.
        for (int i = 0; i < w.Window; i++)
        {
            Feed(_windowDetector);
            Feed(_streamDetector);
            FeedWithGyro(_sourceAware);
            FeedWithStillGyro(_sourceAwareStill);
        }

        _stream.Run();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _windowDetector.Dispose();
        _streamDetector.Dispose();
        _sourceAware.Dispose();
        _sourceAwareStill.Dispose();
        _window.Dispose();
        _stream.Dispose();
    }

    /// <summary>One streaming-model call on a chunk (RunWithBinding, state swapped).</summary>
    [Benchmark]
    public float StreamModelCall() => _stream.Run()[0];

    /// <summary>One 600-sample window call of the seed model.</summary>
    [Benchmark]
    public float WindowModelCall()
    {
        _window.Run();
        return _window.WindowProb;
    }

    /// <summary>The stream detector fed one chunk of samples (features, one call, K scores).</summary>
    [Benchmark]
    public int StreamDetectorChunk()
    {
        int n = 0;
        for (int k = 0; k < _streamDetector.MaxScoresPerSample; k++)
        {
            n += Feed(_streamDetector);
        }

        return n;
    }

    /// <summary>
    /// <c>onnx-stream</c> over both models fed one sample with angular velocity: the six-channel features (pitch
    /// tracker included), one call of the six-channel model, the score mapped onto the gate.
    /// </summary>
    [Benchmark]
    public int GyroStreamDetectorChunk() => FeedWithGyro(_sourceAware);

    /// <summary>
    /// The same, with angular velocity that never turns (a gyroscope streaming zeros): the acceleration model decides
    /// and the six-channel model follows, so both run.
    /// </summary>
    [Benchmark]
    public int StillGyroStreamDetectorChunk() => FeedWithStillGyro(_sourceAwareStill);

    /// <summary>The window detector fed one stride of samples (features, one window call, stride scores).</summary>
    [Benchmark]
    public int WindowDetectorStride()
    {
        int n = 0;
        for (int k = 0; k < _windowDetector.MaxScoresPerSample; k++)
        {
            n += Feed(_windowDetector);
        }

        return n;
    }

    private int Feed(IFootfallDetector d)
    {
        ImuSample s = _samples[_n & 4095];
        long t = ++_n * 5_000_000L; // 200 Hz
        return d.Process(new ImuSample(0, _n, t, t, s.X, s.Y, s.Z), _scores);
    }

    private int FeedWithGyro(IFootfallDetector d)
    {
        ImuSample s = _samples[_n & 4095];
        long t = ++_n * 5_000_000L; // 200 Hz
        return d.Process(new ImuSample(0, _n, t, t, s.X, s.Y, s.Z, s.AngularVelocityX, s.AngularVelocityY, s.AngularVelocityZ), _scores);
    }

    private int FeedWithStillGyro(IFootfallDetector d)
    {
        ImuSample s = _samples[_n & 4095];
        long t = ++_n * 5_000_000L; // 200 Hz
        return d.Process(new ImuSample(0, _n, t, t, s.X, s.Y, s.Z, 0f, 0f, 0f), _scores);
    }

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "IolaEdge.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("run from inside the repository (models/ not found)");
    }

    internal sealed class CallConfig : ManualConfig
    {
        public CallConfig()
        {
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, new PercentileColumn(99));
            // One call per iteration so percentiles are per call; many iterations for a stable P99.
            // In-process: building the generated project exceeds BenchmarkDotNet's 120 s build timeout on the shared machine.
            AddJob(Job.Default.WithId("PerCall").WithStrategy(RunStrategy.Monitoring).WithInvocationCount(1)
                .WithUnrollFactor(1).WithWarmupCount(20).WithIterationCount(300).WithLaunchCount(1)
                .WithToolchain(InProcessEmitToolchain.Instance));
        }
    }
}
