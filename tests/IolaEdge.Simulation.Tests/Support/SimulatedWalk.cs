using IolaEdge.Simulation;

namespace IolaEdge.Simulation.Tests.Support;

/// <summary>Runs a simulator to the end and keeps its output and truth.</summary>
internal sealed class SimulatedWalk
{
    private SimulatedWalk(WalkSimulator simulator, List<SimulatedSample> samples, List<long> footfalls)
    {
        Simulator = simulator;
        Samples = samples;
        Footfalls = footfalls;
    }

    public WalkSimulator Simulator { get; }

    public List<SimulatedSample> Samples { get; }

    public List<long> Footfalls { get; }

    public static SimulatedWalk Run(WalkOptions walk, DeliveryOptions delivery, bool truthTimes = false)
    {
        WalkSimulator sim = new(walk, delivery) { SetSensorTimes = truthTimes };
        List<SimulatedSample> samples = [];
        List<long> footfalls = [];
        while (sim.TryNext(out SimulatedSample s))
        {
            samples.Add(s);
        }

        while (sim.TryTakeFootfall(out long f))
        {
            footfalls.Add(f);
        }

        return new SimulatedWalk(sim, samples, footfalls);
    }

    public DeliverySummary Delivery()
    {
        DeliveryStatistics stats = new();
        foreach (SimulatedSample s in Samples)
        {
            stats.Add(s.Sample.ArrivalTimeNs);
        }

        return stats.Summarize();
    }
}
