using IolaEdge.Bluetooth.BlueZ;

namespace IolaEdge.Bluetooth;

/// <summary>The BlueZ part of a sensor link before any GATT traffic: pick the adapter, find the allowed device (scanning if needed), connect.</summary>
internal sealed partial class BleSensorLink
{
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

        SetState(BleSensorState.Discovering, "not known to BlueZ yet: LE discovery started");
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
}
