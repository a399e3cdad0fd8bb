using IolaEdge.Dsp.Samples;
using IolaEdge.Simulation;

namespace IolaEdge.Dsp.Tests.Support;

/// <summary>Runs the walk simulator to the end: its samples as delivered and its truth footfalls.</summary>
internal static class SimulatedWalk
{
    public static (ImuSample[] Samples, long[] Truth) Record(WalkOptions walk, DeliveryOptions delivery)
    {
        WalkSimulator sim = new(walk, delivery);
        List<ImuSample> samples = [];
        while (sim.TryNext(out SimulatedSample s))
        {
            samples.Add(s.Sample);
        }

        List<long> truth = [];
        while (sim.TryTakeFootfall(out long f))
        {
            truth.Add(f);
        }

        return ([.. samples], [.. truth]);
    }
}
