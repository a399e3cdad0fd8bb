namespace IolaEdge.Simulation;

/// <summary>How the simulated sensor sits on the foot.</summary>
public enum MountingMode
{
    /// <summary>Sensor axes equal the foot axes: x forward, y left, z up.</summary>
    Aligned,

    /// <summary>A rotation drawn uniformly from all of SO(3) (any orientation, upside down included).</summary>
    Random,
}
