using System.Globalization;
using System.Text.Json;
using IolaEdge.Dsp.Features;

namespace IolaEdge.Inference.Metadata;

/// <summary>
/// The metadata JSON written next to each exported model by <c>python3 -m training</c>
/// (format <c>iolaedge-model/1</c>): features, scaler, shapes and decision thresholds.
/// </summary>
/// <remarks>Loaded once at start; not for the pipeline thread.</remarks>
public sealed class ModelMetadata
{
    /// <summary>The only ONNX opset the exporter writes (torch 1.13's maximum; see docs/models.md).</summary>
    public const int SupportedOpset = 17;

    /// <summary>The metadata format this reader understands.</summary>
    public const string SupportedFormat = "iolaedge-model/1";

    private ModelMetadata(string path, ModelKind kind, string onnxFile, float[] mean, float[] scale)
    {
        Path = path;
        Kind = kind;
        OnnxFile = onnxFile;
        ScalerMean = mean;
        ScalerScale = scale;
    }

    /// <summary>Feature order of a <see cref="ModelFeatureSet.Raw"/> model: Dsp's <see cref="FeatureLayout.Names"/> (x, y, z, |a| in g, dt in s).</summary>
    public static IReadOnlyList<string> FeatureOrder => FeatureLayout.Names;

    /// <summary>Feature order of a <see cref="ModelFeatureSet.Invariant"/> model (training/features.py).</summary>
    public static IReadOnlyList<string> InvariantFeatureOrder { get; } = ["magnitude", "vertical", "horizontal", "jerk", "dt"];

    /// <summary>
    /// Feature order of a <see cref="ModelFeatureSet.InvariantGyro"/> model (training/features.py
    /// <c>FEATURES_GYRO</c>): the invariant acceleration row, then |ω|, the pitch rate and whether the pitch
    /// tracker has settled.
    /// </summary>
    public static IReadOnlyList<string> InvariantGyroFeatureOrder { get; } =
        ["magnitude", "vertical", "horizontal", "jerk", "dt", "gyro_magnitude", "pitch_rate", "pitch_ready"];

    /// <summary>Number of features per sample of an acceleration-only model (raw or invariant).</summary>
    public const int FeatureCount = FeatureLayout.Count;

    /// <summary>Features per sample of this model: <see cref="FeatureCount"/>, or 8 for a six-channel model.</summary>
    public int FeaturesPerSample => Features == ModelFeatureSet.InvariantGyro ? InvariantGyroFeatureOrder.Count : FeatureCount;

    /// <summary>Whether the model takes angular velocity (a six-channel model).</summary>
    public bool UsesGyro => Features == ModelFeatureSet.InvariantGyro;

    /// <summary>Six-channel features: time constant of the pitch axis's second moment, ms (<c>features.pitch_axis_tau_ms</c>). Otherwise 0.</summary>
    public double PitchAxisTauMs { get; private init; }

    /// <summary>Six-channel features: lobes the pitch sign needs before it is settled (<c>features.pitch_min_lobes</c>). Otherwise 0.</summary>
    public int PitchMinLobes { get; private init; }

    /// <summary>Six-channel features: how clear the pitch sign vote must be (<c>features.pitch_sign_margin</c>). Otherwise 0.</summary>
    public double PitchSignMargin { get; private init; }

    /// <summary>Path of the JSON file this was read from.</summary>
    public string Path { get; }

    /// <summary>Model family.</summary>
    public ModelKind Kind { get; }

    /// <summary>Path of the ONNX file (next to the JSON).</summary>
    public string OnnxFile { get; }

    /// <summary>Scaler mean per feature (standardised feature = (f - mean) / scale).</summary>
    public IReadOnlyList<float> ScalerMean { get; }

    /// <summary>Scaler scale per feature.</summary>
    public IReadOnlyList<float> ScalerScale { get; }

    /// <summary>Which feature row the model takes (from <c>feature_order</c>).</summary>
    public ModelFeatureSet Features { get; private init; }

    /// <summary>Invariant features: time constant of the causal gravity estimate, s (<c>features.gravity_tau_s</c>). Raw: 0.</summary>
    public double GravityTauSeconds { get; private init; }

    /// <summary>Invariant features: the jerk divides by at least this dt, s (<c>features.jerk_min_dt_s</c>). Raw: 0.</summary>
    public double JerkMinDtSeconds { get; private init; }

    /// <summary>dt is clipped to [0, this] seconds before scaling.</summary>
    public float DtClipSeconds { get; private init; }

    /// <summary>Nominal sample rate in Hz.</summary>
    public double SampleRateHz { get; private init; }

    /// <summary>Per-sample threshold for the decision gate.</summary>
    public float SampleThreshold { get; private init; }

    /// <summary>Per-window threshold for the decision gate (0 for the streaming model).</summary>
    public float WindowThreshold { get; private init; }

    /// <summary>Refractory interval the thresholds were tuned with, in ms.</summary>
    public double RefractoryMs { get; private init; }

    /// <summary>A gap between samples at least this long (ms) resets the detector's state.</summary>
    public double GapResetMs { get; private init; }

    /// <summary>Streaming: samples per call. Window: 0.</summary>
    public int Chunk { get; private init; }

    /// <summary>Streaming: output k scores the sample this many samples earlier. Window: 0.</summary>
    public int LookaheadSamples { get; private init; }

    /// <summary>Streaming: recurrent state shape [layers, 1, hidden]. Window: empty.</summary>
    public IReadOnlyList<long> StateShape { get; private init; } = [];

    /// <summary>Window: samples per window. Streaming: 0.</summary>
    public int Window { get; private init; }

    /// <summary>Window: samples between runs. Streaming: 0.</summary>
    public int Stride { get; private init; }

    /// <summary>The raw JSON root (for tools: training description, scores, reference files).</summary>
    public JsonElement Root { get; private init; }

    /// <summary>Path of the metadata JSON that belongs to <paramref name="modelPath"/> (same name, <c>.json</c>).</summary>
    public static string PathFor(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return System.IO.Path.ChangeExtension(modelPath, ".json");
    }

    /// <summary>Reads and validates the metadata next to <paramref name="modelPath"/>.</summary>
    /// <exception cref="ModelLoadException">A file is missing or a key is missing or invalid.</exception>
    public static ModelMetadata LoadFor(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException($"model file not found: {modelPath}");
        }

        return Load(PathFor(modelPath));
    }

    /// <summary>Reads and validates one metadata JSON file.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not JSON, or a key is missing or invalid.</exception>
    public static ModelMetadata Load(string jsonPath)
    {
        if (!File.Exists(jsonPath))
        {
            throw new ModelLoadException($"model metadata not found: {jsonPath} (expected next to the .onnx file)");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{jsonPath}: not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            return Parse(jsonPath, doc.RootElement.Clone());
        }
    }

    private static ModelMetadata Parse(string path, JsonElement root)
    {
        var r = new Reader(path, root);
        string format = r.String("format");
        if (format != SupportedFormat)
        {
            throw r.Error("format", $"'{format}' is not supported (expected '{SupportedFormat}')");
        }

        string kindText = r.String("kind");
        ModelKind kind = kindText switch
        {
            "onnx-stream" => ModelKind.Stream,
            "onnx-window" => ModelKind.Window,
            _ => throw r.Error("kind", $"'{kindText}' is not a model kind (expected onnx-stream or onnx-window)"),
        };
        int opset = r.Int("opset");
        if (opset != SupportedOpset)
        {
            throw r.Error("opset", $"{opset} is not supported (models are exported at opset {SupportedOpset})");
        }

        string[] order = r.Strings("feature_order");
        ModelFeatureSet features;
        if (order.SequenceEqual(FeatureLayout.Names))
        {
            features = ModelFeatureSet.Raw;
        }
        else if (order.SequenceEqual(InvariantFeatureOrder))
        {
            features = ModelFeatureSet.Invariant;
        }
        else if (order.SequenceEqual(InvariantGyroFeatureOrder))
        {
            features = ModelFeatureSet.InvariantGyro;
        }
        else
        {
            throw r.Error("feature_order",
                $"has {order.Length} features [{string.Join(", ", order)}]; this build computes " +
                $"[{string.Join(", ", FeatureLayout.Names)}], [{string.Join(", ", InvariantFeatureOrder)}] " +
                $"or [{string.Join(", ", InvariantGyroFeatureOrder)}]");
        }

        double gravityTau = 0;
        double jerkMinDt = 0;
        double pitchTau = 0;
        int pitchLobes = 0;
        double pitchMargin = 0;
        if (features != ModelFeatureSet.Raw)
        {
            var fr = new Reader(path, r.Object("features"), "features.");
            gravityTau = fr.Double("gravity_tau_s", 0.01, 100);
            jerkMinDt = fr.Double("jerk_min_dt_s", 1e-4, 1);
            if (features == ModelFeatureSet.InvariantGyro)
            {
                // The same ranges DspDetectorOptions accepts for the dsp detector's tracker.
                pitchTau = fr.Double("pitch_axis_tau_ms", 500, 60_000);
                pitchLobes = fr.IntIn("pitch_min_lobes", 1, 100);
                pitchMargin = fr.Double("pitch_sign_margin", 0, 1);
            }
        }

        int width = features == ModelFeatureSet.InvariantGyro ? InvariantGyroFeatureOrder.Count : FeatureCount;
        JsonElement scaler = r.Object("scaler");
        var sr = new Reader(path, scaler, "scaler.");
        float[] mean = sr.Floats("mean", width);
        float[] scale = sr.Floats("scale", width);
        foreach (float s in scale)
        {
            if (!(s > 0f) || !float.IsFinite(s))
            {
                throw sr.Error("scale", $"every scale must be a positive finite number, got {s.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        string onnx = r.String("onnx_file");
        string dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        JsonElement thresholds = r.Object("thresholds");
        var tr = new Reader(path, thresholds, "thresholds.");
        var meta = new ModelMetadata(path, kind, System.IO.Path.Combine(dir, onnx), mean, scale)
        {
            Root = root,
            Features = features,
            GravityTauSeconds = gravityTau,
            JerkMinDtSeconds = jerkMinDt,
            PitchAxisTauMs = pitchTau,
            PitchMinLobes = pitchLobes,
            PitchSignMargin = pitchMargin,
            DtClipSeconds = (float)r.Double("dt_clip_s", 0.001, 10),
            SampleRateHz = r.Double("sample_rate_hz", 1, 10_000),
            SampleThreshold = (float)tr.Double("sample", 0, 1),
            WindowThreshold = (float)tr.Double("window", 0, 1),
            RefractoryMs = r.Double("refractory_ms", 0, 10_000),
            GapResetMs = r.Double("gap_reset_ms", 1, 3_600_000),
            Chunk = kind == ModelKind.Stream ? r.IntIn("chunk", 1, 64) : 0,
            LookaheadSamples = kind == ModelKind.Stream ? r.IntIn("lookahead_samples", 0, 256) : 0,
            StateShape = kind == ModelKind.Stream ? r.Longs("state_shape", 3) : [],
            Window = kind == ModelKind.Window ? r.IntIn("window", 8, 100_000) : 0,
            Stride = kind == ModelKind.Window ? r.IntIn("stride", 1, 100_000) : 0,
        };
        if (kind == ModelKind.Window && features == ModelFeatureSet.InvariantGyro)
        {
            throw r.Error("feature_order", "with the gyro features is for onnx-stream models only");
        }

        if (kind == ModelKind.Window && meta.Stride > meta.Window)
        {
            throw r.Error("stride", $"{meta.Stride} exceeds window {meta.Window}");
        }

        if (kind == ModelKind.Stream && (meta.StateShape[1] != 1 || meta.StateShape[0] < 1 || meta.StateShape[2] < 1))
        {
            throw r.Error("state_shape", $"[{string.Join(", ", meta.StateShape)}] is not [layers, 1, hidden]");
        }

        return meta;
    }

    /// <summary>Typed access to one JSON object; every failure names the file and the key.</summary>
    private readonly struct Reader(string path, JsonElement obj, string prefix = "")
    {
        public ModelLoadException Error(string key, string what) =>
            new($"{path}: key '{prefix}{key}' {what}");

        private JsonElement Get(string key, JsonValueKind kind)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(key, out JsonElement e))
            {
                throw Error(key, "is missing");
            }

            if (e.ValueKind != kind)
            {
                throw Error(key, $"must be {kind}, got {e.ValueKind}");
            }

            return e;
        }

        public string String(string key) => Get(key, JsonValueKind.String).GetString() ?? string.Empty;

        public JsonElement Object(string key) => Get(key, JsonValueKind.Object);

        public int Int(string key) =>
            Get(key, JsonValueKind.Number).TryGetInt32(out int v) ? v : throw Error(key, "must be an integer");

        public int IntIn(string key, int min, int max)
        {
            int v = Int(key);
            return v >= min && v <= max ? v : throw Error(key, $"= {v} is outside [{min}, {max}]");
        }

        public double Double(string key, double min, double max)
        {
            double v = Get(key, JsonValueKind.Number).GetDouble();
            return v >= min && v <= max
                ? v
                : throw Error(key, $"= {v.ToString(CultureInfo.InvariantCulture)} is outside [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
        }

        public string[] Strings(string key)
        {
            JsonElement a = Get(key, JsonValueKind.Array);
            var list = new List<string>();
            foreach (JsonElement e in a.EnumerateArray())
            {
                list.Add(e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : throw Error(key, "must hold strings"));
            }

            return [.. list];
        }

        public float[] Floats(string key, int count)
        {
            JsonElement a = Get(key, JsonValueKind.Array);
            if (a.GetArrayLength() != count)
            {
                throw Error(key, $"has {a.GetArrayLength()} values; expected {count} (one per feature)");
            }

            var v = new float[count];
            int i = 0;
            foreach (JsonElement e in a.EnumerateArray())
            {
                v[i++] = e.ValueKind == JsonValueKind.Number ? e.GetSingle() : throw Error(key, "must hold numbers");
            }

            return v;
        }

        public long[] Longs(string key, int count)
        {
            JsonElement a = Get(key, JsonValueKind.Array);
            if (a.GetArrayLength() != count)
            {
                throw Error(key, $"has {a.GetArrayLength()} values; expected {count}");
            }

            var v = new long[count];
            int i = 0;
            foreach (JsonElement e in a.EnumerateArray())
            {
                v[i++] = e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long x) ? x : throw Error(key, "must hold integers");
            }

            return v;
        }
    }
}
