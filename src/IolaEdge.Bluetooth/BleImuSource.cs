using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Dsp.Sources;

namespace IolaEdge.Bluetooth;

/// <summary>
/// Live MetaWear/MetaMotion accelerometers over Bluetooth LE through BlueZ: 200 Hz, packed by
/// default, one or several sensors, reconnecting with capped backoff.
/// </summary>
/// <remarks>
/// <para>Threads: one Tmds.DBus.Protocol connection; its receive loop handles one message at a time (on a
/// thread-pool thread, possibly a different one per message, ordered by the loop's awaits) and calls
/// <see cref="IImuSampleSink.OnSample"/> for every sensor — a single producer for an SPSC ring.
/// Connection cycles run as tasks.
/// <see cref="IImuSampleSink.OnFootfallAnnotation"/> is never called.</para>
/// <para>Samples: <c>ArrivalTimeNs</c> = monotonic arrival of the notification (shared by the three
/// samples of a packed notification), <c>Sequence</c> running per sensor across reconnects,
/// <c>SensorTimeNs</c> = 0 for the pipeline's sample clock, <c>SensorId</c> from the options.</para>
/// <para>If the D-Bus connection itself fails (dbus-daemon restarted), the connection is reopened
/// after a backoff. <see cref="RunAsync"/> returns when cancelled, after a polite teardown.</para>
/// </remarks>
public sealed class BleImuSource : IImuSource
{
    private readonly BleImuSourceOptions _options;
    private readonly BleSensorLink[] _links;
    private readonly IImuSampleSink?[] _sinkHolder = new IImuSampleSink?[1];
    private long _busStarts;
    private long _busFailures;
    private volatile string? _busError;

    /// <summary>Creates the source; validates <paramref name="options"/>.</summary>
    /// <exception cref="BleOptionsException">An option is invalid (the message names the key).</exception>
    public BleImuSource(BleImuSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        var forward = new ForwardingSink(_sinkHolder);
        _links = options.Sensors.Select(s => new BleSensorLink(s, options, forward, RaiseStateChanged)).ToArray();
    }

    /// <summary>Raised on a state change of any sensor (from a worker thread, never the hot path). Handlers must not block.</summary>
    public event EventHandler<BleSensorEventArgs>? StateChanged;

    /// <inheritdoc/>
    public string Description => "ble:" + string.Join(',', _options.Sensors.Select(s => s.Label is null ? s.Address ?? "name:" + s.Name : $"{s.Label}={s.Address ?? "name:" + s.Name}"));

    /// <summary>Times the D-Bus connection was opened.</summary>
    public long BusStarts => Interlocked.Read(ref _busStarts);

    /// <summary>Times the D-Bus connection failed or could not be opened.</summary>
    public long BusFailures => Interlocked.Read(ref _busFailures);

    /// <summary>Last D-Bus connection error, or null.</summary>
    public string? BusError => _busError;

    /// <summary>Exceptions caught in D-Bus callbacks (should stay 0).</summary>
    public static long CallbackFailures => BlueZ.Proxies.BlueZBus.HandlerFailures;

    /// <summary>Counters and state of every sensor (any thread; cheap, allocates — not for the hot path).</summary>
    public IReadOnlyList<BleSensorSnapshot> Snapshot() => _links.Select(s => s.Snapshot()).ToArray();

    /// <summary>
    /// The transport seam: opens the BlueZ client for (bus address, call timeout); throws <see cref="BlueZException"/>
    /// when the bus cannot be reached. Tmds.DBus.Protocol by default.
    /// </summary>
    internal Func<string?, TimeSpan, Task<IBlueZClient>> OpenClient { get; init; } =
        static async (address, timeout) => await TmdsBlueZClient.OpenAsync(address, timeout).ConfigureAwait(false);

    /// <summary>The sensor links (tests).</summary>
    internal IReadOnlyList<BleSensorLink> Links => _links;

    /// <inheritdoc/>
    public async Task RunAsync(IImuSampleSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Volatile.Write(ref _sinkHolder[0], sink);
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            IBlueZClient client;
            try
            {
                client = await OpenClient(_options.BusAddress, _options.CallTimeout).ConfigureAwait(false);
            }
            catch (BlueZException ex)
            {
                _busError = ex.Message;
                Interlocked.Increment(ref _busFailures);
                if (!await DelayAsync(++failures, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            await using (client.ConfigureAwait(false))
            {
                Interlocked.Increment(ref _busStarts);
                IAsyncDisposable owner;
                try
                {
                    owner = await client.WatchBlueZOwnerAsync(OnBlueZOwnerChanged).ConfigureAwait(false);
                }
                catch (BlueZException ex)
                {
                    _busError = ex.Message;
                    Interlocked.Increment(ref _busFailures);
                    if (!await DelayAsync(++failures, cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }

                    continue;
                }

                using var cycle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Task[] runs = _links.Select(s => s.RunAsync(client, cycle.Token)).ToArray();
                Task all = Task.WhenAll(runs);
                await Task.WhenAny(all, client.Stopped).ConfigureAwait(false);
                if (!all.IsCompleted)
                {
                    // The bus died under the links: stop them (no teardown is possible) and start over.
                    await cycle.CancelAsync().ConfigureAwait(false);
                }

                await all.ConfigureAwait(false);
                if (!client.Stopped.IsCompleted)
                {
                    await owner.DisposeAsync().ConfigureAwait(false);
                }

                failures = 0;
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                _busError = client.Stopped.Exception?.InnerException?.Message ?? "D-Bus connection closed";
                Interlocked.Increment(ref _busFailures);
                failures = 1;
                if (!await DelayAsync(failures, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
    }

    private async Task<bool> DelayAsync(int failures, CancellationToken ct)
    {
        try
        {
            await Task.Delay(_links[0].Backoff(failures), ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void OnBlueZOwnerChanged(string oldOwner, string newOwner)
    {
        foreach (BleSensorLink s in _links)
        {
            s.OnBlueZOwnerChanged(oldOwner, newOwner);
        }
    }

    private void RaiseStateChanged(BleSensorEventArgs e) => StateChanged?.Invoke(this, e);

    /// <summary>Lets links be built before the sink is known (the sink arrives with <see cref="RunAsync"/>).</summary>
    private sealed class ForwardingSink(IImuSampleSink?[] holder) : IImuSampleSink
    {
        public bool OnSample(in Dsp.Samples.ImuSample sample) => holder[0]!.OnSample(in sample);

        public void OnFootfallAnnotation(int sensorId, long timeNs) => holder[0]!.OnFootfallAnnotation(sensorId, timeNs);
    }
}
