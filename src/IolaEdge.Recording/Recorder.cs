// Over 400 lines on purpose: the producer side and the writer thread share one accounting invariant
// (Offered = RowsWritten + Dropped + NotRecorded + LostOnFailure), and keeping both halves of it in one type is what
// lets a reader check it. Files (RecordingFiles) and mark ordering (MarkOrdering) live on their own.
using IolaEdge.Dsp.Rings;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Recording;

/// <summary>
/// Records a session to CSV files (<see cref="RecordingCsvWriter"/>, the seed format plus IolaEdge's
/// columns): producers enqueue rows without blocking, a background thread formats, buffers (the
/// writer's 64 KiB buffer), flushes, rotates and fsyncs.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="OnSample"/> belongs to one producer thread (the source or pipeline
/// thread) and <see cref="OnDetection"/> to one producer thread (the pipeline, or the event fan-out's
/// recording consumer); each writes into its own preallocated SPSC ring and never blocks or allocates. Annotations
/// (<see cref="OnFootfallAnnotation"/>) may come from any thread (GPIO callback, key reader, control
/// socket): they are rare, so their producers share a lock the writer never takes. Everything else
/// runs on the writer thread.</para>
/// <para>Failure: any I/O error (disk full, unwritable directory, removed media) stops recording with
/// one log line; <see cref="Failures"/> becomes 1 and later rows are counted in <see cref="NotRecorded"/>.
/// Producers are never affected.</para>
/// <para>Times: rows are queued in session-clock ns and written as epoch ns (session time plus
/// the epoch offset taken at construction), so a file replays on its own epoch clock like a seed
/// recording. Rotation by size is checked when the buffer goes to the OS, so a file may exceed
/// <see cref="RecorderOptions.MaxFileBytes"/> by up to one buffer (64 KiB).</para>
/// <para>Columns: a file's header is written with its first row, with the gyroscope columns when that
/// row or an earlier one of the session carries angular velocity; a gyroscope sample reaching a file
/// started without them opens a new file (acceleration-only sessions are written as before).</para>
/// <para>Durability: rows reach the OS within <see cref="RecorderOptions.FlushInterval"/> or
/// <see cref="RecorderOptions.FlushEveryRows"/> rows, so a killed process loses about a second;
/// files are fsynced when rotated and at stop.</para>
/// </remarks>
internal sealed class Recorder : IImuSampleSink, IDisposable
{
    private const int MaxSensors = 16;
    private const int AnnotationQueueCapacity = 256;
    private const int DetectionQueueCapacity = 256; // 5 s of footfalls at 4 steps/s for 16 sensors is 320: plenty at 1-2 sensors
    private const int DiskFullErrno = 28; // ENOSPC: IOException.HResult on Unix is the raw errno
    private const int DiskFullHResult = unchecked((int)0x80070070); // ERROR_DISK_FULL on Windows

    private readonly RecorderOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _epochOffsetNs;

    // Producer side.
    private readonly SpscRing<RecorderRow> _rows;
    private readonly SpscRing<RecorderRow> _detections;
    private readonly SpscRing<RecorderRow> _annotations;
    private readonly Lock _annotationLock = new();
    private long _notRecorded;

    // Writer thread only (after Start).
    private readonly RecorderRow[] _batch = new RecorderRow[256];
    private readonly MarkOrdering _marks = new();
    private readonly ManualResetEventSlim _stopRequested = new(false);
    private readonly RecordingFiles _files;
    private Thread? _thread;
    private int _rowsSinceFlush;
    private long _lastFlushTimestamp;

    // Written by the writer thread, read anywhere.
    private volatile RecorderState _state;
    private long _rowsWritten;
    private long _offered;
    private long _lostOnFailure;
    private long _rowsBuffered; // writer thread: rows handed to the CSV writer since the last successful flush
    private string? _failureReason;
    private long _taken; // writer thread: rows taken from the queues (written, buffered, held or in the batch)
    private long _failures;

    /// <summary>Creates a recorder; nothing is opened until <see cref="Start"/>.</summary>
    /// <param name="options">Validated here.</param>
    /// <param name="logger">Receives the start, rotation, stop and failure lines.</param>
    /// <param name="time">Wall clock for file names and the flush timer (tests inject one).</param>
    /// <param name="openFile">Opens a new file for writing (tests inject failing streams).</param>
    /// <param name="epochOffsetNs">Session clock to epoch ns; null: computed now for a monotonic session clock.</param>
    public Recorder(RecorderOptions options, ILogger logger,
        TimeProvider? time = null, Func<string, Stream>? openFile = null, long? epochOffsetNs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _files = new RecordingFiles(options, _time, openFile);
        _epochOffsetNs = epochOffsetNs ?? (_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000L) - MonotonicClock.NowNs();
        _rows = new SpscRing<RecorderRow>(options.RowQueueCapacity);
        _detections = new SpscRing<RecorderRow>(DetectionQueueCapacity);
        _annotations = new SpscRing<RecorderRow>(AnnotationQueueCapacity);
    }

    /// <summary>Where the recorder is in its life.</summary>
    public RecorderState State => _state;

    /// <summary>Rows written to files, all kinds: counted once a flush handed them to the OS, so the files hold at least this many complete rows.</summary>
    public long RowsWritten => Interlocked.Read(ref _rowsWritten);

    /// <summary>Rows offered by every producer (samples, detections, annotations), whatever became of them.</summary>
    /// <remarks>After <see cref="Stop"/>: Offered = RowsWritten + Dropped + NotRecorded + LostOnFailure.</remarks>
    public long Offered => Interlocked.Read(ref _offered);

    /// <summary>Rows taken from the queues but not on disk when the file failed (buffered, or in the flush that failed).</summary>
    public long LostOnFailure => Interlocked.Read(ref _lostOnFailure);

    /// <summary>Rows dropped because a queue was full (the producer never waits).</summary>
    public long Dropped => _rows.Dropped + _detections.Dropped + _annotations.Dropped;

    /// <summary>Rows offered while not running (before start, after stop or after a failure), and rows still queued when it failed.</summary>
    public long NotRecorded => Interlocked.Read(ref _notRecorded);

    /// <summary>Why recording stopped on an I/O error ("disk full: No space left on device …"), or null.</summary>
    public string? FailureReason => Volatile.Read(ref _failureReason);

    /// <summary>1 once recording stopped on an I/O error, else 0.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The file being written, or null.</summary>
    public string? CurrentFile => _files.Current;

    /// <summary>Every file opened so far, oldest first (read after <see cref="Stop"/>).</summary>
    public IReadOnlyList<string> Files => _files.Opened;

    /// <summary>Queue slots for samples and detections.</summary>
    public int QueueCapacity => _rows.Capacity;

    /// <summary>Opens the first file and starts the writer thread.</summary>
    /// <returns>False when the first file could not be opened (logged, counted; the caller carries on).</returns>
    public bool Start()
    {
        if (_state != RecorderState.Idle)
        {
            throw new InvalidOperationException($"The recorder was already started (state {_state}).");
        }

        _lastFlushTimestamp = _time.GetTimestamp();
        try
        {
            Directory.CreateDirectory(_options.Directory);
            OpenNextFile();
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            Fail(ex);
            return false;
        }

        _state = RecorderState.Running;
        _thread = new Thread(WriterLoop) { IsBackground = true, Name = "iolaedge-recorder", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
        _logger.LogInformation("Recording to {File} (queue {Slots} rows, flush every {Interval} s or {Rows} rows)",
            _files.Current, _rows.Capacity, _options.FlushInterval.TotalSeconds, _options.FlushEveryRows);
        return true;
    }

    /// <summary>Sample producer thread: records a sample. Never blocks; returns false when not queued.</summary>
    public bool OnSample(in ImuSample sample)
    {
        Interlocked.Increment(ref _offered);
        if (_state != RecorderState.Running)
        {
            Interlocked.Increment(ref _notRecorded);
            return false;
        }

        return _rows.TryWrite(RecorderRow.FromSample(sample));
    }

    /// <summary>
    /// Sample producer thread of a replay (file or simulator at <c>--speed max</c>, which outruns any disk):
    /// waits in 1 ms steps until the sample queue has room or the recorder stops running. Live sources
    /// never call it: they must not wait, and a full queue there drops and counts.
    /// </summary>
    public void WaitForSampleRoom()
    {
        while (_state == RecorderState.Running && _rows.Count >= _rows.Capacity)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// Detection producer thread of a replay (<c>--speed max</c> outruns the disk): waits in 1 ms steps until the
    /// detection queue has room or the recorder stops running, so that every detection is recorded.
    /// </summary>
    public void WaitForDetectionRoom()
    {
        while (_state == RecorderState.Running && _detections.Count >= _detections.Capacity)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>Detection producer thread: records a detection. Never blocks; returns false when not queued.</summary>
    public bool OnDetection(in FootfallEvent footfall)
    {
        Interlocked.Increment(ref _offered);
        if (_state != RecorderState.Running)
        {
            Interlocked.Increment(ref _notRecorded);
            return false;
        }

        return _detections.TryWrite(new RecorderRow(RecorderRowKind.Detection, footfall.SensorId, footfall.Sequence,
            footfall.FootfallTimeNs, footfall.FootfallTimeNs, 0f, 0f, 0f, footfall.Score));
    }

    /// <summary>Any thread: records a ground-truth footfall at session-clock <paramref name="timeNs"/>.</summary>
    public void OnFootfallAnnotation(int sensorId, long timeNs) => TryAnnotate(sensorId, timeNs);

    /// <summary>Any thread: records a ground-truth footfall; false when it was not queued.</summary>
    public bool TryAnnotate(int sensorId, long timeNs)
    {
        Interlocked.Increment(ref _offered);
        if (_state != RecorderState.Running || (uint)sensorId >= MaxSensors)
        {
            Interlocked.Increment(ref _notRecorded);
            return false;
        }

        lock (_annotationLock)
        {
            return _annotations.TryWrite(new RecorderRow(RecorderRowKind.Footfall, sensorId, 0, timeNs, timeNs, 0f, 0f, 0f, 0f));
        }
    }

    /// <summary>Writes what is queued, fsyncs and closes the file, and stops the writer thread.</summary>
    public void Stop()
    {
        if (_thread is null)
        {
            return;
        }

        _stopRequested.Set();
        _thread.Join();
        _thread = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _stopRequested.Dispose();
        _files.Dispose();
    }

    private static bool IsIoFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or NotSupportedException;

    private static bool IsDiskFull(Exception ex) =>
        ex is IOException && (ex.HResult == DiskFullErrno || ex.HResult == DiskFullHResult);

    private void WriterLoop()
    {
        TimeSpan poll = TimeSpan.FromMilliseconds(Math.Clamp(_options.FlushInterval.TotalMilliseconds / 4, 5, 50));
        try
        {
            bool stopping;
            do
            {
                stopping = _stopRequested.Wait(poll);
                Drain(final: stopping);
                if (_state != RecorderState.Running)
                {
                    return;
                }

                if (_rowsSinceFlush > 0 && _time.GetElapsedTime(_lastFlushTimestamp) >= _options.FlushInterval)
                {
                    FlushToOs();
                }
            }
            while (!stopping);

            CloseFile(fsync: true);
            _state = RecorderState.Stopped;
            _logger.LogInformation("Recording stopped: {Rows} rows in {Files} file(s), {Dropped} dropped (queue full)",
                RowsWritten, _files.Opened.Count, Dropped);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            Fail(ex);
        }
#pragma warning disable CA1031 // the writer thread must never take the process down; anything else also ends recording
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex);
        }
    }

    private void Drain(bool final)
    {
        while (_annotations.TryRead(out RecorderRow mark))
        {
            _taken++;
            _marks.Hold(mark, _time.GetTimestamp());
        }

        int n;
        while ((n = _rows.ReadBatch(_batch)) > 0)
        {
            _taken += n;
            for (int i = 0; i < n; i++)
            {
                ref readonly RecorderRow row = ref _batch[i];
                if (row.Kind == RecorderRowKind.Sample)
                {
                    while (_marks.TryReleaseUpTo(row.OrderTimeNs, out RecorderRow due))
                    {
                        Write(due);
                    }
                }

                Write(row);
            }

            // Annotations that arrived meanwhile must be ordered against the rest of this drain.
            while (_annotations.TryRead(out RecorderRow mark))
            {
                _taken++;
                _marks.Hold(mark, _time.GetTimestamp());
            }
        }

        // Detections come from their own thread, after the samples that decided them were queued.
        while (_detections.TryRead(out RecorderRow detection))
        {
            _taken++;
            Write(detection);
        }

        // Samples may stop (sensor lost); an annotation is not held back longer than the hold time.
        long now = _time.GetTimestamp();
        while (_marks.TryReleaseExpired(_time, now, _options.AnnotationHold, final, out RecorderRow expired))
        {
            Write(expired);
        }
    }

    private void Write(in RecorderRow row)
    {
        if (_files.MustRotateFor(row))
        {
            string? previous = _files.Current;
            _files.Rotate(row.OrderTimeNs);
            CommitBuffered();
            ResetFlushTimer();
            _logger.LogInformation("Recording rotated: {Previous} closed, now {File}", previous, _files.Current);
        }

        long offset = _epochOffsetNs;
        switch (row.Kind)
        {
            case RecorderRowKind.Sample:
                _files.WriterFor(row).WriteSample(row.ToSample(offset));
                break;
            case RecorderRowKind.Footfall:
                _files.WriterFor(row).WriteFootfall(row.SensorId, row.TimeNs + offset);
                break;
            default:
                _files.WriterFor(row).WriteDetection(row.SensorId, row.TimeNs + offset, row.Score);
                break;
        }

        _rowsBuffered++;
        if (++_rowsSinceFlush >= _options.FlushEveryRows)
        {
            FlushToOs();
        }
    }

    private void FlushToOs()
    {
        _files.Flush();
        CommitBuffered();
        ResetFlushTimer();
    }

    private void ResetFlushTimer()
    {
        _rowsSinceFlush = 0;
        _lastFlushTimestamp = _time.GetTimestamp();
    }

    private void OpenNextFile()
    {
        _files.OpenNext();
        ResetFlushTimer();
    }

    private void CloseFile(bool fsync)
    {
        _files.Close(fsync);
        CommitBuffered();
        _rowsSinceFlush = 0;
    }

    private long DiscardQueued()
    {
        long discarded = 0;
        while (_rows.TryRead(out _))
        {
            discarded++;
        }

        while (_detections.TryRead(out _))
        {
            discarded++;
        }

        while (_annotations.TryRead(out _))
        {
            discarded++;
        }

        return discarded;
    }

    // Rows count as written once the OS took them: a failing flush leaves them counted as lost instead.
    private void CommitBuffered()
    {
        Interlocked.Add(ref _rowsWritten, _rowsBuffered);
        _rowsBuffered = 0;
    }

    private void Fail(Exception ex)
    {
        _state = RecorderState.Failed;
        // What was buffered never safely reached the file; what still waits in the queues will never be written.
        Interlocked.Exchange(ref _lostOnFailure, _taken - Interlocked.Read(ref _rowsWritten));
        _rowsBuffered = 0;
        Interlocked.Add(ref _notRecorded, DiscardQueued());
        Interlocked.Exchange(ref _failures, 1);
        string reason = IsDiskFull(ex) ? "disk full" : ex.GetType().Name;
        Volatile.Write(ref _failureReason, $"{reason} on {_files.Current ?? _options.Directory}");
        _logger.LogError("Recording stopped ({Reason}) on {File}: {Message}; detection and MIDI carry on, later rows are counted as not recorded",
            reason, _files.Current ?? _options.Directory, ex.Message);
        _files.Abandon();
    }
}
