using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;

namespace IolaEdge.Daemon.Tests.Support;

/// <summary>Simulated walks as sample arrays, for tests that drive the pipeline by hand.</summary>
internal static class Walks
{
    /// <summary>A seeded walk over an ideal link: true sensor times, arrival stamps on the walk's own (epoch) clock.</summary>
    public static ImuSample[] Samples(long seed, double seconds, int sensorId = 0)
    {
        WalkSimulator simulator = new(new WalkOptions { Seed = seed, Duration = TimeSpan.FromSeconds(seconds), Pauses = false }, DeliveryOptions.Ideal,
            sensorId: sensorId) { SetSensorTimes = true };
        List<ImuSample> samples = [];
        while (simulator.TryNext(out SimulatedSample s))
        {
            samples.Add(s.Sample);
        }

        return [.. samples];
    }
}
