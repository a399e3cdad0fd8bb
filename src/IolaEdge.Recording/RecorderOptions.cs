using System.Globalization;

namespace IolaEdge.Recording;

/// <summary>Settings of the session recorder (configuration section <c>Recording</c>).</summary>
internal sealed class RecorderOptions
{
    /// <summary>The longest socket path Linux takes: <c>sun_path</c> is 108 bytes with its terminating NUL.</summary>
    internal const int MaxSocketPathBytes = 107;

    /// <summary>Directory that receives the session files; created if missing.</summary>
    public string Directory { get; set; } = "recordings";

    /// <summary>File name prefix; files are named <c>{prefix}-{UTC yyyyMMdd'T'HHmmss.fff'Z'}.csv</c>.</summary>
    public string FilePrefix { get; set; } = "session";

    /// <summary>Number of sensors feeding the recorder (sizes the queue).</summary>
    public int SensorCount { get; set; } = 1;

    /// <summary>Nominal sample rate per sensor, Hz (sizes the queue).</summary>
    public int SampleRateHz { get; set; } = 200;

    /// <summary>Seconds of samples the queue holds before the producer starts dropping (and counting).</summary>
    public double QueueSeconds { get; set; } = 5;

    /// <summary>Longest time rows stay in the process before being handed to the OS (what a kill -9 may lose).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows after which the buffer is handed to the OS regardless of time.</summary>
    public int FlushEveryRows { get; set; } = 1000;

    /// <summary>A file is closed (fsync) and a new one started once it reaches this size.</summary>
    public long MaxFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>A file is closed (fsync) and a new one started once it spans this long.</summary>
    public TimeSpan MaxFileDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the writer holds an annotation waiting for later samples, so that it lands in time order.</summary>
    public TimeSpan AnnotationHold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// <c>run</c> only: a Unix socket path taking <c>mark [sensor]</c> and <c>status</c> lines (bench rigs),
    /// opened while recording a live source; empty: none.
    /// </summary>
    public string ControlSocket { get; set; } = "";

    /// <summary>Queue slots for samples and detections (5 s of every sensor, plus room for detections).</summary>
    internal int RowQueueCapacity => (int)Math.Ceiling(QueueSeconds * SampleRateHz * SensorCount * 1.1);

    /// <summary>Checks every value; throws naming the key, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw Bad(nameof(Directory), Directory, "a non-empty path");
        }

        if (string.IsNullOrWhiteSpace(FilePrefix) || FilePrefix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw Bad(nameof(FilePrefix), FilePrefix, "a non-empty file name part");
        }

        if (ControlSocket.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(ControlSocket)) > MaxSocketPathBytes)
        {
            throw Bad(nameof(ControlSocket), ControlSocket, $"a path of at most {MaxSocketPathBytes} bytes (sockaddr_un.sun_path)");
        }

        Range(nameof(SensorCount), SensorCount, 1, 16);
        Range(nameof(SampleRateHz), SampleRateHz, 1, 10_000);
        Range(nameof(QueueSeconds), QueueSeconds, 0.1, 60);
        Range(nameof(FlushInterval), FlushInterval.TotalSeconds, 0.01, 10);
        Range(nameof(FlushEveryRows), FlushEveryRows, 1, 1_000_000);
        Range(nameof(MaxFileBytes), MaxFileBytes, 4096, long.MaxValue);
        Range(nameof(MaxFileDuration), MaxFileDuration.TotalSeconds, 1, 7 * 86_400);
        Range(nameof(AnnotationHold), AnnotationHold.TotalSeconds, 0, 10);
    }

    private static void Range(string key, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            throw Bad(key, value.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"[{min}, {max}]"));
        }
    }

    private static ArgumentOutOfRangeException Bad(string key, string? value, string allowed) =>
        new("Recording:" + key, value, $"Recording:{key} = '{value}' is invalid; allowed: {allowed}.");
}
