using Microsoft.ML.OnnxRuntime;

namespace IolaEdge.Inference.Sessions;

/// <summary>Creates ONNX Runtime sessions the way the hot path needs them: CPU, one thread, sequential.</summary>
internal static class OnnxSessionFactory
{
    /// <summary>Opens <paramref name="onnxPath"/>; ORT failures become <see cref="ModelLoadException"/> naming the file.</summary>
    public static InferenceSession Open(string onnxPath)
    {
        if (!File.Exists(onnxPath))
        {
            throw new ModelLoadException($"model file not found: {onnxPath}");
        }

        // One intra-op thread: the pipeline thread is the only caller and the machine has few cores;
        // ORT's own pool would compete with the BLE and MIDI threads (docs/onnx-gpio.md, measured).
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            return new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{onnxPath}: ONNX Runtime cannot load the model: {e.Message}", e);
        }
    }

    /// <summary>Checks that the graph has an input or output of this name with this shape (-1 = symbolic dim).</summary>
    public static void RequireShape(string onnxPath, IReadOnlyDictionary<string, NodeMetadata> nodes, string name,
        ReadOnlySpan<long> expected, bool input)
    {
        string side = input ? "input" : "output";
        if (!nodes.TryGetValue(name, out NodeMetadata? node))
        {
            throw new ModelLoadException($"{onnxPath}: the graph has no {side} '{name}' (has: {string.Join(", ", nodes.Keys)})");
        }

        int[] dims = node.Dimensions;
        bool ok = dims.Length == expected.Length;
        for (int i = 0; ok && i < dims.Length; i++)
        {
            ok = dims[i] < 0 || dims[i] == expected[i];
        }

        if (!ok)
        {
            throw new ModelLoadException(
                $"{onnxPath}: {side} '{name}' has shape [{string.Join(", ", dims)}]; the metadata implies [{string.Join(", ", expected.ToArray())}]");
        }
    }
}
