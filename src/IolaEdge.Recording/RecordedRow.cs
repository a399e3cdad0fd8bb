using System.Globalization;
using System.Runtime.InteropServices;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Recording;

/// <summary>What one data row of a recording CSV holds.</summary>
public enum RecordedRowKind
{
    /// <summary>An accelerometer sample (<c>eventType</c> = <c>sample</c>).</summary>
    Sample,

    /// <summary>A ground-truth footfall annotation (<c>footfall</c>, <c>FOOTFALL</c> in the acceleration columns).</summary>
    Footfall,

    /// <summary>A detector output written by IolaEdge (<c>detection</c>); never used as truth.</summary>
    Detection,
}

/// <summary>One parsed data row of a recording CSV.</summary>
/// <param name="Kind">Which kind of row it was.</param>
/// <param name="Sample">The sample (only meaningful for <see cref="RecordedRowKind.Sample"/>).</param>
/// <param name="TimeNs">Row time in session-clock ns: the <c>timestamp</c> column (epoch ms) × 1e6.</param>
/// <param name="SensorId">The <c>sensorId</c> column, or 0 when absent.</param>
/// <param name="Score">The <c>score</c> column of detection rows, or 0.</param>
/// <param name="LineNumber">1-based line number in the file (the header is line 1).</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct RecordedRow(
    RecordedRowKind Kind,
    ImuSample Sample,
    long TimeNs,
    int SensorId,
    float Score,
    long LineNumber);

/// <summary>Why a recording CSV line was skipped.</summary>
public enum RecordingCsvError
{
    /// <summary>Fewer fields than the header requires.</summary>
    MissingFields,

    /// <summary>The <c>timestamp</c> field is not a number of milliseconds.</summary>
    BadTimestamp,

    /// <summary>An acceleration field is not a finite number.</summary>
    BadAcceleration,

    /// <summary>The <c>eventType</c> is not <c>sample</c>, <c>footfall</c> or <c>detection</c>.</summary>
    UnknownEventType,

    /// <summary>An optional column (<c>sequenceNumber</c>, <c>sensorTimeNs</c>, <c>sensorId</c>, <c>score</c>) is not a number.</summary>
    BadOptionalField,

    /// <summary>The line is longer than the reader's buffer.</summary>
    LineTooLong,

    /// <summary>The gyroscope fields of a sample row are neither three finite numbers nor all empty.</summary>
    BadAngularVelocity,
}

/// <summary>A skipped line: where and why.</summary>
/// <param name="LineNumber">1-based line number (the header is line 1).</param>
/// <param name="Error">The reason.</param>
/// <param name="Column">The column whose field is wrong, when one is.</param>
/// <param name="Value">
/// The offending text (at most 32 characters; the number of fields for <see cref="RecordingCsvError.MissingFields"/>),
/// kept only for the lines the reader remembers.
/// </param>
public readonly record struct RecordingCsvMalformedLine(long LineNumber, RecordingCsvError Error, string? Column = null, string? Value = null)
{
    /// <summary>
    /// The line and what is wrong with it, in words a user can act on:
    /// <c>line 7: eventType 'smaple' is not sample, footfall or detection</c>.
    /// </summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"line {LineNumber}: {Problem()}");

    private string Problem()
    {
        string field = Value is null ? Column ?? "a field" : $"{Column} '{Value}'";
        return Error switch
        {
            RecordingCsvError.MissingFields => Value is null ? "fewer fields than the header's columns" : $"{Value} fields, fewer than the header's columns",
            RecordingCsvError.BadTimestamp => $"{field} is not a time in ms",
            RecordingCsvError.BadAcceleration => $"{field} is not a finite number of g",
            RecordingCsvError.UnknownEventType => $"{field} is not sample, footfall or detection",
            RecordingCsvError.BadOptionalField => $"{field} is not a number",
            RecordingCsvError.LineTooLong => "longer than the reader's 64 KiB buffer",
            RecordingCsvError.BadAngularVelocity => $"{field} must be three finite numbers (°/s) or all three empty",
            _ => Error.ToString(),
        };
    }
}
