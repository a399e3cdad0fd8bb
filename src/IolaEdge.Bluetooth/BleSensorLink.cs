using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Bluetooth;

/// <summary>
/// One sensor's connection cycle against BlueZ: find → connect → resolve → subscribe → identify →
/// configure (with the sample counter: create the packer and the accounter behind it, and the same chain
/// on the gyroscope when the board has one and <see cref="BleImuSourceOptions.Gyroscope"/> allows) → stream (reading the
/// battery beside it every <see cref="BleImuSourceOptions.BatteryInterval"/>), and on a lost link back off
/// (capped, doubling) and start over. Runs as an
/// async task off the transport's thread; only the signal handlers run on its receive thread.
/// </summary>
internal sealed partial class BleSensorLink
{
    private readonly BleSensorOptions _sensor;
    private readonly BleImuSourceOptions _options;
    private readonly IImuSampleSink _sink;
    private readonly AccelerationDecoder _decoder;
    private readonly AccelerationDecoder _gyroDecoder;
    private readonly SixAxisPairer _pairer = new();
    private readonly NotificationHandler _notifications;
    private readonly BleBatteryMonitor _battery = new();
    private readonly Action<BleSensorEventArgs> _raise;
    private readonly object _gate = new();

    // Guarded by _gate: the current cycle's completion sources, set from bus-thread handlers.
    private TaskCompletionSource<string>? _linkLost;
    private TaskCompletionSource<bool>? _servicesResolved;
    private TaskCompletionSource<string>? _deviceFound;
    private TaskCompletionSource<byte[]>? _response;

    // Written by the cycle task, read by bus-thread handlers.
    private volatile string? _devicePath;
    private volatile string? _adapterPath;

    private volatile BleSensorState _state;
    private volatile AccelerometerChip _chip;
    private volatile GyroscopeChip _gyroChip;
    private volatile bool _packed;
    private volatile string? _lastError;
    private long _streamStarts;
    private long _linkLosses;
    private long _failedAttempts;
    private long _interruptedNs;
    private long _lostAtNs;

    public BleSensorLink(BleSensorOptions sensor, BleImuSourceOptions options, IImuSampleSink sink, Action<BleSensorEventArgs> raise)
    {
        _sensor = sensor;
        _options = options;
        _sink = sink;
        _raise = raise;
        _decoder = new AccelerationDecoder(sensor.SensorId);
        _gyroDecoder = new AccelerationDecoder(sensor.SensorId);
        _notifications = new NotificationHandler(_decoder, _gyroDecoder);
        _notifications.ResponseReceived += OnResponse;
    }

    /// <summary>The decoder (counters; tests).</summary>
    internal AccelerationDecoder Decoder => _decoder;

    /// <summary>The gyroscope stream's decoder (counters; tests).</summary>
    internal AccelerationDecoder GyroscopeDecoder => _gyroDecoder;

    /// <summary>The stage pairing gyroscope and accelerometer samples (counters; tests).</summary>
    internal SixAxisPairer Pairer => _pairer;

    /// <summary>The hot-path handler (benchmarks).</summary>
    internal NotificationHandler Notifications => _notifications;

    /// <summary>Current counters and state.</summary>
    public BleSensorSnapshot Snapshot()
    {
        var reasons = new Dictionary<PacketRejectReason, long>();
        foreach (PacketRejectReason r in Enum.GetValues<PacketRejectReason>())
        {
            if (r != PacketRejectReason.None)
            {
                reasons[r] = _decoder.Rejected(r) + _gyroDecoder.Rejected(r);
            }
        }

        return new BleSensorSnapshot
        {
            SensorId = _sensor.SensorId,
            Name = _sensor.DisplayName,
            State = _state,
            Chip = _chip,
            Packed = _packed,
            SampleCounter = _decoder.Counted,
            Samples = _decoder.Samples,
            LostSamples = _decoder.LostSamples,
            Packets = _decoder.Packets,
            Rejected = _decoder.RejectedTotal + _gyroDecoder.RejectedTotal,
            RejectedByReason = reasons,
            SinkDrops = _decoder.SinkDrops + _pairer.SinkDrops,
            Gyroscope = _gyroChip,
            GyroscopeSamples = _gyroDecoder.Samples,
            GyroscopeLostSamples = _gyroDecoder.LostSamples,
            GyroscopePackets = _gyroDecoder.Packets,
            PairedSamples = _pairer.Paired,
            AccelerationOnlySamples = _pairer.AccelerationOnly,
            HeldSamples = _pairer.HeldAcceleration,
            UnmatchedGyroscopeSamples = _pairer.UnmatchedGyroscope,
            WaitingGyroscopeSamples = _pairer.WaitingGyroscope,
            LargestAngularSpeedDps = _pairer.LargestAngularSpeedDps,
            LargestPairedAccelerationG = _pairer.LargestPairedAccelerationG,
            ArrivalGaps = _decoder.ArrivalGaps,
            TimeBasePullBacks = _decoder.TimeBasePullBacks,
            StreamStarts = Interlocked.Read(ref _streamStarts),
            LinkLosses = Interlocked.Read(ref _linkLosses),
            FailedAttempts = Interlocked.Read(ref _failedAttempts),
            InterruptedMs = Interlocked.Read(ref _interruptedNs) / 1e6,
            LastError = _lastError,
            Battery = _battery.Snapshot(),
        };
    }

    /// <summary>BlueZ's bus name changed owner (restart or exit): every subscription is gone.</summary>
    public void OnBlueZOwnerChanged(string oldOwner, string newOwner) =>
        LinkLost(newOwner.Length == 0 ? "bluetoothd left the bus" : "bluetoothd restarted");

    /// <summary>Runs connection cycles on <paramref name="client"/> until cancelled or the connection ends.</summary>
    public async Task RunAsync(IBlueZClient client, CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested && !client.Stopped.IsCompleted)
        {
            bool streamed = false;
            try
            {
                streamed = await CycleAsync(client, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // any failure of a cycle is recorded and retried; it must not end the source
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _lastError = ex is BlueZException or TimeoutException or InvalidOperationException ? ex.Message : ex.ToString();
                Interlocked.Increment(ref _failedAttempts);
            }

            if (cancellationToken.IsCancellationRequested || client.Stopped.IsCompleted)
            {
                break;
            }

            failures = streamed ? 0 : failures + 1;
            TimeSpan delay = Backoff(failures);
            SetState(BleSensorState.Backoff, $"next attempt in {delay.TotalMilliseconds:F0} ms{(_lastError is null ? string.Empty : " after: " + _lastError)}");
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        SetState(BleSensorState.Stopped, "stopped");
    }

    /// <summary>Capped exponential backoff: initial × 2^(failures−1), at most MaxBackoff; a lost stream retries after the initial delay.</summary>
    internal TimeSpan Backoff(int failures)
    {
        double factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        double ms = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * factor);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>One cycle; returns true if it reached streaming (the link was then lost), throws on failure before.</summary>
    private async Task<bool> CycleAsync(IBlueZClient client, CancellationToken ct)
    {
        var linkLost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _linkLost = linkLost;
            _servicesResolved = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var subscriptions = new List<IAsyncDisposable>();
        MetaWearGatt? gatt = null;
        bool notifying = false;
        try
        {
            SetState(BleSensorState.Discovering, "looking for the device");
            subscriptions.Add(await client.WatchInterfacesAddedAsync(OnInterfacesAdded).ConfigureAwait(false));
            subscriptions.Add(await client.WatchInterfacesRemovedAsync(OnInterfacesRemoved).ConfigureAwait(false));
            (string adapterPath, string devicePath) = await FindDeviceAsync(client, ct).ConfigureAwait(false);
            _devicePath = devicePath;
            subscriptions.Add(await client.WatchDeviceFlagsAsync(devicePath, OnDeviceProperty).ConfigureAwait(false));

            SetState(BleSensorState.Connecting, $"connecting to {devicePath} on {adapterPath}");
            await ConnectAsync(client, devicePath, ct).ConfigureAwait(false);
            if (!await client.GetBooleanPropertyAsync(devicePath, BlueZNames.Device, "ServicesResolved").ConfigureAwait(false))
            {
                Task<bool> resolved;
                lock (_gate)
                {
                    resolved = _servicesResolved!.Task;
                }

                await resolved.WaitAsync(_options.ResponseTimeout, ct).ConfigureAwait(false);
            }

            SetState(BleSensorState.Configuring, "connected, services resolved");
            ManagedObjects objects = await client.GetManagedObjectsAsync().ConfigureAwait(false);
            if (!MetaWearGatt.TryLocate(objects, devicePath, out gatt) || gatt is null)
            {
                throw new InvalidOperationException($"{devicePath} has no MetaWear service {BlueZNames.MetaWearServiceUuid} with command and notify characteristics");
            }

            subscriptions.Add(await client.WatchNotificationsAsync(gatt.NotifyPath, _notifications).ConfigureAwait(false));
            await client.StartNotifyAsync(gatt.NotifyPath).ConfigureAwait(false);
            notifying = true;

            BoardStream board = await StartBoardStreamAsync(client, gatt, ct).ConfigureAwait(false);
            (ModuleInfo module, byte register, int counter, int packer, int gyroCounter, int gyroPacker, GyroscopeChip gyroChip) = board;
            Interlocked.Increment(ref _streamStarts);
            long lostAt = Interlocked.Exchange(ref _lostAtNs, 0);
            string resumed = string.Empty;
            if (lostAt != 0)
            {
                long gapNs = MonotonicClock.NowNs() - lostAt;
                Interlocked.Add(ref _interruptedNs, gapNs);
                resumed = $" after a {gapNs / 1e6:F0} ms interruption";
            }

            _lastError = null;
            SetState(BleSensorState.Streaming, $"{module.Chip} rev {module.Revision}, {(counter >= 0 ? "packed sample counter" : _packed ? "packed" : "plain")}, 200 Hz, ±{_options.RangeG} g{(gyroCounter >= 0 ? $", gyroscope {gyroChip} ±2000 °/s" : string.Empty)}{resumed}");

            // The battery is read beside the stream, on its own task: its reply is a read reply, which the
            // notification handler hands over apart from the samples.
            using var batteryStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task battery = _options.BatteryInterval > TimeSpan.Zero ? PollBatteryAsync(client, gatt, batteryStop.Token) : Task.CompletedTask;
            Task<string> lost = linkLost.Task;
            await Task.WhenAny(lost, Task.Delay(Timeout.Infinite, ct), client.Stopped).ConfigureAwait(false);
            await batteryStop.CancelAsync().ConfigureAwait(false);
            await battery.ConfigureAwait(false);
            if (ct.IsCancellationRequested)
            {
                await TeardownAsync(client, gatt, register, counter, packer, gyroCounter, gyroPacker).ConfigureAwait(false);
                notifying = false;
                return true;
            }

            string why = lost.IsCompleted ? lost.Result : "D-Bus connection lost";
            Interlocked.Increment(ref _linkLosses);
            Interlocked.CompareExchange(ref _lostAtNs, MonotonicClock.NowNs(), 0);
            _lastError = why;
            SetState(BleSensorState.Backoff, $"link lost: {why}; {_decoder.Samples} samples so far");
            return true;
        }
        finally
        {
            if (notifying && gatt is not null && !linkLost.Task.IsCompleted)
            {
                // Failed or cancelled during configuration with the link still up: release the subscription,
                // and on cancellation also the link (a completed teardown cleared `notifying`).
                await Ignore(client.StopNotifyAsync(gatt.NotifyPath)).ConfigureAwait(false);
                if (ct.IsCancellationRequested)
                {
                    await Ignore(client.DisconnectAsync(gatt.DevicePath)).ConfigureAwait(false);
                }
            }

            foreach (IAsyncDisposable s in subscriptions)
            {
                await Ignore(s.DisposeAsync().AsTask()).ConfigureAwait(false);
            }

            lock (_gate)
            {
                _linkLost = null;
                _servicesResolved = null;
                _deviceFound = null;
                _response = null;
            }
        }
    }

    private async Task<byte[]> RequestAsync(IBlueZClient client, MetaWearGatt gatt, byte[] command, byte module, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            var reply = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _response = reply;
            }

            await client.WriteCommandAsync(gatt.CommandPath, command).ConfigureAwait(false);
            try
            {
                byte[] r = await reply.Task.WaitAsync(_options.ResponseTimeout, ct).ConfigureAwait(false);
                if (r[0] == module && r[1] == command[1])
                {
                    return r;
                }
            }
            catch (TimeoutException) when (attempt < 3)
            {
                continue;
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no reply to {Convert.ToHexString(command)} within {_options.ResponseTimeout.TotalMilliseconds:F0} ms (3 attempts)");
            }
        }
    }

    private void OnResponse(byte[] packet)
    {
        if (BatteryReading.IsReply(packet))
        {
            _battery.OnReply(packet, MonotonicClock.NowNs());
            return;
        }

        lock (_gate)
        {
            _response?.TrySetResult(packet);
        }
    }

    /// <summary>Reads the battery now and then every <see cref="BleImuSourceOptions.BatteryInterval"/> until <paramref name="ct"/> is cancelled.</summary>
    private async Task PollBatteryAsync(IBlueZClient client, MetaWearGatt gatt, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _battery.ReadAsync(command => client.WriteCommandAsync(gatt.CommandPath, command), _options.ResponseTimeout, ct).ConfigureAwait(false);
                await Task.Delay(_options.BatteryInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed battery read (write refused, link going) is counted as unanswered; it must not end the cycle
            catch (Exception)
#pragma warning restore CA1031
            {
                try
                {
                    await Task.Delay(_options.BatteryInterval, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnInterfacesAdded(string path, Dictionary<string, Dictionary<string, object?>> interfaces)
    {
        if (interfaces.TryGetValue(BlueZNames.Device, out Dictionary<string, object?>? device)
            && _adapterPath is not null && path.StartsWith(_adapterPath + "/", StringComparison.Ordinal) && IsAllowed(device))
        {
            lock (_gate)
            {
                _deviceFound?.TrySetResult(path);
            }
        }
    }

    private void OnInterfacesRemoved(string path)
    {
        string? device = _devicePath;
        if (device is not null && (path == device || path.StartsWith(device + "/", StringComparison.Ordinal)))
        {
            LinkLost(path == device ? "device removed" : "GATT objects removed");
        }
    }

    private void OnDeviceProperty(string name, bool value)
    {
        if (name == "ServicesResolved" && value)
        {
            lock (_gate)
            {
                _servicesResolved?.TrySetResult(true);
            }
        }
        else if (name == "Connected" && !value)
        {
            LinkLost("disconnected (out of range or powered off)");
        }
    }

    private void LinkLost(string why)
    {
        lock (_gate)
        {
            _linkLost?.TrySetResult(why);
        }
    }

    /// <summary>
    /// Polite teardown: stop, disable (accelerometer, then gyroscope), unsubscribe (and remove each accounter, then the
    /// packer it reads), StopNotify, Disconnect — best effort, each bounded by the call timeout.
    /// </summary>
    private static async Task Ignore(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // teardown is best effort: the link may already be gone
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void SetState(BleSensorState state, string message)
    {
        _state = state;
        _raise(new BleSensorEventArgs(_sensor.SensorId, _sensor.DisplayName, state, message));
    }
}
