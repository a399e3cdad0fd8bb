using System.Globalization;
using System.Net.Sockets;
using System.Text;
using IolaEdge.Daemon.Control.Interop;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;
using IolaEdge.Recording;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Control;

/// <summary>
/// A local control interface for bench rigs: a Unix domain stream socket that takes one command per
/// line. <c>mark [sensorId]</c> records a footfall stamped when the line arrived (reply
/// <c>ok &lt;timeNs&gt;</c>); <c>status</c> replies one line of counters; anything else is answered with
/// <c>error …</c> and counted.
/// </summary>
/// <remarks>
/// <para>Access is by file permission (mode 0660: the service user and its group), so nothing is exposed on
/// the network. Runs on thread-pool tasks; marks go to the sink's annotation path, never the pipeline.</para>
/// <para>Hardened for a long unattended run: a failing accept (out of file descriptors, a transient socket
/// error) is logged once per kind, backed off (50 ms doubling to 2 s) and retried, never the end of the loop;
/// the listen backlog is <see cref="Backlog"/>; at most <see cref="MaxClients"/> clients are served at once
/// (the next is told so and closed), and a client silent for the idle timeout is closed. An existing path is
/// replaced only when it is a socket nobody listens on; a regular file, directory or FIFO there is an error.</para>
/// </remarks>
internal sealed class ControlSocketServer : IAsyncDisposable
{
    /// <summary>Pending connections the kernel queues before accept (a burst of bench scripts fits).</summary>
    public const int Backlog = 64;

    /// <summary>Clients served at once by default.</summary>
    public const int DefaultMaxClients = 16;

    private const int MaxLineBytes = 128;
    private const int MaxSensorId = 15;
    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(2);

    private readonly string _path;
    private readonly IImuSampleSink _sink;
    private readonly Func<string> _status;
    private readonly Func<long> _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private Task? _acceptLoop;
    private readonly int _maxClients;
    private readonly TimeSpan _idleTimeout;
    private readonly Func<Socket, CancellationToken, ValueTask<Socket>> _accept;
    private long _marks;
    private long _badLines;
    private long _acceptErrors;
    private long _refusedClients;
    private long _idleClosed;
    private int _activeClients;

    /// <summary>Creates the server; <see cref="Start"/> binds it.</summary>
    /// <param name="path">Socket file path (e.g. <c>/run/iolaedge/control.sock</c>).</param>
    /// <param name="sink">Receives marks.</param>
    /// <param name="status">Produces the <c>status</c> reply.</param>
    /// <param name="logger">Receives the listening line.</param>
    /// <param name="clock">Monotonic ns; defaults to <see cref="MonotonicClock.NowNs"/>.</param>
    /// <param name="maxClients">Clients served at once (default <see cref="DefaultMaxClients"/>).</param>
    /// <param name="idleTimeout">A client that sends nothing for this long is closed (default 60 s).</param>
    /// <param name="accept">Accepts one connection; the real <c>accept</c> by default (tests inject failures here).</param>
    public ControlSocketServer(string path, IImuSampleSink sink, Func<string> status, ILogger logger, Func<long>? clock = null,
        int maxClients = DefaultMaxClients, TimeSpan? idleTimeout = null, Func<Socket, CancellationToken, ValueTask<Socket>>? accept = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClients, 1);
        _maxClients = maxClients;
        _idleTimeout = idleTimeout ?? TimeSpan.FromSeconds(60);
        _accept = accept ?? ((listener, ct) => listener.AcceptAsync(ct));
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

    /// <summary>Accepts that failed (each retried after a back-off).</summary>
    public long AcceptErrors => Interlocked.Read(ref _acceptErrors);

    /// <summary>Clients turned away because <see cref="DefaultMaxClients"/> (or the configured limit) were connected.</summary>
    public long RefusedClients => Interlocked.Read(ref _refusedClients);

    /// <summary>Clients closed after the idle timeout.</summary>
    public long IdleClosed => Interlocked.Read(ref _idleClosed);

    /// <summary>Clients being served now.</summary>
    public int ActiveClients => Volatile.Read(ref _activeClients);

    /// <summary>The most clients served at once.</summary>
    public int MaxClients => _maxClients;

    /// <summary>
    /// Binds and listens under a staging name, renames the socket to its path (replacing a stale socket file) and
    /// starts accepting connections: a client that connects as soon as the path appears is accepted.
    /// </summary>
    /// <exception cref="IOException">The path exists and is not a socket.</exception>
    /// <exception cref="SocketException">Binding failed.</exception>
    public void Start()
    {
        switch (FileKinds.Of(_path))
        {
            case FileKind.Missing:
                break;
            case FileKind.Socket:
                RemoveStaleSocket(_path);
                break;
            case FileKind kind:
                string what = kind switch { FileKind.Regular => "a regular file", FileKind.Directory => "a directory", _ => "a FIFO, device or link" };
                throw new IOException($"Control socket path {_path} exists and is {what}, not a socket; refusing to replace it.");
        }

        // A client may connect the moment the path exists (a script waiting for it), and between bind and listen a
        // fresh process spends milliseconds compiling: so the socket is bound and listening under a staging name
        // first, and renamed into place, which is atomic. A path too long for its staging name is bound in place.
        string? staging = StagingPath(_path);
        string bound = staging ?? _path;
        Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(bound));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(bound, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }

            listener.Listen(Backlog);
            if (staging is not null)
            {
                File.Move(staging, _path, overwrite: true);
            }
        }
        catch
        {
            listener.Dispose();
            if (staging is not null)
            {
                File.Delete(staging);
            }

            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
        _logger.LogInformation("Control socket listening on {Path} (commands: mark [sensor], status)", _path);
    }

    /// <summary>A free sibling name to bind before the socket listens, or null when none fits <c>sun_path</c>.</summary>
    private static string? StagingPath(string path)
    {
        string staging = $"{path}.{Environment.ProcessId}~";
        if (Encoding.UTF8.GetByteCount(staging) > RecorderOptions.MaxSocketPathBytes)
        {
            return null;
        }

        switch (FileKinds.Of(staging))
        {
            case FileKind.Missing:
                return staging;
            case FileKind.Socket:
                File.Delete(staging); // left by a killed process of the same id: nothing can listen on it now
                return staging;
            default:
                return null;
        }
    }

    private static void RemoveStaleSocket(string path)
    {
        using Socket probe = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
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
        TimeSpan backoff = s_firstBackoff;
        SocketError? lastLogged = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _accept(listener, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return; // stopping
            }
            catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // EMFILE/ENFILE (out of descriptors), ECONNABORTED, ENOBUFS…: the listener is still good. Log each kind once,
                // back off so a persistent failure does not spin, and go on accepting.
                Interlocked.Increment(ref _acceptErrors);
                if (lastLogged != ex.SocketErrorCode)
                {
                    lastLogged = ex.SocketErrorCode;
                    _logger.LogWarning("Control socket {Path}: accept failed ({Error}: {Message}); retrying with back-off, marks may wait",
                        _path, ex.SocketErrorCode, ex.Message);
                }

                try
                {
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = backoff * 2 > s_maxBackoff ? s_maxBackoff : backoff * 2;
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            if (lastLogged is not null)
            {
                _logger.LogInformation("Control socket {Path}: accepting again after {Errors} failed accepts", _path, AcceptErrors);
                lastLogged = null;
            }

            backoff = s_firstBackoff;
            if (Interlocked.Increment(ref _activeClients) > _maxClients)
            {
                Interlocked.Decrement(ref _activeClients);
                Interlocked.Increment(ref _refusedClients);
                Refuse(client);
                continue;
            }

            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client, cancellationToken));
            }
        }
    }

    private void Refuse(Socket client)
    {
        using (client)
        {
            try
            {
                client.Send(Encoding.ASCII.GetBytes($"error too many clients ({_maxClients}); try again later\n"), SocketFlags.None);
            }
            catch (SocketException)
            {
                // It left already.
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        try
        {
            await ServeClientAsync(client, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _activeClients);
        }
    }

    private async Task ServeClientAsync(Socket client, CancellationToken stopping)
    {
        using CancellationTokenSource idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        CancellationToken cancellationToken = idle.Token;
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
                    idle.CancelAfter(_idleTimeout); // restarted by every read: only silence closes the client
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

                        string text = Encoding.ASCII.GetString(line, 0, lineLength).Trim();
                        string reply = overlong ? Bad("line too long")
                            : Tuning is not null && Tuning.TryStartLearn(text, stopping, out Task<string> learning) ? await WaitForLearnAsync(learning, idle).ConfigureAwait(false)
                            : Execute(text, timeNs);
                        lineLength = 0;
                        overlong = false;
                        await client.SendAsync(Encoding.ASCII.GetBytes(reply + "\n"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                Interlocked.Increment(ref _idleClosed);
                try
                {
                    client.Send(Encoding.ASCII.GetBytes($"error idle for {_idleTimeout.TotalSeconds:0.###} s; closing\n"), SocketFlags.None);
                }
                catch (SocketException)
                {
                    // It left already.
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The peer went away or the server is stopping.
            }
        }
    }

    // A learn waits for a key press: the client is not idle meanwhile (the idle timer restarts with the next read).
    private static async Task<string> WaitForLearnAsync(Task<string> learning, CancellationTokenSource idle)
    {
        idle.CancelAfter(Timeout.InfiniteTimeSpan);
        return await learning.ConfigureAwait(false);
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
