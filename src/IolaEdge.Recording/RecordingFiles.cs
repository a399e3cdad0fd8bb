using System.Globalization;

namespace IolaEdge.Recording;

/// <summary>
/// The recorder's files: names them, opens the next one when the current one is full or too long, writes each file's
/// header with its first row, and closes them (fsynced on rotation and at stop).
/// </summary>
/// <remarks>Writer thread only, except <see cref="Current"/>, which any thread may read.</remarks>
internal sealed class RecordingFiles : IDisposable
{
    private readonly RecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<string, Stream> _open;
    private readonly List<string> _opened = [];
    private CountingStream? _stream;
    private RecordingCsvWriter? _csv;
    private long _firstRowTimeNs = long.MinValue;
    private bool _angularVelocitySeen;
    private string? _current;

    /// <summary>Creates the file set; nothing is opened until <see cref="OpenNext"/>.</summary>
    public RecordingFiles(RecorderOptions options, TimeProvider time, Func<string, Stream>? open)
    {
        _options = options;
        _time = time;
        _open = open ?? OpenNew;
    }

    /// <summary>The file being written, or null.</summary>
    public string? Current => Volatile.Read(ref _current);

    /// <summary>Every file opened so far, oldest first.</summary>
    public IReadOnlyList<string> Opened => _opened;

    /// <summary>
    /// Whether <paramref name="row"/> must start a new file: the current one reached its size or duration, or
    /// the row carries angular velocity and the file was started without the gyroscope columns.
    /// </summary>
    public bool MustRotateFor(in RecorderRow row)
    {
        if (row.HasAngularVelocity)
        {
            _angularVelocitySeen = true;
        }

        if (_firstRowTimeNs == long.MinValue)
        {
            _firstRowTimeNs = row.OrderTimeNs;
            return false;
        }

        // The last case: marks or detections opened this file as acceleration-only before the first
        // gyroscope sample arrived; angular velocity goes on in a file with the gyroscope columns.
        return _stream!.BytesWritten >= _options.MaxFileBytes
            || row.OrderTimeNs - _firstRowTimeNs >= (long)(_options.MaxFileDuration.TotalMilliseconds * 1_000_000)
            || (row.HasAngularVelocity && _csv is { HasAngularVelocityColumns: false });
    }

    /// <summary>
    /// The current file's CSV writer, created (and the header written) at the file's first row, so the header
    /// can say whether the file carries angular velocity: yes when this row does or an earlier row of the run did.
    /// </summary>
    public RecordingCsvWriter WriterFor(in RecorderRow row) =>
        _csv ??= new RecordingCsvWriter(_stream!, leaveOpen: true, angularVelocity: _angularVelocitySeen || row.HasAngularVelocity);

    /// <summary>Hands what the CSV writer buffered to the OS (not to the disk).</summary>
    public void Flush()
    {
        if (_csv is null)
        {
            _stream!.Flush();
            return;
        }

        _csv.Flush();
    }

    /// <summary>Closes the current file and opens the next, which starts at the row that made it rotate.</summary>
    public void Rotate(long firstRowTimeNs)
    {
        Close(fsync: true);
        OpenNext();
        _firstRowTimeNs = firstRowTimeNs;
    }

    /// <summary>Opens a new file named after the wall clock (never replacing one).</summary>
    public void OpenNext()
    {
        string stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        string path = Path.Combine(_options.Directory, $"{_options.FilePrefix}-{stamp}.csv");
        for (int n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(_options.Directory, $"{_options.FilePrefix}-{stamp}-{n}.csv");
        }

        _stream = new CountingStream(_open(path));
        _opened.Add(path);
        Volatile.Write(ref _current, path);
        _csv = null; // created with the header at the file's first row (WriterFor), or at close when it has none
        _stream.Flush();
    }

    /// <summary>Writes out and closes the current file, if any.</summary>
    public void Close(bool fsync)
    {
        if (_stream is null)
        {
            return;
        }

        // A file without rows still gets its header, so every closed file reads back as a recording.
        _csv ??= new RecordingCsvWriter(_stream, leaveOpen: true, angularVelocity: _angularVelocitySeen);
        _csv.Flush();
        _stream.Flush(flushToDisk: fsync);
        _stream.Dispose();
        _stream = null;
        _csv = null;
    }

    /// <summary>Drops the current file after an I/O error, without flushing into it again.</summary>
    public void Abandon()
    {
        try
        {
            _stream?.Dispose(); // not the CSV writer: disposing it would flush into the failing file again
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Closing a file on a full disk may fail again; the failure is already reported.
        }

        _stream = null;
        _csv = null;
    }

    /// <inheritdoc />
    public void Dispose() => Abandon();

    private static FileStream OpenNew(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
}
