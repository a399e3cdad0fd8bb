using System.Globalization;
using IolaEdge.Midi.Engine;
using IolaEdge.Recording;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// The end-of-run books: for samples, file rows, footfalls, events per consumer and recorder rows, what came in
/// equals what was processed plus what was dropped, by reason. Printed with every summary (see docs/daemon.md).
/// </summary>
internal static class RunAccounting
{
    /// <summary>The lines, one per kind of item.</summary>
    /// <param name="s">The run's counters.</param>
    /// <param name="file">The replayed file, or null for other sources.</param>
    /// <param name="firstMalformed">The first malformed line of the file ("line 7: …"), or null.</param>
    /// <param name="malformedByReason">Malformed lines per <see cref="RecordingCsvError"/>.</param>
    public static IEnumerable<string> Lines(RunStatistics s, CsvImuSource? file, string? firstMalformed, IReadOnlyList<long> malformedByReason)
    {
        long received = s.Sink.Accepted + s.Sink.Dropped;
        long pending = s.Sink.Accepted - s.Core.Taken;
        yield return Invariant(
            $"Samples: {received} received = {s.Core.Samples} processed + {s.Sink.Dropped + s.Core.Rejected + s.Core.Implausible} dropped (ring full {s.Sink.Dropped}, sensor id out of range {s.Core.Rejected}, implausible value {s.Core.Implausible}){(pending > 0 ? $" + {pending} still queued" : "")}; time went backwards {s.Core.BackwardsSteps} times, {s.Core.GapResets} gaps over {Pipeline.PipelineCore.GapResetNs / 1e9:0} s (each restarts the sensor's detector)");

        if (file is not null)
        {
            long rows = file.SamplesDelivered + file.AnnotationsDelivered + file.DetectionRowsSkipped + file.MalformedLines;
            yield return Invariant(
                $"File rows: {rows} read = {file.SamplesDelivered} samples + {file.AnnotationsDelivered} footfall marks + {file.DetectionRowsSkipped} detection rows (not replayed) + {file.MalformedLines} malformed{Reasons(malformedByReason)}{(firstMalformed is null ? "" : $", first: {firstMalformed}")}");
        }

        if (s.Output.Engine is { } engine)
        {
            yield return Invariant(
                $"Footfalls: {s.Core.Footfalls} detected = {engine.Enqueued} queued for MIDI + {engine.EnqueueDrops} dropped (MIDI queue full); {engine.Processed} written by the MIDI thread");
            StampedEvents stamped = engine.Written;
            yield return Invariant(
                $"MIDI stamps: {stamped.NotesSent + stamped.NotesUnsent + stamped.StampsExpired + stamped.WithoutNote} events read = {stamped.NotesSent} with the note's sent time + {stamped.NotesUnsent} note not sent (port absent, queue full or send failed) + {stamped.StampsExpired} sent time not reported in time + {stamped.WithoutNote} without a note; {stamped.Dropped} dropped (stamped-event queue full)");
        }
        else
        {
            yield return Invariant($"Footfalls: {s.Core.Footfalls} detected, {s.Output.Dropped} dropped by the output");
        }

        List<string> consumers = [];
        foreach ((string name, long delivered, long failed, long dropped) in s.FanOut.Accounts)
        {
            consumers.Add(Invariant($"{name} {delivered}{(failed > 0 ? $" + {failed} failed" : "")}{(dropped > 0 ? $" + {dropped} dropped (queue full)" : "")}"));
        }

        yield return Invariant($"Events: {s.FanOut.Published} published; per consumer: {string.Join(", ", consumers)}");

        if (s.Recorder is { } recorder)
        {
            yield return Invariant(
                $"Recording rows: {recorder.Offered} offered = {recorder.RowsWritten} written + {recorder.Dropped} dropped (queue full) + {recorder.NotRecorded} not recorded (recorder not running) + {recorder.LostOnFailure} lost on the I/O error");
        }
    }

    private static string Reasons(IReadOnlyList<long> byReason)
    {
        List<string> parts = [];
        for (int i = 0; i < byReason.Count; i++)
        {
            if (byReason[i] > 0)
            {
                parts.Add(Invariant($"{(RecordingCsvError)i} {byReason[i]}"));
            }
        }

        return parts.Count == 0 ? string.Empty : " (" + string.Join(", ", parts) + ")";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
