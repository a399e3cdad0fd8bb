using System.Globalization;
using System.Text;

namespace IolaEdge.Bluetooth.Tests.Support;

/// <summary>A deterministic synthetic walk (200 Hz, g): gravity on z plus a 1.8 Hz gait with heel-strike spikes.</summary>
public static class Walk
{
    public static (float X, float Y, float Z)[] Generate(int samples, int seed = 7)
    {
        var rng = new Random(seed);
        var walk = new (float, float, float)[samples];
        for (int i = 0; i < samples; i++)
        {
            double t = i / 200.0;
            double phase = 2 * Math.PI * 1.8 * t;
            double spike = Math.Exp(-Math.Pow((t * 1.8 % 1.0) - 0.1, 2) / 0.0005) * 3.0; // heel strike, up to ~4 g
            walk[i] = ((float)(0.3 * Math.Sin(phase) + (rng.NextDouble() - 0.5) * 0.05),
                       (float)(0.1 + 0.2 * Math.Cos(phase)),
                       (float)(1.0 + 0.6 * Math.Sin(phase) + spike));
        }

        return walk;
    }

    /// <summary>
    /// Angular velocity (°/s) for <see cref="Generate"/>'s walk: a pitch swing of a few hundred °/s per stride on y,
    /// smaller roll and yaw, so every row is different (a mispaired sample shows).
    /// </summary>
    public static (float X, float Y, float Z)[] GenerateRotation(int samples, int seed = 11)
    {
        var rng = new Random(seed);
        var rotation = new (float, float, float)[samples];
        for (int i = 0; i < samples; i++)
        {
            double phase = 2 * Math.PI * 0.9 * i / 200.0;
            rotation[i] = ((float)(40 * Math.Sin(2 * phase) + (rng.NextDouble() - 0.5) * 4),
                           (float)(350 * Math.Sin(phase) + (rng.NextDouble() - 0.5) * 4),
                           (float)(-25 * Math.Cos(phase) + (rng.NextDouble() - 0.5) * 4));
        }

        return rotation;
    }

    /// <summary>Writes x,y,z,gx,gy,gz lines (the fake board's input with a gyroscope).</summary>
    public static string WriteCsv(string dir, (float X, float Y, float Z)[] walk, (float X, float Y, float Z)[] rotation, string name = "walk6.csv")
    {
        var sb = new StringBuilder();
        for (int i = 0; i < walk.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{walk[i].X:R},{walk[i].Y:R},{walk[i].Z:R},{rotation[i].X:R},{rotation[i].Y:R},{rotation[i].Z:R}\n");
        }

        string path = Path.Combine(dir, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Writes x,y,z lines (the fake board's input).</summary>
    public static string WriteCsv(string dir, (float X, float Y, float Z)[] walk, string name = "walk.csv")
    {
        var sb = new StringBuilder();
        foreach ((float x, float y, float z) in walk)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{x:R},{y:R},{z:R}\n");
        }

        string path = Path.Combine(dir, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>What the board sends for <paramref name="g"/> at <paramref name="lsbPerG"/>, decoded back to g (Python rounds half to even).</summary>
    public static float Quantise(float g, float lsbPerG) =>
        (float)Math.Clamp(Math.Round((double)g * lsbPerG, MidpointRounding.ToEven), -32768, 32767) / lsbPerG;
}
