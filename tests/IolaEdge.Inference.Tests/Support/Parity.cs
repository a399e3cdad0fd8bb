using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Detection;

namespace IolaEdge.Inference.Tests.Support;

/// <summary>Runs detectors over reference samples and compares with the PyTorch outputs.</summary>
internal static class Parity
{
    public const float Tolerance = 1e-4f;

    public static List<DetectorScore> Run(IFootfallDetector detector, ImuSample[] samples)
    {
        var all = new List<DetectorScore>();
        var buffer = new DetectorScore[detector.MaxScoresPerSample];
        foreach (ImuSample s in samples)
        {
            int n = detector.Process(s, buffer);
            all.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return all;
    }

    /// <summary>Stream: emitted score j is PyTorch's probs[lookahead + j], for sample j.</summary>
    public static float StreamMaxDiff(string modelPath)
    {
        ImuSample[] samples = ReferenceData.Samples(modelPath);
        float[] probs = ReferenceData.Read(modelPath, "probs");
        using var detector = new OnnxStreamDetector(modelPath);
        List<DetectorScore> scores = Run(detector, samples);
        int lookahead = detector.Metadata.LookaheadSamples;
        int chunk = detector.Metadata.Chunk;
        int expected = (samples.Length / chunk * chunk) - lookahead;
        Assert.Equal(expected, scores.Count);
        float max = 0f;
        for (int j = 0; j < scores.Count; j++)
        {
            Assert.Equal(samples[j].SensorTimeNs, scores[j].SampleTimeNs);
            max = Math.Max(max, Math.Abs(scores[j].SampleScore - probs[lookahead + j]));
        }

        return max;
    }

    /// <summary>Window: run r emits step_probs[r, W - stride ..] and window_prob[r] for its newest stride samples.</summary>
    public static float WindowMaxDiff(string modelPath)
    {
        ImuSample[] samples = ReferenceData.Samples(modelPath);
        float[] step = ReferenceData.Read(modelPath, "step_probs");
        float[] win = ReferenceData.Read(modelPath, "window_prob");
        using var detector = new OnnxWindowDetector(modelPath);
        List<DetectorScore> scores = Run(detector, samples);
        int w = detector.Metadata.Window;
        int stride = detector.Metadata.Stride;
        Assert.Equal(win.Length * stride, scores.Count);
        float max = 0f;
        for (int j = 0; j < scores.Count; j++)
        {
            int run = j / stride;
            int k = j % stride;
            Assert.Equal(samples[(run * stride) + w - stride + k].SensorTimeNs, scores[j].SampleTimeNs);
            max = Math.Max(max, Math.Abs(scores[j].SampleScore - step[(run * w) + w - stride + k]));
            max = Math.Max(max, Math.Abs(scores[j].WindowScore - win[run]));
        }

        return max;
    }
}
