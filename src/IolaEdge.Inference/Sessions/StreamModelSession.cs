using IolaEdge.Inference.Metadata;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = IolaEdge.Inference.Metadata.ModelMetadata;

namespace IolaEdge.Inference.Sessions;

/// <summary>
/// The streaming model bound once over pinned buffers: <c>x[1,K,F]</c>, state <c>h</c> in two buffers
/// (A and B) that swap roles every call, <c>probs[1,K]</c>. Each call is one <c>RunWithBinding</c>
/// with no managed allocation (docs/onnx-gpio.md §2).
/// </summary>
/// <remarks>
/// Ownership: this object owns the session, bindings, OrtValues and buffers; dispose it once.
/// Thread: the pipeline thread only (an OrtIoBinding and its arrays belong to one thread).
/// The state is never aliased: the call that reads A writes B and the next reads B and writes A.
/// </remarks>
internal sealed class StreamModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _x;
    private readonly float[] _stateA;
    private readonly float[] _stateB;
    private readonly float[] _probs;
    private readonly OrtValue[] _values;
    private readonly OrtIoBinding _readA; // h = A, h_out = B
    private readonly OrtIoBinding _readB; // h = B, h_out = A
    private bool _nextReadsB;

    public StreamModelSession(ModelMetadata meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        Chunk = meta.Chunk;
        long[] xShape = [1, meta.Chunk, meta.FeaturesPerSample];
        long[] hShape = [.. meta.StateShape];
        long[] pShape = [1, meta.Chunk];
        _session = OnnxSessionFactory.Open(meta.OnnxFile);
        try
        {
            OnnxSessionFactory.RequireShape(meta.OnnxFile, _session.InputMetadata, "x", xShape, input: true);
            OnnxSessionFactory.RequireShape(meta.OnnxFile, _session.InputMetadata, "h", hShape, input: true);
            OnnxSessionFactory.RequireShape(meta.OnnxFile, _session.OutputMetadata, "probs", pShape, input: false);
            OnnxSessionFactory.RequireShape(meta.OnnxFile, _session.OutputMetadata, "h_out", hShape, input: false);
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }

        int stateLength = (int)(hShape[0] * hShape[1] * hShape[2]);
        _x = GC.AllocateArray<float>(meta.Chunk * meta.FeaturesPerSample, pinned: true);
        _stateA = GC.AllocateArray<float>(stateLength, pinned: true);
        _stateB = GC.AllocateArray<float>(stateLength, pinned: true);
        _probs = GC.AllocateArray<float>(meta.Chunk, pinned: true);
        _values =
        [
            OrtValue.CreateTensorValueFromMemory(_x, xShape),
            OrtValue.CreateTensorValueFromMemory(_stateA, hShape),
            OrtValue.CreateTensorValueFromMemory(_stateB, hShape),
            OrtValue.CreateTensorValueFromMemory(_probs, pShape),
        ];
        _readA = Bind(_values[1], _values[2]);
        _readB = Bind(_values[2], _values[1]);
    }

    /// <summary>Samples per call.</summary>
    public int Chunk { get; }

    /// <summary>The input buffer, [K * F] row-major; write the chunk's features here before <see cref="Run"/>.</summary>
    public Span<float> Input => _x;

    /// <summary>Runs one chunk and carries the state; returns the K probabilities (valid until the next call).</summary>
    public ReadOnlySpan<float> Run()
    {
        _session.RunWithBinding(_runOptions, _nextReadsB ? _readB : _readA);
        _nextReadsB = !_nextReadsB;
        return _probs;
    }

    /// <summary>Zeroes the state the next call reads (after a gap or a reconnect).</summary>
    public void ResetState()
    {
        Array.Clear(_nextReadsB ? _stateB : _stateA);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _readB.Dispose();
        _readA.Dispose();
        for (int i = _values.Length - 1; i >= 0; i--)
        {
            _values[i].Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    private OrtIoBinding Bind(OrtValue stateIn, OrtValue stateOut)
    {
        OrtIoBinding b = _session.CreateIoBinding();
        b.BindInput("x", _values[0]);
        b.BindInput("h", stateIn);
        b.BindOutput("probs", _values[3]);
        b.BindOutput("h_out", stateOut);
        return b;
    }
}
