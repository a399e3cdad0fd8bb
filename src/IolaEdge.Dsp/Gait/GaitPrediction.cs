namespace IolaEdge.Dsp.Gait;

/// <summary>A footfall the <see cref="GaitPhaseTracker"/> expects, made from the swing in progress.</summary>
/// <param name="PredictedTimeNs">Session time the foot is expected to land at.</param>
/// <param name="CueTimeNs">Sensor time of the sample whose swing signature made the prediction (the decision).</param>
/// <param name="ArrivalTimeNs">Arrival time of that sample.</param>
/// <param name="Gait">The tracker's estimate when the prediction was made.</param>
public readonly record struct GaitPrediction(long PredictedTimeNs, long CueTimeNs, long ArrivalTimeNs, GaitStamp Gait);
