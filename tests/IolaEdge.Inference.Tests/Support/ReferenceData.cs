using System.Runtime.InteropServices;
using System.Text.Json;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Inference.Tests.Support;

/// <summary>Reads the reference input/output pairs the exporter writes next to a model (raw little-endian float32).</summary>
internal static class ReferenceData
{
    /// <summary>Session-clock origin for replayed reference samples (any epoch-ns value works).</summary>
    public const long BaseTimeNs = 1_747_236_808_595_000_000;

    public static float[] Read(string modelPath, string name)
    {
        string json = Path.ChangeExtension(modelPath, ".json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        string file = doc.RootElement.GetProperty("reference").GetProperty(name).GetProperty("file").GetString()!;
        byte[] bytes = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(json)!, file));
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>
    /// Reference samples ([N, 4]: ms since the first sample, x, y, z; or [N, 7] with the angular velocity
    /// ωx, ωy, ωz in °/s for a six-channel model) as ImuSamples.
    /// </summary>
    public static ImuSample[] Samples(string modelPath)
    {
        float[] raw = Read(modelPath, "samples");
        int width = Width(modelPath);
        var samples = new ImuSample[raw.Length / width];
        for (int i = 0; i < samples.Length; i++)
        {
            int o = width * i;
            long t = BaseTimeNs + (long)Math.Round(raw[o] * 1e6);
            samples[i] = width == 7
                ? new ImuSample(0, i, t, t, raw[o + 1], raw[o + 2], raw[o + 3], raw[o + 4], raw[o + 5], raw[o + 6])
                : new ImuSample(0, i, t, t, raw[o + 1], raw[o + 2], raw[o + 3]);
        }

        return samples;
    }

    private static int Width(string modelPath)
    {
        string json = Path.ChangeExtension(modelPath, ".json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement shape = doc.RootElement.GetProperty("reference").GetProperty("samples").GetProperty("shape");
        return shape.GetArrayLength() == 2 ? shape[1].GetInt32() : 4;
    }
}
