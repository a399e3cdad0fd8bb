namespace IolaEdge.Inference.Metadata;

/// <summary>The two learned detector families (metadata key <c>kind</c>).</summary>
public enum ModelKind
{
    /// <summary><c>onnx-stream</c>: causal recurrent model run per packet with its state carried.</summary>
    Stream,

    /// <summary><c>onnx-window</c>: the seed's Conv-BiLSTM on fixed windows every stride samples.</summary>
    Window,
}
