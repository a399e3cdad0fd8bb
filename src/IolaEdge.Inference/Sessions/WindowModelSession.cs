using IolaEdge.Inference.Metadata;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = IolaEdge.Inference.Metadata.ModelMetadata;

namespace IolaEdge.Inference.Sessions;

/// <summary>
/// The windowed model bound once over pinned buffers: <c>x[1,W,F]</c> → <c>step_probs[1,W]</c>,
/// <c>window_prob[1]</c>; one <c>RunWithBinding</c> per window, no managed allocation.
/// </summary>
/// <remarks>Owns the session and buffers; pipeline thread only.</remarks>
internal sealed class WindowModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _x;
    private readonly float[] _step;
    private readonly float[] _window;
    private readonly OrtValue[] _values;
    private readonly OrtIoBinding _binding;

    public WindowModelSession(ModelMetadata meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        Window = meta.Window;
        long[] xShape = [1, meta.Window, ModelMetadata.FeatureCount];
        long[] sShape = [1, meta.Window];
        long[] wShape = [1];
        _session = OnnxSessionFactory.Open(meta.OnnxFile);
        try
        {
            OnnxSessionFactory.RequireShape(meta.OnnxFile, _session.InputMetadata, "x", xShape, input: true);
            OnnxSessionFactory.RequireShape(meta.OnnxFile, _session.OutputMetadata, "step_probs", sShape, input: false);
            OnnxSessionFactory.RequireShape(meta.OnnxFile, _session.OutputMetadata, "window_prob", wShape, input: false);
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }

        _x = GC.AllocateArray<float>(meta.Window * ModelMetadata.FeatureCount, pinned: true);
        _step = GC.AllocateArray<float>(meta.Window, pinned: true);
        _window = GC.AllocateArray<float>(1, pinned: true);
        _values =
        [
            OrtValue.CreateTensorValueFromMemory(_x, xShape),
            OrtValue.CreateTensorValueFromMemory(_step, sShape),
            OrtValue.CreateTensorValueFromMemory(_window, wShape),
        ];
        _binding = _session.CreateIoBinding();
        _binding.BindInput("x", _values[0]);
        _binding.BindOutput("step_probs", _values[1]);
        _binding.BindOutput("window_prob", _values[2]);
    }

    /// <summary>Samples per window.</summary>
    public int Window { get; }

    /// <summary>The input buffer, [W * F] row-major, oldest sample first.</summary>
    public Span<float> Input => _x;

    /// <summary>Per-sample probabilities of the last run (valid until the next call).</summary>
    public ReadOnlySpan<float> StepProbs => _step;

    /// <summary>Window probability of the last run.</summary>
    public float WindowProb => _window[0];

    /// <summary>Runs the model on <see cref="Input"/>.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <inheritdoc />
    public void Dispose()
    {
        _binding.Dispose();
        for (int i = _values.Length - 1; i >= 0; i--)
        {
            _values[i].Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }
}
