using System.Diagnostics;
using System.Globalization;
using IolaEdge.Dsp.Samples;
using IolaEdge.Recording;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Recording.Tests;

public sealed class CsvImuSourcePacingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iola-pacing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(100L * 86_400_000, 1000.0)] // 100 days at x1000: 2.4 h of waiting before, and > 49.7 days / speed threw
    [InlineData(600L * 86_400_000, 10.0)]   // 600 days at x10: beyond 49.7 days / speed, Task.Delay threw ArgumentOutOfRangeException
    [InlineData(-90_000L, 10.0)]             // time goes back 90 s
    public async Task A_huge_gap_or_backwards_time_is_paced_as_at_most_a_capped_wait(long jumpMs, double speed)
    {
        string path = Path.Combine(_dir, "walk.csv");
        List<string> lines = ["timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType"];
        long t = 1_767_225_600_000;
        for (int i = 0; i < 20; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t + (i * 5)},0,0,1,{i},sample"));
        }

        for (int i = 0; i < 20; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t + jumpMs + (i * 5)},0,0,1,{20 + i},sample"));
        }

        await File.WriteAllLinesAsync(path, lines);
        CountingSink sink = new();
        CsvImuSource source = new(path, speed);
        using CancellationTokenSource guard = new(TimeSpan.FromSeconds(30));
        Stopwatch clock = Stopwatch.StartNew();

        await source.RunAsync(sink, guard.Token);

        Assert.Equal(40, sink.Samples);
        // 40 samples 5 ms apart, plus at most the capped gap (5 s of file time at the speed).
        double capSeconds = (CsvImuSource.MaxPacedGapNs / 1e9 / speed) + (0.2 / speed);
        // A generous margin for a loaded machine: the gaps here would otherwise wait 600 days or throw.
        Assert.True(clock.Elapsed.TotalSeconds < capSeconds + 5.0, $"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private sealed class CountingSink : IImuSampleSink
    {
        public int Samples { get; private set; }

        public bool OnSample(in ImuSample sample)
        {
            Samples++;
            return true;
        }

        public void OnFootfallAnnotation(int sensorId, long timeNs)
        {
        }
    }
}
