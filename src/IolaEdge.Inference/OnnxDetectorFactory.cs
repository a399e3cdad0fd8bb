using IolaEdge.Dsp.Detection;
using IolaEdge.Inference.Detection;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Inference;

/// <summary>Creates the learned detectors by the names used in configuration and on the command line.</summary>
public static class OnnxDetectorFactory
{
    /// <summary>Detector names this factory accepts.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["onnx-stream", "onnx-window"];

    /// <summary>Default shipped model for a detector kind, relative to the repository or install root.</summary>
    public static string DefaultModelPath(string kind) => kind switch
    {
        "onnx-stream" => Path.Combine("models", "onnx-stream.onnx"),
        "onnx-window" => Path.Combine("models", "onnx-window.onnx"),
        _ => throw new ArgumentException($"detector '{kind}' is not a learned detector (allowed: {string.Join(", ", Kinds)})", nameof(kind)),
    };

    /// <summary>
    /// The shipped six-channel model that <c>onnx-stream</c> runs on samples carrying angular velocity,
    /// relative to the repository or install root (see <see cref="CreateSourceAware"/>).
    /// </summary>
    public static string DefaultGyroModelPath { get; } = Path.Combine("models", "onnx-stream-gyro.onnx");

    /// <summary>
    /// <c>onnx-stream</c> over both models: <paramref name="accelerationModelPath"/> for samples without angular
    /// velocity and the six-channel <paramref name="gyroModelPath"/> for samples with it
    /// (<see cref="SourceAwareStreamDetector"/>). The gate is the acceleration model's. Slow and allocating;
    /// the caller disposes the detector.
    /// </summary>
    /// <exception cref="ModelLoadException">A model or its metadata is missing or invalid, or they are not one
    /// acceleration-only and one six-channel stream model with the same refractory interval.</exception>
    public static SourceAwareStreamDetector CreateSourceAware(string accelerationModelPath, string gyroModelPath)
    {
        ArgumentNullException.ThrowIfNull(accelerationModelPath);
        ArgumentNullException.ThrowIfNull(gyroModelPath);
        var acceleration = new OnnxStreamDetector(accelerationModelPath);
        OnnxStreamDetector gyro;
        try
        {
            gyro = new OnnxStreamDetector(gyroModelPath);
        }
        catch
        {
            acceleration.Dispose();
            throw;
        }

        return new SourceAwareStreamDetector(acceleration, gyro);
    }

    /// <summary>
    /// Loads <paramref name="modelPath"/> (and the <c>.json</c> metadata next to it) as detector <paramref name="kind"/>.
    /// Slow and allocating: call at start, not on the pipeline thread. The caller disposes the detector.
    /// The gate thresholds to use are in the detector's metadata (<c>SampleThreshold</c>, <c>WindowThreshold</c>, <c>RefractoryMs</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not onnx-stream or onnx-window.</exception>
    /// <exception cref="ModelLoadException">The model or metadata is missing or invalid, or is of the other kind.</exception>
    public static IFootfallDetector Create(string kind, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(modelPath);
        return kind switch
        {
            "onnx-stream" => new OnnxStreamDetector(modelPath),
            "onnx-window" => new OnnxWindowDetector(modelPath),
            _ => throw new ArgumentException($"detector '{kind}' is not a learned detector (allowed: {string.Join(", ", Kinds)})", nameof(kind)),
        };
    }

    /// <summary>
    /// Reads and validates the metadata of <paramref name="modelPath"/> without creating a session: the decision
    /// gate settings the model was tuned with (<see cref="ModelMetadata.SampleThreshold"/>,
    /// <see cref="ModelMetadata.WindowThreshold"/>, <see cref="ModelMetadata.RefractoryMs"/>).
    /// </summary>
    /// <exception cref="ModelLoadException">The model or metadata is missing or invalid.</exception>
    public static ModelMetadata LoadMetadata(string modelPath) => ModelMetadata.LoadFor(modelPath);
}
