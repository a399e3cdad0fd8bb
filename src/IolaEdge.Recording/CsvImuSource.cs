using System.Diagnostics;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Recording;

/// <summary>
/// Replays a recording CSV into a sink: samples and footfall annotations, in file order, with the
/// file's epoch clock as session clock (arrival ns = timestamp ms × 1e6).
/// </summary>
/// <remarks>
/// <para><see cref="SpeedFactor"/> 0 replays as fast as the sink takes samples; a positive factor
/// keeps the recorded pace scaled by it (1 = real time, 2 = twice as fast). Pacing follows the
/// arrival timestamps, so the recording's bursts are reproduced. Detection rows are not replayed.</para>
/// <para>A full sink drops samples (it counts them); as-fast-as-possible replay into a bounded ring
/// therefore needs a consumer that keeps up, or a paced replay.</para>
/// </remarks>
public sealed class CsvImuSource : IImuSource
{
    /// <summary>A jump of the file's clock beyond this (forwards), or any step backwards, restarts the pacing:
    /// a paced replay waits at most this long (scaled by the speed) across a gap, never the gap itself, ns.</summary>
    public const long MaxPacedGapNs = 5_000_000_000;

    private readonly string _path;
    private long _malformed;
    private long _samples;
    private long _annotations;
    private long _detectionRows;

    /// <summary>Creates a replay of <paramref name="path"/>.</summary>
    /// <param name="path">Recording CSV file.</param>
    /// <param name="speedFactor">0 for as fast as possible, else the pace multiplier (&gt; 0, finite).</param>
    /// <exception cref="ArgumentOutOfRangeException">Negative or non-finite speed factor.</exception>
    public CsvImuSource(string path, double speedFactor = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!double.IsFinite(speedFactor) || speedFactor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(speedFactor), speedFactor,
                "replay speed factor must be 0 (as fast as possible) or a finite number > 0");
        }

        _path = path;
        SpeedFactor = speedFactor;
    }

    /// <inheritdoc />
    public string Description => SpeedFactor == 0 ? $"file:{_path}" : $"file:{_path}@x{SpeedFactor:0.###}";

    /// <summary>Pace multiplier; 0 means as fast as possible.</summary>
    public double SpeedFactor { get; }

    /// <summary>Malformed lines skipped by the last run.</summary>
    public long MalformedLines => Volatile.Read(ref _malformed);

    /// <summary>Samples delivered by the last run (accepted or dropped by the sink).</summary>
    public long SamplesDelivered => Volatile.Read(ref _samples);

    /// <summary>Footfall annotations delivered by the last run.</summary>
    public long AnnotationsDelivered => Volatile.Read(ref _annotations);

    /// <summary>Detection rows skipped by the last run (a recording's own detections are not replayed).</summary>
    public long DetectionRowsSkipped => Volatile.Read(ref _detectionRows);

    /// <summary>Raised for every malformed line (line number and reason), on the reading thread.</summary>
    public event Action<RecordingCsvMalformedLine>? MalformedLine;

    /// <inheritdoc />
    public async Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using RecordingCsvReader reader = RecordingCsvReader.Open(_path);
        reader.MalformedLine += OnMalformed;
        Volatile.Write(ref _malformed, 0);
        Volatile.Write(ref _samples, 0);
        Volatile.Write(ref _annotations, 0);
        Volatile.Write(ref _detectionRows, 0);
        long firstNs = long.MinValue;
        long previousNs = long.MinValue;
        long startTicks = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested && reader.TryRead(out RecordedRow record))
        {
            if (record.Kind == RecordedRowKind.Detection)
            {
                Interlocked.Increment(ref _detectionRows);
                continue;
            }

            if (SpeedFactor > 0)
            {
                if (firstNs == long.MinValue)
                {
                    firstNs = record.TimeNs;
                }
                else if (record.TimeNs < previousNs || record.TimeNs - previousNs > MaxPacedGapNs)
                {
                    // Time went backwards (a spliced file) or jumped far ahead: pace from here afresh. Waiting out a
                    // day-long gap would hang the replay (and a delay beyond 49.7 days throws); wait the capped gap.
                    long gapNs = Math.Clamp(record.TimeNs - previousNs, 0, MaxPacedGapNs);
                    if (gapNs > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(gapNs / 1e9 / SpeedFactor), cancellationToken).ConfigureAwait(false);
                    }

                    firstNs = record.TimeNs;
                    startTicks = Stopwatch.GetTimestamp();
                }

                previousNs = record.TimeNs;
                double dueSeconds = (record.TimeNs - firstNs) / 1e9 / SpeedFactor;
                double waitSeconds = dueSeconds - Stopwatch.GetElapsedTime(startTicks).TotalSeconds;
                if (waitSeconds > 0.001)
                {
                    await Task.Delay(TimeSpan.FromSeconds(waitSeconds), cancellationToken).ConfigureAwait(false);
                }
            }

            if (record.Kind == RecordedRowKind.Sample)
            {
                sink.OnSample(record.Sample);
                Interlocked.Increment(ref _samples);
            }
            else
            {
                sink.OnFootfallAnnotation(record.SensorId, record.TimeNs);
                Interlocked.Increment(ref _annotations);
            }
        }
    }

    private void OnMalformed(RecordingCsvMalformedLine line)
    {
        Interlocked.Increment(ref _malformed);
        MalformedLine?.Invoke(line);
    }
}
