using System.Runtime.InteropServices;
using IolaEdge.Dsp.Gait;

namespace IolaEdge.Dsp.Samples;

/// <summary>
/// A detected footfall with the latency stamps carried to every output (log, files, MIDI, histograms).
/// </summary>
/// <remarks>All times are session-clock nanoseconds (see <see cref="ImuSample"/>).</remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct FootfallEvent
{
    /// <summary>Creates an event; <see cref="MidiWriteTimeNs"/> starts at 0 and is set by the MIDI writer.</summary>
    public FootfallEvent(int sensorId, long sequence, long footfallTimeNs, long packetArrivalTimeNs,
        long decisionTimeNs, float score, float strength, long midiWriteTimeNs = 0)
        : this(sensorId, sequence, footfallTimeNs, packetArrivalTimeNs, decisionTimeNs, score, strength, midiWriteTimeNs,
            FootfallEventKind.Detected, 0, NoteTrigger.None, default)
    {
    }

    /// <summary>Creates an event with its kind, prediction stamp, note trigger and the gait estimate it was made under.</summary>
    public FootfallEvent(int sensorId, long sequence, long footfallTimeNs, long packetArrivalTimeNs,
        long decisionTimeNs, float score, float strength, long midiWriteTimeNs,
        FootfallEventKind kind, long predictedTimeNs, NoteTrigger trigger, GaitStamp gait)
    {
        SensorId = sensorId;
        Sequence = sequence;
        FootfallTimeNs = footfallTimeNs;
        PacketArrivalTimeNs = packetArrivalTimeNs;
        DecisionTimeNs = decisionTimeNs;
        Score = score;
        Strength = strength;
        MidiWriteTimeNs = midiWriteTimeNs;
        Kind = kind;
        PredictedTimeNs = predictedTimeNs;
        Trigger = trigger;
        Gait = gait;
    }

    /// <summary>Sensor that produced the footfall.</summary>
    public int SensorId { get; }

    /// <summary>Running count of footfalls for this sensor, from 0.</summary>
    public long Sequence { get; }

    /// <summary>Sensor time of the sample the detector places the footfall at.</summary>
    public long FootfallTimeNs { get; }

    /// <summary>Arrival time of the packet whose sample completed the decision.</summary>
    public long PacketArrivalTimeNs { get; }

    /// <summary>Sensor time of the sample at which the decision was made (algorithmic clock).</summary>
    public long DecisionTimeNs { get; }

    /// <summary>Detector confidence in [0, 1].</summary>
    public float Score { get; }

    /// <summary>Impact strength in g (peak |a| deviation near the footfall); drives MIDI velocity.</summary>
    public float Strength { get; }

    /// <summary>Monotonic time at which the note's MIDI bytes left the process: the live port's send (rtmidi send or
    /// <c>write(2)</c>) returned, or the MIDI file writer took them; 0 until then, and 0 when the port never took them.</summary>
    public long MidiWriteTimeNs { get; }

    /// <summary>Monotonic time at which the MIDI thread handed the note to its output (for a live port: queued for the port's
    /// sender thread); 0 before. The latency up to here is <see cref="QueuedLatencyNs"/>.</summary>
    public long MidiQueuedTimeNs { get; init; }

    /// <summary>What the event is: a detection (default), a prediction, or a predicted note whose footfall never came.</summary>
    public FootfallEventKind Kind { get; }

    /// <summary>Session time the gait tracker predicted this footfall at (0: no prediction).</summary>
    public long PredictedTimeNs { get; }

    /// <summary>Which of the two made the MIDI note (set by the MIDI engine; <see cref="NoteTrigger.None"/> before).</summary>
    public NoteTrigger Trigger { get; }

    /// <summary>The gait tracker's estimate when the event was made (stride period, state, uncertainty).</summary>
    public GaitStamp Gait { get; }

    /// <summary>Sensor time of the detected footfall, or 0 when none was detected (an unconfirmed prediction) or not yet (a prediction).</summary>
    public long DetectedTimeNs => Kind == FootfallEventKind.Detected ? FootfallTimeNs : 0;

    /// <summary>Decision sample time minus footfall sample time: what the algorithm waits for.</summary>
    public long AlgorithmicLatencyNs => DecisionTimeNs - FootfallTimeNs;

    /// <summary>MIDI write minus packet arrival: what the process adds up to the bytes leaving it (0 until written).</summary>
    public long ProcessingLatencyNs => MidiWriteTimeNs == 0 ? 0 : MidiWriteTimeNs - PacketArrivalTimeNs;

    /// <summary>MIDI queued minus packet arrival: the process up to the MIDI thread's hand-off to the output (0 before).</summary>
    public long QueuedLatencyNs => MidiQueuedTimeNs == 0 ? 0 : MidiQueuedTimeNs - PacketArrivalTimeNs;

    /// <summary>Returns a copy stamped with the MIDI write time.</summary>
    public FootfallEvent WithMidiWriteTime(long midiWriteTimeNs) =>
        new(SensorId, Sequence, FootfallTimeNs, PacketArrivalTimeNs, DecisionTimeNs, Score, Strength, midiWriteTimeNs, Kind, PredictedTimeNs, Trigger, Gait) { MidiQueuedTimeNs = MidiQueuedTimeNs };

    /// <summary>Returns a copy with the note stamps: which trigger made the note, when it was written, and the prediction it matched.</summary>
    public FootfallEvent WithNote(NoteTrigger trigger, long midiWriteTimeNs, long predictedTimeNs) =>
        new(SensorId, Sequence, FootfallTimeNs, PacketArrivalTimeNs, DecisionTimeNs, Score, Strength, midiWriteTimeNs, Kind, predictedTimeNs, trigger, Gait) { MidiQueuedTimeNs = MidiQueuedTimeNs };

    /// <summary>Returns a copy carrying the gait tracker's estimate.</summary>
    public FootfallEvent WithGait(GaitStamp gait) =>
        new(SensorId, Sequence, FootfallTimeNs, PacketArrivalTimeNs, DecisionTimeNs, Score, Strength, MidiWriteTimeNs, Kind, PredictedTimeNs, Trigger, gait) { MidiQueuedTimeNs = MidiQueuedTimeNs };

    /// <summary>Returns a copy with another packet arrival time (replays restamp it on the monotonic clock).</summary>
    public FootfallEvent WithArrival(long packetArrivalTimeNs) =>
        new(SensorId, Sequence, FootfallTimeNs, packetArrivalTimeNs, DecisionTimeNs, Score, Strength, MidiWriteTimeNs, Kind, PredictedTimeNs, Trigger, Gait) { MidiQueuedTimeNs = MidiQueuedTimeNs };
}
