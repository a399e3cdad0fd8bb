using IolaEdge.Dsp.Samples;

namespace IolaEdge.Simulation;

/// <summary>A delivered sample together with the simulator's truth about it.</summary>
/// <param name="Sample">What a source would deliver: arrival time and running sequence set, sensor time 0 unless asked for.</param>
/// <param name="TruthSensorTimeNs">When the sensor really took the sample (session-clock ns).</param>
/// <param name="TruthIndex">The sensor's own sample index (its gaps are the lost samples).</param>
public readonly record struct SimulatedSample(ImuSample Sample, long TruthSensorTimeNs, long TruthIndex);
