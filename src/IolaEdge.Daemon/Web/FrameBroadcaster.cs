using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Web;

/// <summary>
/// Builds one frame (new scope samples, new detections, the status figures) at a fixed rate while at
/// least one page listens, serialises it once and offers it to every page's bounded queue. A page that
/// falls behind loses its oldest frames (counted); nothing waits for a page.
/// </summary>
/// <remarks>Owns one below-normal thread; reads the run only through snapshots (see <see cref="LiveView"/>).</remarks>
internal sealed class FrameBroadcaster : IDisposable
{
    private const int MaxSamplesPerFrame = 1024;
    private const int MaxEventsPerFrame = 64;
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly LiveView _live;
    private readonly int _queueFrames;
    private readonly TimeSpan _period;
    private readonly Lock _lock = new();
    private readonly List<PageClient> _clients = [];
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly long[] _times = new long[MaxSamplesPerFrame];
    private readonly float[] _values = new float[MaxSamplesPerFrame * 4];
    private readonly FootfallEvent[] _events = new FootfallEvent[MaxEventsPerFrame];
    private long[] _scopeCursors = [];
    private long _eventCursor;
    private LiveRun? _cursorRun;
    private long _originNs;
    private long _sequence;
    private long _framesSent;
    private long _droppedFrames;
    private LatencyWindow _latency = new(0, double.NaN, double.NaN, double.NaN, double.NaN);
    private long _latencyAtTicks;

    /// <summary>Creates the broadcaster and starts its thread.</summary>
    public FrameBroadcaster(LiveView live, int framesPerSecond, int queueFrames)
    {
        _live = live;
        _queueFrames = queueFrames;
        _period = TimeSpan.FromSeconds(1.0 / framesPerSecond);
        _thread = new Thread(Loop) { IsBackground = true, Name = "iolaedge-web-frames", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Pages listening now.</summary>
    public int Clients
    {
        get
        {
            lock (_lock)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Frames built and offered.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Frames dropped from pages' queues because the page fell behind (all pages, ever).</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>The latency window, refreshed at most twice a second.</summary>
    public LatencyWindow Latency(LiveRun run)
    {
        long now = Stopwatch.GetTimestamp();
        if (run.Events is { } events && Stopwatch.GetElapsedTime(Interlocked.Read(ref _latencyAtTicks), now) > TimeSpan.FromMilliseconds(500))
        {
            _latency = events.LastMinute();
            Interlocked.Exchange(ref _latencyAtTicks, now);
        }

        return _latency;
    }

    /// <summary>Frames for one page until <paramref name="cancellationToken"/> fires (the page went away).</summary>
    public async IAsyncEnumerable<string> Subscribe([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PageClient client = new(_queueFrames, () => Interlocked.Increment(ref _droppedFrames));
        lock (_lock)
        {
            _clients.Add(client);
        }

        try
        {
            await foreach (string frame in client.Frames.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return frame;
            }
        }
        finally
        {
            lock (_lock)
            {
                _clients.Remove(client);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        lock (_lock)
        {
            foreach (PageClient client in _clients)
            {
                client.Frames.Writer.TryComplete();
            }
        }
    }

    private void Loop()
    {
        long next = Stopwatch.GetTimestamp();
        long periodTicks = (long)(_period.TotalSeconds * Stopwatch.Frequency);
        while (!_stop.IsCancellationRequested)
        {
            next += periodTicks;
            long wait = next - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }
            else
            {
                next = Stopwatch.GetTimestamp(); // fell behind (a busy machine): skip, do not burst
            }

            PageClient[] clients;
            lock (_lock)
            {
                clients = [.. _clients];
            }

            LiveRun? run = _live.Run;
            if (clients.Length == 0 || run is null)
            {
                continue;
            }

            string frame = Build(run);
            foreach (PageClient client in clients)
            {
                client.Frames.Writer.TryWrite(frame); // bounded, drop-oldest: never waits
            }

            Interlocked.Increment(ref _framesSent);
        }
    }

    private string Build(LiveRun run)
    {
        if (!ReferenceEquals(run, _cursorRun))
        {
            _cursorRun = run;
            _scopeCursors = new long[run.Scope?.SensorCount ?? 0];
            _eventCursor = 0;
            _originNs = 0;
        }

        ArrayBufferWriter<byte> buffer = new(4096);
        using (Utf8JsonWriter json = new(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", ++_sequence);
            // Wall clock (epoch ms, sub-ms): the page subtracts it from its own clock after updating the DOM.
            json.WriteNumber("sent", (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds);
            WriteScope(json, run);
            WriteEvents(json, run);
            json.WritePropertyName("status");
            JsonSerializer.Serialize(json, LiveStatus.Of(run, Latency(run), this), s_json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteScope(Utf8JsonWriter json, LiveRun run)
    {
        json.WriteStartArray("channels");
        if (run.Scope is { } channelsOf)
        {
            foreach (ScopeChannel channel in channelsOf.Channels)
            {
                json.WriteStartObject();
                json.WriteString("name", channel.Name);
                json.WriteString("unit", channel.Unit);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("sensors");
        if (run.Scope is { } scope)
        {
            int channels = scope.Channels.Count;
            for (int sensor = 0; sensor < scope.SensorCount; sensor++)
            {
                int n = scope.ReadSince(sensor, ref _scopeCursors[sensor], _times, _values.AsSpan(0, MaxSamplesPerFrame * channels));
                if (n == 0)
                {
                    continue;
                }

                if (_originNs == 0)
                {
                    _originNs = _times[0]; // page times are ms since the first sample the page saw
                }

                json.WriteStartObject();
                json.WriteNumber("id", sensor);
                json.WriteStartArray("t");
                for (int i = 0; i < n; i++)
                {
                    json.WriteNumberValue(Math.Round((_times[i] - _originNs) / 1e6, 2));
                }

                json.WriteEndArray();
                json.WriteStartArray("v");
                for (int c = 0; c < channels; c++)
                {
                    json.WriteStartArray();
                    for (int i = 0; i < n; i++)
                    {
                        // A channel the sample does not carry (|ω| of an acceleration-only sensor) is null: JSON has no NaN.
                        float value = _values[(i * channels) + c];
                        if (float.IsFinite(value))
                        {
                            json.WriteNumberValue(MathF.Round(value, 4));
                        }
                        else
                        {
                            json.WriteNullValue();
                        }
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }

    private void WriteEvents(Utf8JsonWriter json, LiveRun run)
    {
        json.WriteStartArray("detections");
        if (run.Events is { } events && _originNs != 0)
        {
            int n = events.ReadSince(ref _eventCursor, _events);
            for (int i = 0; i < n; i++)
            {
                FootfallEvent e = _events[i];
                json.WriteStartObject();
                json.WriteNumber("sensor", e.SensorId);
                json.WriteNumber("t", Math.Round((e.FootfallTimeNs - _originNs) / 1e6, 2));
                json.WriteNumber("score", Math.Round(e.Score, 3));
                json.WriteNumber("strength", Math.Round(e.Strength, 3));
                json.WriteNumber("latencyMs", e.MidiWriteTimeNs == 0 ? 0 : Math.Round(e.ProcessingLatencyNs / 1e6, 3));
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }

    private sealed class PageClient(int capacity, Action onDrop)
    {
        public Channel<string> Frames { get; } = Channel.CreateBounded<string>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => onDrop());
    }
}
