using IolaEdge.Daemon.Hosting;

namespace IolaEdge.Daemon.Soak;

/// <summary>Everything a finished soak measured: the input of <see cref="SoakChecks.Evaluate"/>.</summary>
/// <param name="Plan">What was asked.</param>
/// <param name="Samples">Resource samples in time order: one as the source started, one per progress tick, one after the drain (last).</param>
/// <param name="SourceSeconds">Wall seconds from the source's start to its stop (the drain excluded).</param>
/// <param name="End">Why the source stopped.</param>
/// <param name="StartNs">Monotonic time the source started (time zero of the samples).</param>
/// <param name="Footfalls">Every footfall's latencies and arrival time.</param>
internal sealed record SoakRun(SoakPlan Plan, IReadOnlyList<ResourceSample> Samples, double SourceSeconds, RunEnd End, long StartNs,
    IReadOnlyList<LatencyPoint> Footfalls)
{
    /// <summary>The counters after the drain (the last sample's).</summary>
    public RunSnapshot Final => Samples[^1].Run;
}
