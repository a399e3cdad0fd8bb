namespace IolaEdge.Inference.Metadata;

/// <summary>Which per-sample feature row a model was trained on (metadata key <c>feature_order</c>).</summary>
public enum ModelFeatureSet
{
    /// <summary>Dsp's <c>FeatureLayout</c> row: x, y, z, |a| (g) and dt (s). Depends on how the sensor is mounted.</summary>
    Raw,

    /// <summary>
    /// Mounting-invariant row: |a|, the component along a causal gravity estimate, the rest of |a|,
    /// jerk |Δa| per 10 ms (all g) and dt (s); see <c>InvariantFeatureEncoder</c> and training/features.py.
    /// </summary>
    Invariant,

    /// <summary>
    /// The <see cref="Invariant"/> row, then three gyro features: |ω| (°/s), the foot's pitch rate (°/s, swing
    /// positive, from the dsp detector's <c>PitchRate</c> tracker) and 1/0 for whether that tracker has
    /// settled; see <c>GyroFeatureEncoder</c>. The six-channel <c>onnx-stream</c> model.
    /// </summary>
    InvariantGyro,
}
