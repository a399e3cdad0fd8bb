namespace IolaEdge.Dsp.Samples;

/// <summary>What a <see cref="FootfallEvent"/> stands for.</summary>
public enum FootfallEventKind : byte
{
    /// <summary>A footfall the detector found; <see cref="FootfallEvent.FootfallTimeNs"/> is where it placed it.</summary>
    Detected = 0,

    /// <summary>A footfall the gait tracker expects at <see cref="FootfallEvent.FootfallTimeNs"/> (= <see cref="FootfallEvent.PredictedTimeNs"/>), made during the swing before it.</summary>
    Predicted = 1,

    /// <summary>A predicted note whose footfall was not detected within the confirmation window.</summary>
    Unconfirmed = 2,
}

/// <summary>What made the MIDI note of a footfall.</summary>
public enum NoteTrigger : byte
{
    /// <summary>No note yet (the event has not been through the MIDI engine).</summary>
    None = 0,

    /// <summary>The detection (after the footfall: the <c>detect</c> trigger, or <c>predict</c>'s fallback).</summary>
    Detected = 1,

    /// <summary>The prediction, scheduled for the predicted time minus the output latency.</summary>
    Predicted = 2,
}
