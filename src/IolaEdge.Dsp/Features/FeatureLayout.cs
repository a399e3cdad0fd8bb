namespace IolaEdge.Dsp.Features;

/// <summary>
/// The order and count of the per-sample feature row written by <see cref="FeatureExtractor"/>.
/// </summary>
/// <remarks>
/// Models are trained on rows in exactly this order; the ONNX model metadata names the features
/// with <see cref="Names"/>, so changing the order or count here is a breaking model change.
/// </remarks>
public static class FeatureLayout
{
    /// <summary>Features per sample.</summary>
    public const int Count = 5;

    /// <summary>Column of the x acceleration, in g.</summary>
    public const int X = 0;

    /// <summary>Column of the y acceleration, in g.</summary>
    public const int Y = 1;

    /// <summary>Column of the z acceleration, in g.</summary>
    public const int Z = 2;

    /// <summary>Column of the acceleration magnitude |a|, in g.</summary>
    public const int Magnitude = 3;

    /// <summary>Column of the time since the previous sample, in seconds.</summary>
    public const int Dt = 4;

    /// <summary>Name of <see cref="X"/> in model metadata.</summary>
    public const string XName = "x";

    /// <summary>Name of <see cref="Y"/> in model metadata.</summary>
    public const string YName = "y";

    /// <summary>Name of <see cref="Z"/> in model metadata.</summary>
    public const string ZName = "z";

    /// <summary>Name of <see cref="Magnitude"/> in model metadata.</summary>
    public const string MagnitudeName = "magnitude";

    /// <summary>Name of <see cref="Dt"/> in model metadata.</summary>
    public const string DtName = "dt";

    /// <summary>Feature names in column order (as written to model metadata).</summary>
    public static IReadOnlyList<string> Names { get; } = [XName, YName, ZName, MagnitudeName, DtName];
}
