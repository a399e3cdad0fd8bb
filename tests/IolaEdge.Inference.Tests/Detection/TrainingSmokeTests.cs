using IolaEdge.Dsp.Detection;
using IolaEdge.Inference.Tests.Support;

namespace IolaEdge.Inference.Tests.Detection;

/// <summary>The whole path in CI: train tiny models on synthetic walks, export, load in ONNX Runtime, check parity.</summary>
public sealed class TrainingSmokeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolaedge-train-").FullName;

    [Fact]
    [Trait("Category", "Peer")]
    [Trait("Category", "Slow")]
    public void A_stream_model_trained_now_loads_and_matches_PyTorch()
    {
        string prefix = Path.Combine(_dir, "smoke-stream");
        TrainingRun.Run(TimeSpan.FromMinutes(4), "train-stream", "--synth", "3", "--synth-seconds", "20",
            "--steps", "6", "--eval-every", "6", "--batch", "4", "--length", "96",
            "--threads", "1", "--out", prefix);
        Assert.InRange(Parity.StreamMaxDiff(prefix + ".onnx"), 0f, Parity.Tolerance);
        using IFootfallDetector d = OnnxDetectorFactory.Create("onnx-stream", prefix + ".onnx");
        Assert.Equal("onnx-stream", d.Name);
    }

    [Fact]
    [Trait("Category", "Peer")]
    [Trait("Category", "Slow")]
    public void A_window_model_trained_now_loads_and_matches_PyTorch()
    {
        string prefix = Path.Combine(_dir, "smoke-window");
        TrainingRun.Run(TimeSpan.FromMinutes(4), "train-window", "--synth", "3", "--synth-seconds", "20",
            "--window", "120", "--stride", "30", "--epochs", "1", "--max-windows-per-epoch", "4",
            "--threads", "1", "--out", prefix);
        Assert.InRange(Parity.WindowMaxDiff(prefix + ".onnx"), 0f, Parity.Tolerance);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
