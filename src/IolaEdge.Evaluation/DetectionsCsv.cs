using System.Globalization;

namespace IolaEdge.Evaluation;

/// <summary>The <c>--detections</c> file: header <c>time_ms,score</c>, epoch ms on the input's clock, one row per detection.</summary>
internal static class DetectionsCsv
{
    /// <summary>
    /// The ms value eval scores for a detection at <paramref name="timeNs"/>: rounded to µs and parsed
    /// back from its own text, so that score.py, which reads the file, sees bit-identical doubles.
    /// </summary>
    public static double ScoredMs(long timeNs) => double.Parse(Format(timeNs), CultureInfo.InvariantCulture);

    /// <summary>Epoch ms with three decimals (µs), invariant culture.</summary>
    public static string Format(long timeNs)
    {
        // Integer arithmetic: epoch ns (~1.7e18) is not exact in a double, epoch µs rounding must be.
        long us = Math.DivRem(timeNs, 1000, out long nsRem);
        if (nsRem < 0)
        {
            us--;
            nsRem += 1000;
        }

        if (nsRem >= 500)
        {
            us++;
        }

        long ms = Math.DivRem(us, 1000, out long rem);
        if (rem < 0)
        {
            ms--;
            rem += 1000;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{ms}.{rem:D3}");
    }

    /// <summary>Writes all detections to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<Detection> detections)
    {
        using StreamWriter w = new(path, append: false) { NewLine = "\n" };
        w.WriteLine("time_ms,score");
        foreach (Detection d in detections)
        {
            w.Write(Format(d.TimeNs));
            w.Write(',');
            w.WriteLine(d.Score.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
