using IolaEdge.Daemon.Configuration;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Inference;
using IolaEdge.Inference.Detection;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Daemon.Detectors;

/// <summary>
/// The one place that knows the detectors: their names, the default, the help text the commands show, the
/// check of a configured name, and how each is built with the gate settings it is tuned for. <c>eval</c>,
/// <c>run</c>, <c>replay</c>, <c>soak</c> and the configuration validators all read from here.
/// </summary>
internal static class DetectorCatalog
{
    /// <summary>The detector used when none is named: it needs no model.</summary>
    public const string Default = "dsp";

    /// <summary>Detector names <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = [Default, .. OnnxDetectorFactory.Kinds];

    /// <summary>The names as a list for messages and help: <c>dsp, onnx-stream, onnx-window</c>.</summary>
    public static string NameList { get; } = string.Join(", ", Names);

    /// <summary>The <c>--detector</c> help text every command shows.</summary>
    public static string OptionHelp { get; } = $"Footfall detector: {NameList} (default {Default}).";

    /// <summary>The <c>--model</c> help text: where a learned detector's model comes from.</summary>
    public const string ModelOptionHelp = "ONNX model for a learned detector (its metadata JSON beside it), run on every sample; default: the shipped " +
        "models/<detector>.onnx, and for onnx-stream also models/onnx-stream-gyro.onnx on samples with angular velocity.";

    /// <summary>Whether <paramref name="name"/> is a detector of this build (in any case, as the configuration validators accept it).</summary>
    public static bool IsKnown(string? name) => Names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The catalog's spelling of <paramref name="name"/> (<c>DSP</c> is <c>dsp</c>); an unknown name unchanged.</summary>
    public static string Canonical(string name) =>
        Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) ?? name;

    /// <summary>The one-line problem with a configured or given name, or null when it is known.</summary>
    /// <param name="source">What named it, for the message: a configuration key or an option.</param>
    /// <param name="name">The name given.</param>
    public static string? Problem(string source, string? name) =>
        IsKnown(name) ? null : $"{source}: unknown detector '{name}'; known: {NameList}";

    /// <summary>Whether <paramref name="name"/> runs a learned model (and so takes a model path).</summary>
    public static bool IsLearned(string name) => OnnxDetectorFactory.Kinds.Contains(name);

    /// <summary>Creates detector <paramref name="name"/> and its default gate settings.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="nominalRateHz">Sensor rate the dsp detector reasons in.</param>
    /// <param name="modelPath">Model for a learned detector; null for the shipped one (<see cref="ShippedModelPath"/>).
    /// For <c>onnx-stream</c>, null loads both shipped models, the six-channel one for samples that carry angular
    /// velocity (<see cref="SourceAwareStreamDetector"/>); a given path runs that one model on every sample.</param>
    /// <param name="tuning">The <c>Detector</c> configuration section: dsp parameters and gate overrides; null for the defaults.</param>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tuned value outside its range (the key is named).</exception>
    /// <exception cref="ModelLoadException">A learned detector's model or metadata is missing or invalid.</exception>
    public static (IFootfallDetector Detector, GateOptions Gate) Create(string name, double nominalRateHz = 200, string? modelPath = null,
        DetectorOptions? tuning = null)
    {
        (IFootfallDetector detector, GateOptions gate) = CreateDefault(name, nominalRateHz, modelPath, tuning?.Dsp);
        if (tuning is null)
        {
            return (detector, gate);
        }

        try
        {
            return (detector, tuning.Gate.ApplyTo(gate).Validate());
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    private static (IFootfallDetector Detector, GateOptions Gate) CreateDefault(string name, double nominalRateHz, string? modelPath, DspDetectorOptions? dsp)
    {
        name = Canonical(name);
        if (name == Default)
        {
            // The dsp detector's score is a confirmation ramp; the gate fires when it completes, and its
            // own refractory logic is cadence-aware, so the gate's interval only guards against duplicates.
            DspDetectorOptions options = dsp?.Clone() ?? new DspDetectorOptions();
            options.NominalRateHz = nominalRateHz;
            return (new DspFootfallDetector(options),
                new GateOptions { SampleThreshold = 1.0, WindowThreshold = 0, HitsRequired = 1, HitWindow = 1, MinIntervalMs = 250 });
        }

        if (IsLearned(name))
        {
            string path = modelPath ?? ShippedModelPath(name);

            // A learned model carries the gate it was validated with (thresholds chosen on held-out data).
            ModelMetadata metadata = OnnxDetectorFactory.LoadMetadata(path);
            GateOptions gate = new()
            {
                SampleThreshold = metadata.SampleThreshold,
                WindowThreshold = metadata.WindowThreshold,
                HitsRequired = 1,
                HitWindow = 1,
                MinIntervalMs = metadata.RefractoryMs,
            };
            if (modelPath is null && name == "onnx-stream")
            {
                string gyroPath = ShippedPath(OnnxDetectorFactory.DefaultGyroModelPath);
                return (OnnxDetectorFactory.CreateSourceAware(path, gyroPath), gate);
            }

            return (OnnxDetectorFactory.Create(name, path), gate);
        }

        throw new ArgumentException($"unknown detector '{name}'; known: {NameList}", nameof(name));
    }

    /// <summary>The shipped model of a learned detector: beside the binary (installed layout), else relative to the current directory (a clone).</summary>
    public static string ShippedModelPath(string kind)
    {
        return ShippedPath(OnnxDetectorFactory.DefaultModelPath(kind));
    }

    private static string ShippedPath(string relative)
    {
        string besideBinary = Path.Combine(AppContext.BaseDirectory, relative);
        return File.Exists(besideBinary) ? besideBinary : Path.GetFullPath(relative);
    }
}
