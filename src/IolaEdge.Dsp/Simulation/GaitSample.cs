namespace IolaEdge.Dsp.Simulation;

/// <summary>One sample as the sensor took it: its index, exact time and reading (sensor frame, g).</summary>
internal readonly record struct GaitSample(long Index, long TimeNs, float X, float Y, float Z);
