using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Bluetooth;

/// <summary>
/// One sensor's connection cycle against BlueZ: find → connect → resolve → subscribe → identify →
/// configure (with the sample counter: create the packer and the accounter behind it, and the same chain
/// on the gyroscope when the board has one and <see cref="BleImuSourceOptions.Gyroscope"/> allows) → stream, and on a lost link back off
/// (capped, doubling) and start over. Runs as an
/// async task off the transport's thread; only the signal handlers run on its receive thread.
/// </summary>
internal sealed class BleSensorSession
{
    private readonly BleSensorOptions _sensor;
    private readonly BleImuSourceOptions _options;
    private readonly IImuSampleSink _sink;
    private readonly AccelerationDecoder _decoder;
    private readonly AccelerationDecoder _gyroDecoder;
    private readonly SixAxisPairer _pairer = new();
    private readonly NotificationHandler _notifications;
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

    public BleSensorSession(BleSensorOptions sensor, BleImuSourceOptions options, IImuSampleSink sink, Action<BleSensorEventArgs> raise)
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
            ArrivalGaps = _decoder.ArrivalGaps,
            StreamStarts = Interlocked.Read(ref _streamStarts),
            LinkLosses = Interlocked.Read(ref _linkLosses),
            FailedAttempts = Interlocked.Read(ref _failedAttempts),
            InterruptedMs = Interlocked.Read(ref _interruptedNs) / 1e6,
            LastError = _lastError,
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
            SetState(BleSensorState.Backoff, $"retrying in {delay.TotalMilliseconds:F0} ms{(_lastError is null ? string.Empty : " after: " + _lastError)}");
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
        int counter = -1;
        int packer = -1;
        int gyroCounter = -1;
        int gyroPacker = -1;
        GyroscopeChip gyroChip = GyroscopeChip.None;
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

            SetState(BleSensorState.Configuring, "services resolved");
            ManagedObjects objects = await client.GetManagedObjectsAsync().ConfigureAwait(false);
            if (!MetaWearGatt.TryLocate(objects, devicePath, out gatt) || gatt is null)
            {
                throw new InvalidOperationException($"{devicePath} has no MetaWear service {BlueZNames.MetaWearServiceUuid} with command and notify characteristics");
            }

            subscriptions.Add(await client.WatchNotificationsAsync(gatt.NotifyPath, _notifications).ConfigureAwait(false));
            await client.StartNotifyAsync(gatt.NotifyPath).ConfigureAwait(false);
            notifying = true;

            byte[] info = await RequestAsync(client, gatt, MetaWearCommands.ReadModuleInfo(MetaWearCommands.AccelerometerModule), MetaWearCommands.AccelerometerModule, ct).ConfigureAwait(false);
            if (!ModuleInfo.TryParse(info, out ModuleInfo module) || module.Chip == AccelerometerChip.Unknown)
            {
                throw new InvalidOperationException($"accelerometer not identified: module info {Convert.ToHexString(info)} (expected implementation 1 = BMI160 or 4 = BMI270)");
            }

            _chip = module.Chip;
            if (_options.SampleCounter && _options.Gyroscope != GyroscopeMode.Off)
            {
                // Module 0x13 answers 13 80 impl rev, or just 13 80 on an acceleration-only board.
                byte[] gyroInfo = await RequestAsync(client, gatt, MetaWearCommands.ReadModuleInfo(MetaWearCommands.GyroscopeModule), MetaWearCommands.GyroscopeModule, ct).ConfigureAwait(false);
                gyroChip = ModuleInfo.TryParse(gyroInfo, out ModuleInfo gyroModule) ? gyroModule.Gyroscope : GyroscopeChip.None;
                if (gyroChip == GyroscopeChip.None && _options.Gyroscope == GyroscopeMode.On)
                {
                    throw new InvalidOperationException($"no gyroscope on the board: module info {Convert.ToHexString(gyroInfo)} (Ble:Gyroscope=On requires module 0x13 with implementation 0 = BMI160 or 1 = BMI270)");
                }
            }

            _gyroChip = gyroChip;
            _packed = !_options.SampleCounter && _options.Packed && module.SupportsPacked;
            byte register = MetaWearCommands.DataRegister(module.Chip, _packed);

            await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.Configure200Hz(module.Chip, _options.RangeG)).ConfigureAwait(false);
            if (_options.RequestFastConnectionInterval)
            {
                await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.ConnectionParameters()).ConfigureAwait(false);
            }

            if (_options.SampleCounter)
            {
                // Processors persist on the board: one left by a link lost without teardown would keep
                // numbering into a second subscription, so start from none (as the SDK's teardown leaves it).
                // The stream is always 200 Hz, above the 100 Hz where MbientLab wants packing: the packer halves
                // the notifications (100/s) and the accounter behind it keeps the exact count.
                await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.RemoveAllProcessors()).ConfigureAwait(false);
                packer = await CreateProcessorAsync(client, gatt, MetaWearCommands.CreatePacker(), "packer", ct).ConfigureAwait(false);
                counter = await CreateProcessorAsync(client, gatt, MetaWearCommands.CreateChainCounter((byte)packer), "sample counter", ct).ConfigureAwait(false);
                if (gyroChip != GyroscopeChip.None)
                {
                    // The gyroscope gets the same chain on its plain rotation signal, so both streams are numbered
                    // (exact losses per stream) and the pairer can match them on the sensor clock.
                    await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.ConfigureGyroscope200Hz2000Dps()).ConfigureAwait(false);
                    gyroPacker = await CreateProcessorAsync(client, gatt, MetaWearCommands.CreateGyroscopePacker(gyroChip), "gyroscope packer", ct).ConfigureAwait(false);
                    gyroCounter = await CreateProcessorAsync(client, gatt, MetaWearCommands.CreateChainCounter((byte)gyroPacker), "gyroscope sample counter", ct).ConfigureAwait(false);
                    _pairer.Configure(_sink);
                    _pairer.Reset();
                    _decoder.Configure(_pairer, register, _options.RangeG, _options.GapThreshold, counter, MetaWearCommands.PackedPerCount);
                    _gyroDecoder.Configure(_pairer.Gyroscope, MetaWearCommands.GyroscopeDataRegister(gyroChip), 1f / MetaWearCommands.GyroscopeLsbPerDps2000,
                        _options.GapThreshold, gyroCounter, MetaWearCommands.PackedPerCount);
                    _notifications.GyroscopeCounterId = gyroCounter;
                }
                else
                {
                    _notifications.GyroscopeCounterId = -1;
                    _decoder.Configure(_sink, register, _options.RangeG, _options.GapThreshold, counter, MetaWearCommands.PackedPerCount);
                }

                await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.SubscribeProcessor((byte)counter, on: true)).ConfigureAwait(false);
                if (gyroCounter >= 0)
                {
                    await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.SubscribeProcessor((byte)gyroCounter, on: true)).ConfigureAwait(false);
                }

                await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.EnableProcessorNotifications()).ConfigureAwait(false);
            }
            else
            {
                _decoder.Configure(_sink, register, _options.RangeG, _options.GapThreshold);
                await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.Subscribe(register, on: true)).ConfigureAwait(false);
            }

            await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.EnableSampling()).ConfigureAwait(false);
            if (gyroCounter >= 0)
            {
                await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.GyroscopeEnableSampling()).ConfigureAwait(false);
            }

            await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.Start()).ConfigureAwait(false);
            if (gyroCounter >= 0)
            {
                await client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.GyroscopeStart()).ConfigureAwait(false);
            }

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

            Task<string> lost = linkLost.Task;
            await Task.WhenAny(lost, Task.Delay(Timeout.Infinite, ct), client.Stopped).ConfigureAwait(false);
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

    private async Task<(string Adapter, string Device)> FindDeviceAsync(IBlueZClient client, CancellationToken ct)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _deviceFound = found;
        }

        ManagedObjects objects = await client.GetManagedObjectsAsync().ConfigureAwait(false);
        string adapter = FindAdapter(objects, out bool powered);
        if (!powered)
        {
            await client.SetBooleanPropertyAsync(adapter, BlueZNames.Adapter, "Powered", true).ConfigureAwait(false);
        }

        _adapterPath = adapter;
        string? device = FindAllowedDevice(objects, adapter);
        if (device is not null)
        {
            return (adapter, device);
        }

        SetState(BleSensorState.Discovering, "scanning (LE)");
        await client.SetLeDiscoveryFilterAsync(adapter).ConfigureAwait(false);
        await client.StartDiscoveryAsync(adapter).ConfigureAwait(false);
        try
        {
            device = await found.Task.WaitAsync(_options.DiscoveryTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"device {_sensor.DisplayName} not found within {_options.DiscoveryTimeout.TotalSeconds:F0} s of scanning");
        }
        finally
        {
            await Ignore(client.StopDiscoveryAsync(adapter)).ConfigureAwait(false);
        }

        return (adapter, device);
    }

    private string FindAdapter(ManagedObjects objects, out bool powered)
    {
        foreach ((string path, Dictionary<string, object?> props) in objects.WithInterface(BlueZNames.Adapter))
        {
            if (_options.Adapter is null || path.EndsWith("/" + _options.Adapter, StringComparison.Ordinal))
            {
                powered = props.TryGetValue("Powered", out object? p) && p is true;
                return path;
            }
        }

        throw new InvalidOperationException(_options.Adapter is null ? "no Bluetooth adapter" : $"adapter {_options.Adapter} not found");
    }

    private string? FindAllowedDevice(ManagedObjects objects, string adapter)
    {
        foreach ((string path, Dictionary<string, object?> props) in objects.WithInterface(BlueZNames.Device))
        {
            if (path.StartsWith(adapter + "/", StringComparison.Ordinal) && IsAllowed(props))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The allowlist: the configured address, or (only without an address) the configured advertised name.</summary>
    private bool IsAllowed(Dictionary<string, object?> device)
    {
        if (_sensor.Address is not null)
        {
            return device.TryGetValue("Address", out object? a) && a is string s && string.Equals(s, _sensor.Address, StringComparison.OrdinalIgnoreCase);
        }

        return (device.TryGetValue("Name", out object? n) && n is string name && name == _sensor.Name)
            || (device.TryGetValue("Alias", out object? al) && al is string alias && alias == _sensor.Name);
    }

    private async Task ConnectAsync(IBlueZClient client, string devicePath, CancellationToken ct)
    {
        if (await client.GetBooleanPropertyAsync(devicePath, BlueZNames.Device, "Connected").ConfigureAwait(false))
        {
            return;
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await client.ConnectAsync(devicePath, _options.ConnectTimeout).WaitAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (BlueZException ex) when (attempt < _options.ConnectAttempts && ex.ErrorName is "org.bluez.Error.Failed" or "org.freedesktop.DBus.Error.NoReply" or "org.bluez.Error.InProgress")
            {
                _lastError = ex.Message;
                await Task.Delay(_options.InitialBackoff, ct).ConfigureAwait(false);
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
        lock (_gate)
        {
            _response?.TrySetResult(packet);
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
    private static async Task TeardownAsync(IBlueZClient client, MetaWearGatt gatt, byte register, int counter, int packer, int gyroCounter, int gyroPacker)
    {
        await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.Stop())).ConfigureAwait(false);
        if (gyroCounter >= 0)
        {
            await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.GyroscopeStop())).ConfigureAwait(false);
        }

        await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.DisableSampling())).ConfigureAwait(false);
        if (gyroCounter >= 0)
        {
            await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.GyroscopeDisableSampling())).ConfigureAwait(false);
        }

        if (counter >= 0)
        {
            await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.SubscribeProcessor((byte)counter, on: false))).ConfigureAwait(false);
            await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.RemoveProcessor((byte)counter))).ConfigureAwait(false);
            if (packer >= 0)
            {
                await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.RemoveProcessor((byte)packer))).ConfigureAwait(false);
            }

            if (gyroCounter >= 0)
            {
                await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.SubscribeProcessor((byte)gyroCounter, on: false))).ConfigureAwait(false);
                await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.RemoveProcessor((byte)gyroCounter))).ConfigureAwait(false);
                await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.RemoveProcessor((byte)gyroPacker))).ConfigureAwait(false);
            }
        }
        else
        {
            await Ignore(client.WriteCommandAsync(gatt.CommandPath, MetaWearCommands.Subscribe(register, on: false))).ConfigureAwait(false);
        }

        await Ignore(client.StopNotifyAsync(gatt.NotifyPath)).ConfigureAwait(false);
        await Ignore(client.DisconnectAsync(gatt.DevicePath)).ConfigureAwait(false);
    }

    /// <summary>Sends a processor-create command and returns the id of the board's <c>09 02 id</c> reply.</summary>
    private async Task<int> CreateProcessorAsync(IBlueZClient client, MetaWearGatt gatt, byte[] command, string what, CancellationToken ct)
    {
        byte[] created = await RequestAsync(client, gatt, command, MetaWearCommands.DataProcessorModule, ct).ConfigureAwait(false);
        if (created.Length < 3)
        {
            throw new InvalidOperationException($"{what} not created: reply {Convert.ToHexString(created)} (expected 09 02 id)");
        }

        return created[2];
    }

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
