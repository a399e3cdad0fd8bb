using System.Runtime.InteropServices;

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
    {
        SensorId = sensorId;
        Sequence = sequence;
        FootfallTimeNs = footfallTimeNs;
        PacketArrivalTimeNs = packetArrivalTimeNs;
        DecisionTimeNs = decisionTimeNs;
        Score = score;
        Strength = strength;
        MidiWriteTimeNs = midiWriteTimeNs;
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

    /// <summary>Monotonic time at which the MIDI bytes were handed to the OS (0 until written).</summary>
    public long MidiWriteTimeNs { get; }

    /// <summary>Decision sample time minus footfall sample time: what the algorithm waits for.</summary>
    public long AlgorithmicLatencyNs => DecisionTimeNs - FootfallTimeNs;

    /// <summary>MIDI write minus packet arrival: what the process adds (0 until written).</summary>
    public long ProcessingLatencyNs => MidiWriteTimeNs == 0 ? 0 : MidiWriteTimeNs - PacketArrivalTimeNs;

    /// <summary>Returns a copy stamped with the MIDI write time.</summary>
    public FootfallEvent WithMidiWriteTime(long midiWriteTimeNs) =>
        new(SensorId, Sequence, FootfallTimeNs, PacketArrivalTimeNs, DecisionTimeNs, Score, Strength, midiWriteTimeNs);
}
