using IolaEdge.Recording;
using IolaEdge.Simulation;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>Writes a short walk as a recording CSV (seed format), with its truth footfall rows.</summary>
internal static class SmallRecording
{
    /// <summary>Writes about <paramref name="seconds"/> of walking to <paramref name="path"/>; returns the truth footfall count.</summary>
    public static int Write(string path, double seconds, int seed)
    {
        WalkOptions walk = new() { Seed = seed, Duration = TimeSpan.FromSeconds(seconds) };
        WalkSimulator simulator = new(walk, DeliveryOptions.Seed);
        using RecordingCsvWriter writer = RecordingCsvWriter.Create(path, angularVelocity: walk.Gyroscope);
        int footfalls = 0;
        while (simulator.TryNext(out SimulatedSample s))
        {
            while (simulator.TryTakeFootfall(s.Sample.ArrivalTimeNs, out long footfallNs))
            {
                writer.WriteFootfall(0, footfallNs);
                footfalls++;
            }

            writer.WriteSample(s.Sample);
        }

        return footfalls;
    }
}
