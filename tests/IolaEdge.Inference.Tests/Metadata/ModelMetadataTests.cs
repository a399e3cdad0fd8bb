using IolaEdge.Inference.Detection;
using IolaEdge.Inference.Metadata;
using IolaEdge.Inference.Tests.Support;

namespace IolaEdge.Inference.Tests.Metadata;

public sealed class ModelMetadataTests
{
    private static readonly string s_stream = RepoPaths.Model("onnx-stream.onnx");
    private static readonly string s_window = RepoPaths.Model("onnx-window.onnx");

    [Fact]
    public void The_shipped_stream_metadata_is_valid()
    {
        ModelMetadata m = ModelMetadata.LoadFor(s_stream);
        Assert.Equal(ModelKind.Stream, m.Kind);
        Assert.True(m.Chunk >= 1);
        Assert.InRange(m.StateShape[2], 1, 64);
        Assert.InRange(m.SampleThreshold, 0.01f, 0.9f);
    }

    [Fact]
    public void A_missing_model_file_is_named_in_the_error()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-model.onnx");
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.LoadFor(path));
        Assert.Contains("model file not found", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_metadata_file_is_named_in_the_error()
    {
        using var files = new ModelFiles(s_stream);
        File.Delete(files.JsonPath);
        var e = Assert.Throws<ModelLoadException>(() => new OnnxStreamDetector(files.OnnxPath));
        Assert.Contains("metadata not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_that_is_not_JSON_is_rejected()
    {
        using var files = new ModelFiles(s_stream);
        files.EditJson(_ => "{ not json");
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.Load(files.JsonPath));
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_opset_is_rejected_naming_the_key_and_value()
    {
        using var files = new ModelFiles(s_stream);
        files.EditJson(j => j.Replace("\"opset\": 17", "\"opset\": 13", StringComparison.Ordinal));
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.Load(files.JsonPath));
        Assert.Contains("'opset'", e.Message, StringComparison.Ordinal);
        Assert.Contains("13", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_feature_count_is_rejected()
    {
        using var files = new ModelFiles(s_stream);
        files.EditJson(j => j.Replace("\"dt\"\n  ]", "\"dt\",\n    \"gyro\"\n  ]", StringComparison.Ordinal));
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.Load(files.JsonPath));
        Assert.Contains("'feature_order'", e.Message, StringComparison.Ordinal);
        Assert.Contains("6 features", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_stream_model_takes_the_mounting_invariant_features_and_the_window_model_the_raw_ones()
    {
        Assert.Equal(ModelFeatureSet.Invariant, ModelMetadata.LoadFor(s_stream).Features);
        Assert.Equal(ModelFeatureSet.Raw, ModelMetadata.LoadFor(s_window).Features);
        Assert.True(ModelMetadata.LoadFor(s_stream).GravityTauSeconds > 0);
    }

    [Fact]
    public void A_feature_order_this_build_does_not_compute_is_rejected_listing_both_known_orders()
    {
        using var files = new ModelFiles(s_stream);
        files.EditJson(j => j.Replace("\"vertical\"", "\"y\"", StringComparison.Ordinal));
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.Load(files.JsonPath));
        Assert.Contains("'feature_order'", e.Message, StringComparison.Ordinal);
        Assert.Contains("magnitude, vertical, horizontal, jerk, dt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scaler_with_the_wrong_length_is_rejected()
    {
        using var files = new ModelFiles(s_stream);
        files.EditJson(j => j.Replace("\"mean\": [", "\"mean\": [0.5,", StringComparison.Ordinal));
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.Load(files.JsonPath));
        Assert.Contains("'scaler.mean'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"thresholds\"", "'thresholds'")]
    [InlineData("\"chunk\"", "'chunk'")]
    [InlineData("\"lookahead_samples\"", "'lookahead_samples'")]
    [InlineData("\"gap_reset_ms\"", "'gap_reset_ms'")]
    [InlineData("\"gravity_tau_s\"", "'features.gravity_tau_s'")]
    [InlineData("\"features\"", "'features'")]
    public void A_missing_key_is_named(string key, string named)
    {
        using var files = new ModelFiles(s_stream);
        files.EditJson(j => j.Replace(key, "\"renamed_" + key.Trim('"') + "\"", StringComparison.Ordinal));
        var e = Assert.Throws<ModelLoadException>(() => ModelMetadata.Load(files.JsonPath));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_of_the_other_kind_is_refused_by_each_detector()
    {
        Assert.Throws<ModelLoadException>(() => new OnnxWindowDetector(s_stream));
        Assert.Throws<ModelLoadException>(() => new OnnxStreamDetector(s_window));
    }

    [Fact]
    public void A_metadata_chunk_the_graph_cannot_take_is_rejected_at_load()
    {
        using var files = new ModelFiles(s_stream);
        // The exported graph has a symbolic chunk axis but a fixed state shape; a wrong hidden size must fail.
        files.EditJson(j => System.Text.RegularExpressions.Regex.Replace(j,
            "\"state_shape\": \\[\\s*(\\d+),\\s*1,\\s*(\\d+)\\s*\\]", "\"state_shape\": [$1, 1, 7]"));
        var e = Assert.Throws<ModelLoadException>(() => new OnnxStreamDetector(files.OnnxPath));
        Assert.Contains("'h'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_onnx_file_is_reported_as_a_load_error()
    {
        using var files = new ModelFiles(s_stream);
        File.WriteAllText(files.OnnxPath, "not a model");
        var e = Assert.Throws<ModelLoadException>(() => new OnnxStreamDetector(files.OnnxPath));
        Assert.Contains("ONNX Runtime cannot load", e.Message, StringComparison.Ordinal);
    }
}
