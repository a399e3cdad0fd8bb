using System.Globalization;
using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth;

/// <summary>Counters and state of one sensor at one moment (for the run summary and logs).</summary>
public sealed record BleSensorSnapshot
{
    /// <summary>Sensor id on the samples.</summary>
    public required int SensorId { get; init; }

    /// <summary>Label, address or name.</summary>
    public required string Name { get; init; }

    /// <summary>Connection-cycle state.</summary>
    public required BleSensorState State { get; init; }

    /// <summary>Accelerometer found on the board (Unknown before the first identification).</summary>
    public required AccelerometerChip Chip { get; init; }

    /// <summary>Whether the packed stream is in use.</summary>
    public required bool Packed { get; init; }

    /// <summary>Whether the sample-counter stream is in use (then losses are exact).</summary>
    public bool SampleCounter { get; init; }

    /// <summary>Samples the board counted that never arrived (sample-counter stream; 0 otherwise).</summary>
    public long LostSamples { get; init; }

    /// <summary>Samples delivered to the sink (including those the sink dropped).</summary>
    public required long Samples { get; init; }

    /// <summary>Notifications decoded.</summary>
    public required long Packets { get; init; }

    /// <summary>Notifications rejected (all reasons).</summary>
    public required long Rejected { get; init; }

    /// <summary>Rejected as truncated, partial-sample, oversized, unexpected header, malformed message.</summary>
    public required IReadOnlyDictionary<PacketRejectReason, long> RejectedByReason { get; init; }

    /// <summary>Samples the sink refused (ring full).</summary>
    public required long SinkDrops { get; init; }

    /// <summary>Inter-notification intervals above the gap threshold while streaming.</summary>
    public required long ArrivalGaps { get; init; }

    /// <summary>
    /// Sample-counter notifications that arrived before their counted time: the time base had run ahead of the
    /// arrivals and was pulled back (a quarter period each). Many of them mean the bus thread reads in bursts.
    /// </summary>
    public long TimeBasePullBacks { get; init; }

    /// <summary>Times streaming started (first connect included).</summary>
    public required long StreamStarts { get; init; }

    /// <summary>Links lost while streaming (out of range, powered off, device removed, BlueZ restarted).</summary>
    public required long LinkLosses { get; init; }

    /// <summary>Connection cycles that failed before streaming.</summary>
    public required long FailedAttempts { get; init; }

    /// <summary>Sum of stream interruptions: link lost → streaming again, in ms.</summary>
    public required double InterruptedMs { get; init; }

    /// <summary>Gyroscope streamed beside the accelerometer (None: acceleration only).</summary>
    public GyroscopeChip Gyroscope { get; init; }

    /// <summary>Gyroscope samples decoded (counted stream, like <see cref="Samples"/>).</summary>
    public long GyroscopeSamples { get; init; }

    /// <summary>Gyroscope samples the board counted that never arrived (exact).</summary>
    public long GyroscopeLostSamples { get; init; }

    /// <summary>Gyroscope notifications decoded.</summary>
    public long GyroscopePackets { get; init; }

    /// <summary>Accelerometer samples passed on with their gyroscope partner (angular velocity present).</summary>
    public long PairedSamples { get; init; }

    /// <summary>Accelerometer samples passed on without angular velocity while the gyroscope streamed (before pairing locked, partner lost, gyroscope stalled).</summary>
    public long AccelerationOnlySamples { get; init; }

    /// <summary>Accelerometer samples waiting for their partner at the snapshot.</summary>
    public long HeldSamples { get; init; }

    /// <summary>Gyroscope samples that found no accelerometer sample (its partner lost, or before pairing locked).</summary>
    public long UnmatchedGyroscopeSamples { get; init; }

    /// <summary>Gyroscope samples waiting for their partner at the snapshot.</summary>
    public long WaitingGyroscopeSamples { get; init; }

    /// <summary>The largest |ω| of the samples passed on with angular velocity on this connection (°/s).</summary>
    public double LargestAngularSpeedDps { get; init; }

    /// <summary>The largest |a| of those samples (g).</summary>
    public double LargestPairedAccelerationG { get; init; }

    /// <summary>
    /// Whether the foot has moved hard (|a| at least 3 g, a step's landing) while the gyroscope never turned past 50 °/s:
    /// a walking foot swings at hundreds, so the gyroscope is stuck (a BMI270 whose configuration did not load
    /// streams zeros) and the detectors find footfalls from the acceleration alone.
    /// </summary>
    public bool GyroscopeNotTurning => PairedSamples > 0 && LargestPairedAccelerationG >= MovingFootG && LargestAngularSpeedDps < TurningFootDps;

    /// <summary>|a| (g) beyond which a foot has moved hard enough that it must have turned.</summary>
    public const double MovingFootG = 3;

    /// <summary>|ω| (°/s) that any foot moving that hard passes.</summary>
    public const double TurningFootDps = 50;

    /// <summary>The battery as last read over the link (figures null while unknown).</summary>
    public BleBatterySnapshot Battery { get; init; } = BleBatterySnapshot.None;

    /// <summary>Last error text, or null.</summary>
    public string? LastError { get; init; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ble[{SensorId}] {Name}: {State.Word()}, {Chip}{(SampleCounter ? " sample counter" : Packed ? " packed" : " plain")}, samples {Samples}{(SampleCounter ? $", lost {LostSamples}" : string.Empty)}, packets {Packets}, rejected {Rejected}, sink drops {SinkDrops}, arrival gaps {ArrivalGaps}{(SampleCounter ? $", pulled back {TimeBasePullBacks}" : string.Empty)}, streams {StreamStarts}, link losses {LinkLosses}, failed attempts {FailedAttempts}, interrupted {InterruptedMs:F0} ms{(Gyroscope == GyroscopeChip.None ? string.Empty : $", gyroscope {Gyroscope}: samples {GyroscopeSamples}, lost {GyroscopeLostSamples}, packets {GyroscopePackets}, paired {PairedSamples}, acceleration only {AccelerationOnlySamples}, unmatched gyroscope {UnmatchedGyroscopeSamples}, largest |ω| {LargestAngularSpeedDps:0} °/s")}, {Battery}{(LastError is null ? string.Empty : ", last error: " + LastError)}");
}
