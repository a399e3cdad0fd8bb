using System.Globalization;
using IolaEdge.Recording;
using Serilog;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// The text a run prints about itself: progress lines, the summary (on SIGUSR1 and at the end) with the books
/// of <see cref="RunAccounting"/>, and the malformed lines of a replayed file, which it counts as they are read.
/// </summary>
internal sealed class RunSummary
{
    private readonly ILogger _log;
    private readonly long[] _malformedByReason = new long[Enum.GetValues<RecordingCsvError>().Length];
    private CsvImuSource? _file;
    private string? _firstMalformed;

    /// <summary>Writes to <paramref name="log"/>.</summary>
    public RunSummary(ILogger log) => _log = log;

    /// <summary>The first malformed line of the replayed file (<c>line 7: …</c>), or null.</summary>
    public string? FirstMalformed => Volatile.Read(ref _firstMalformed);

    /// <summary>Counts the malformed lines of <paramref name="file"/> (the replayed file, or null for other sources).</summary>
    public void Watch(CsvImuSource? file)
    {
        _file = file;
        if (file is not null)
        {
            file.MalformedLine += OnMalformedLine;
        }
    }

    /// <summary>One progress line: counters, cadence and the health of the live parts.</summary>
    public void PrintProgress(RunStatistics s)
    {
        string health = s.Health is { Status.Length: > 0 } monitor ? "; " + monitor.Status : string.Empty;
        _log.Information("Progress: {Samples} samples, {Footfalls} footfalls, {Drops} drops, cadence {Cadence} footfalls/min{Health}",
            s.Core.Samples, s.Core.Footfalls, s.TotalDrops, FormatCadence(s.Histograms.CadenceStepsPerMinute), health);
    }

    /// <summary>The summary: counters and latency, the books, the health of the live parts and the recording.</summary>
    /// <param name="s">The run's counters.</param>
    /// <param name="reason">Why now: <c>end of run</c>, <c>stopped by signal</c>, <c>SIGUSR1</c>.</param>
    public void Print(RunStatistics s, string reason)
    {
        _log.Information(
            "Summary ({Reason}): {Samples} samples, {Footfalls} footfalls, {Annotations} annotated footfalls, drops: ring {RingDrops}, MIDI {MidiDrops}, consumers {ConsumerDrops}, rejected {Rejected}; cadence {Cadence} footfalls/min; pipeline thread allocated {AllocatedBytes} bytes\nLatency (ms):\n{Latency}",
            reason, s.Core.Samples, s.Core.Footfalls, s.Sink.Annotations, s.Sink.Dropped, s.Output.Dropped, s.FanOut.TotalDropped,
            s.Core.Rejected, FormatCadence(s.Histograms.CadenceStepsPerMinute), s.Thread.AllocatedBytes, s.Histograms.Describe());
        foreach (string line in RunAccounting.Lines(s, _file, FirstMalformed, _malformedByReason))
        {
            _log.Information("{Accounting}", line);
        }

        foreach (string line in s.Health?.SummaryLines() ?? [])
        {
            _log.Information("{HealthSummary}", line);
        }

        if (s.Recorder is { } recorder)
        {
            _log.Information(
                "Recording: {RowsWritten} rows written, {RecordingDropped} dropped (queue full), {NotRecorded} not recorded, state {RecordingState}{Stopped}, files: {RecordingFiles}",
                recorder.RowsWritten, recorder.Dropped, recorder.NotRecorded, recorder.State,
                recorder.Failures > 0 ? $" (recording stopped on an I/O error: {recorder.FailureReason}; detection and MIDI carried on)" : "",
                recorder.CurrentFile ?? (recorder.Files.Count > 0 ? string.Join(", ", recorder.Files) : "none"));
        }
    }

    private void OnMalformedLine(RecordingCsvMalformedLine line)
    {
        // The first one says what is wrong with the file; the rest are counted (summary, "File rows").
        Interlocked.Increment(ref _malformedByReason[(int)line.Error]);
        if (Interlocked.CompareExchange(ref _firstMalformed, line.Describe(), null) is null)
        {
            _log.Warning("{Source}: skipped malformed {Line}; further malformed lines are counted in the summary",
                _file?.Description, line.Describe());
        }
    }

    private static string FormatCadence(double stepsPerMinute) =>
        double.IsNaN(stepsPerMinute) ? "-" : stepsPerMinute.ToString("0", CultureInfo.InvariantCulture);
}
