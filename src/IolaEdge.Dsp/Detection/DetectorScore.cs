using System.Runtime.InteropServices;

namespace IolaEdge.Dsp.Detection;

/// <summary>A detector's verdict on one sample, consumed by the decision gate.</summary>
/// <param name="SensorId">Sensor the sample came from.</param>
/// <param name="SampleTimeNs">Sensor time of the sample the score refers to.</param>
/// <param name="DecisionTimeNs">Sensor time of the newest sample seen when the score was produced.</param>
/// <param name="ArrivalTimeNs">Arrival time of the packet that carried that newest sample.</param>
/// <param name="SampleScore">Per-sample footfall probability or detector confidence in [0, 1].</param>
/// <param name="WindowScore">Per-window probability in [0, 1] (1 where the detector has no window head).</param>
/// <param name="Strength">Impact strength in g near the sample.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct DetectorScore(
    int SensorId,
    long SampleTimeNs,
    long DecisionTimeNs,
    long ArrivalTimeNs,
    float SampleScore,
    float WindowScore,
    float Strength);
