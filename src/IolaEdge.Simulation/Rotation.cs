namespace IolaEdge.Simulation;

/// <summary>A 3×3 rotation matrix (row-major), for sensor mounting and drift.</summary>
internal readonly struct Rotation
{
    private readonly double _m00, _m01, _m02, _m10, _m11, _m12, _m20, _m21, _m22;

    private Rotation(double m00, double m01, double m02, double m10, double m11, double m12,
        double m20, double m21, double m22)
    {
        _m00 = m00; _m01 = m01; _m02 = m02;
        _m10 = m10; _m11 = m11; _m12 = m12;
        _m20 = m20; _m21 = m21; _m22 = m22;
    }

    /// <summary>The identity.</summary>
    public static Rotation Identity { get; } = new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>The rotation of a unit quaternion (w, x, y, z); the quaternion is normalised first.</summary>
    public static Rotation FromQuaternion(double w, double x, double y, double z)
    {
        double n = Math.Sqrt((w * w) + (x * x) + (y * y) + (z * z));
        w /= n; x /= n; y /= n; z /= n;
        return new Rotation(
            1 - (2 * ((y * y) + (z * z))), 2 * ((x * y) - (w * z)), 2 * ((x * z) + (w * y)),
            2 * ((x * y) + (w * z)), 1 - (2 * ((x * x) + (z * z))), 2 * ((y * z) - (w * x)),
            2 * ((x * z) - (w * y)), 2 * ((y * z) + (w * x)), 1 - (2 * ((x * x) + (y * y))));
    }

    /// <summary>A rotation drawn uniformly from SO(3): a normalised 4-D Gaussian is a uniform unit quaternion.</summary>
    public static Rotation Uniform(ref SimulationRandom random) =>
        FromQuaternion(random.NextGaussian(), random.NextGaussian(), random.NextGaussian(), random.NextGaussian());

    /// <summary>A rotation by the vector's length (rad) about its direction (Rodrigues).</summary>
    public static Rotation FromRotationVector(double rx, double ry, double rz)
    {
        double angle = Math.Sqrt((rx * rx) + (ry * ry) + (rz * rz));
        if (angle < 1e-12)
        {
            return Identity;
        }

        double half = angle / 2;
        double s = Math.Sin(half) / angle;
        return FromQuaternion(Math.Cos(half), rx * s, ry * s, rz * s);
    }

    /// <summary>This rotation applied after <paramref name="first"/> (matrix product this × first).</summary>
    public Rotation After(in Rotation first) => new(
        (_m00 * first._m00) + (_m01 * first._m10) + (_m02 * first._m20),
        (_m00 * first._m01) + (_m01 * first._m11) + (_m02 * first._m21),
        (_m00 * first._m02) + (_m01 * first._m12) + (_m02 * first._m22),
        (_m10 * first._m00) + (_m11 * first._m10) + (_m12 * first._m20),
        (_m10 * first._m01) + (_m11 * first._m11) + (_m12 * first._m21),
        (_m10 * first._m02) + (_m11 * first._m12) + (_m12 * first._m22),
        (_m20 * first._m00) + (_m21 * first._m10) + (_m22 * first._m20),
        (_m20 * first._m01) + (_m21 * first._m11) + (_m22 * first._m21),
        (_m20 * first._m02) + (_m21 * first._m12) + (_m22 * first._m22));

    /// <summary>Rotates a vector.</summary>
    public (double X, double Y, double Z) Apply(double x, double y, double z) => (
        (_m00 * x) + (_m01 * y) + (_m02 * z),
        (_m10 * x) + (_m11 * y) + (_m12 * z),
        (_m20 * x) + (_m21 * y) + (_m22 * z));
}
