using System.Globalization;
using System.Net.Sockets;
using System.Text;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Recording;

/// <summary>
/// A local control interface for bench rigs: a Unix domain stream socket that takes one command per
/// line. <c>mark [sensorId]</c> records a footfall stamped when the line arrived (reply
/// <c>ok &lt;timeNs&gt;</c>); <c>status</c> replies one line of counters; anything else is answered with
/// <c>error …</c> and counted.
/// </summary>
/// <remarks>
/// Access is by file permission (mode 0660: the service user and its group), so nothing is exposed on
/// the network. Runs on thread-pool tasks; marks go to the sink's annotation path, never the pipeline.
/// </remarks>
internal sealed class ControlSocketServer : IAsyncDisposable
{
    private const int MaxLineBytes = 128;
    private const int MaxSensorId = 15;

    private readonly string _path;
    private readonly IImuSampleSink _sink;
    private readonly Func<string> _status;
    private readonly Func<long> _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _marks;
    private long _badLines;

    /// <summary>Creates the server; <see cref="Start"/> binds it.</summary>
    /// <param name="path">Socket file path (e.g. <c>/run/iolaedge/control.sock</c>).</param>
    /// <param name="sink">Receives marks.</param>
    /// <param name="status">Produces the <c>status</c> reply.</param>
    /// <param name="logger">Receives the listening line.</param>
    /// <param name="clock">Monotonic ns; defaults to <see cref="MonotonicClock.NowNs"/>.</param>
    public ControlSocketServer(string path, IImuSampleSink sink, Func<string> status, ILogger logger, Func<long>? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _status = status ?? throw new ArgumentNullException(nameof(status));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _clock = clock ?? MonotonicClock.NowNs;
    }

    /// <summary>Tuning commands (<c>set</c>, <c>get</c>, <c>keys</c>, <c>save</c>); null: not offered.</summary>
    public Tuning.TuningCommands? Tuning { get; init; }

    /// <summary>False when marks cannot be used (no recording of a live source): <c>mark</c> is then refused.</summary>
    public bool AcceptMarks { get; init; } = true;

    /// <summary>Marks received.</summary>
    public long Marks => Interlocked.Read(ref _marks);

    /// <summary>Lines that were not a command (answered with <c>error</c>).</summary>
    public long BadLines => Interlocked.Read(ref _badLines);

    /// <summary>Binds the socket (replacing a stale socket file) and starts accepting connections.</summary>
    /// <exception cref="IOException">The path exists and is not a socket.</exception>
    /// <exception cref="SocketException">Binding failed.</exception>
    public void Start()
    {
        if (File.Exists(_path))
        {
            RemoveStaleSocket(_path);
        }

        Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(_path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }

            listener.Listen(4);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
        _logger.LogInformation("Control socket listening on {Path} (commands: mark [sensor], status)", _path);
    }

    private static void RemoveStaleSocket(string path)
    {
        using Socket probe = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused && new FileInfo(path).Length == 0)
        {
            File.Delete(path); // a socket left by a killed process: nobody listens on it
            return;
        }
        catch (SocketException ex)
        {
            throw new IOException($"Control socket path {path} exists and is not a stale socket ({ex.SocketErrorCode}); refusing to replace it.", ex);
        }

        throw new IOException($"Control socket {path} is in use by another process (is iolaedge already running?).");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        if (_listener is not null)
        {
            File.Delete(_path);
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client, cancellationToken));
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            byte[] buffer = new byte[512];
            byte[] line = new byte[MaxLineBytes];
            int lineLength = 0;
            bool overlong = false;
            try
            {
                while (true)
                {
                    int n = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    long timeNs = _clock(); // the line has arrived: stamp before parsing
                    if (n == 0)
                    {
                        return;
                    }

                    for (int i = 0; i < n; i++)
                    {
                        byte b = buffer[i];
                        if (b != (byte)'\n')
                        {
                            if (lineLength < MaxLineBytes)
                            {
                                line[lineLength++] = b;
                            }
                            else
                            {
                                overlong = true;
                            }

                            continue;
                        }

                        string reply = overlong ? Bad("line too long") : Execute(Encoding.ASCII.GetString(line, 0, lineLength).Trim(), timeNs);
                        lineLength = 0;
                        overlong = false;
                        await client.SendAsync(Encoding.ASCII.GetBytes(reply + "\n"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The peer went away or the server is stopping.
            }
        }
    }

    private string Execute(string command, long timeNs)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (Tuning is not null && Tuning.TryExecute(command, out string tuned))
        {
            return tuned;
        }

        if (words.Length is 1 or 2 && words[0] == "mark" && !AcceptMarks)
        {
            return Bad("marks need a recording of a live source (--record DIR)");
        }

        if (words.Length is 1 or 2 && words[0] == "mark")
        {
            int sensorId = 0;
            if (words.Length == 2 && !(int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out sensorId) && sensorId <= MaxSensorId))
            {
                return Bad($"sensor id '{words[1]}' is not in [0, {MaxSensorId}]");
            }

            _sink.OnFootfallAnnotation(sensorId, timeNs);
            Interlocked.Increment(ref _marks);
            return string.Create(CultureInfo.InvariantCulture, $"ok {timeNs}");
        }

        if (words.Length == 1 && words[0] == "status")
        {
            return _status();
        }

        string shown = command.Length > 40 ? command[..40] + "…" : command;
        return Bad($"unknown command '{shown}'; commands: mark [sensor], status" + (Tuning is null ? "" : ", " + IolaEdge.Daemon.Tuning.TuningCommands.Help));
    }

    private string Bad(string why)
    {
        Interlocked.Increment(ref _badLines);
        return "error " + why;
    }
}
