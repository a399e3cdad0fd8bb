namespace IolaEdge.Simulation;

/// <summary>How fast a <see cref="SimulatedImuSource"/> delivers.</summary>
public enum SimulationPace
{
    /// <summary>As fast as the sink accepts (offline evaluation, benchmarks).</summary>
    Fast,

    /// <summary>At the simulated arrival times, scaled by the speed factor (live-like tests, demos).</summary>
    RealTime,
}
