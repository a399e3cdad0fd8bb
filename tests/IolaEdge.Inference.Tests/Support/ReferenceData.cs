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

    /// <summary>Reference samples ([N, 4]: ms since the first sample, x, y, z) as ImuSamples.</summary>
    public static ImuSample[] Samples(string modelPath)
    {
        float[] raw = Read(modelPath, "samples");
        var samples = new ImuSample[raw.Length / 4];
        for (int i = 0; i < samples.Length; i++)
        {
            long t = BaseTimeNs + (long)Math.Round(raw[4 * i] * 1e6);
            samples[i] = new ImuSample(0, i, t, t, raw[(4 * i) + 1], raw[(4 * i) + 2], raw[(4 * i) + 3]);
        }

        return samples;
    }
}
