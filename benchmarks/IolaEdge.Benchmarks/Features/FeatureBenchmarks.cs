using BenchmarkDotNet.Attributes;
using IolaEdge.Dsp.Features;
using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;

namespace IolaEdge.Benchmarks.Features;

/// <summary>
/// Per-sample cost of the feature stage on a simulated walk: extraction alone, extraction plus
/// scaling, and extraction plus scaling plus a 600-row window with stride 50 (copied once per stride).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Features")]
public class FeatureBenchmarks
{
    private const int Samples = 65_536;
    private const int Window = 600;
    private const int Stride = 50;

    private readonly float[] _row = new float[FeatureLayout.Count];
    private readonly float[] _windowCopy = new float[Window * FeatureLayout.Count];
    private ImuSample[] _samples = [];
    private FeatureExtractor _extractor = null!;
    private StandardScaler _scaler = null!;
    private SlidingWindow _window = null!;

    /// <summary>Simulates the input once (ideal delivery, sensor times set, as after the sample clock).</summary>
    [GlobalSetup]
    public void Setup()
    {
        WalkSimulator sim = new(new WalkOptions { Seed = 1, Duration = TimeSpan.FromMinutes(6) }, DeliveryOptions.Ideal)
        {
            SetSensorTimes = true,
        };
        _samples = new ImuSample[Samples];
        for (int i = 0; i < Samples && sim.TryNext(out SimulatedSample s); i++)
        {
            _samples[i] = s.Sample;
        }

        _extractor = new FeatureExtractor(200);
        _scaler = new StandardScaler([0f, 0f, 0f, 1.3f, 0.005f], [1f, 1f, 1f, 0.6f, 0.001f]);
        _window = new SlidingWindow(FeatureLayout.Count, Window, Stride);
    }

    /// <summary>[x, y, z, |a|, dt] per sample.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Samples)]
    public float Extract()
    {
        float sum = 0;
        foreach (ref readonly ImuSample s in _samples.AsSpan())
        {
            _extractor.Extract(s, _row);
            sum += _row[FeatureLayout.Magnitude];
        }

        return sum;
    }

    /// <summary>Extraction plus in-place standardisation.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public float ExtractAndScale()
    {
        float sum = 0;
        foreach (ref readonly ImuSample s in _samples.AsSpan())
        {
            _extractor.Extract(s, _row);
            _scaler.Transform(_row);
            sum += _row[FeatureLayout.Magnitude];
        }

        return sum;
    }

    /// <summary>Extraction, scaling and the sliding window (window copied once per stride).</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public float ExtractScaleAndWindow()
    {
        float sum = 0;
        foreach (ref readonly ImuSample s in _samples.AsSpan())
        {
            _extractor.Extract(s, _row);
            _scaler.Transform(_row);
            if (_window.Push(_row))
            {
                _window.CopyTo(_windowCopy);
                sum += _windowCopy[0];
            }
        }

        return sum;
    }
}
