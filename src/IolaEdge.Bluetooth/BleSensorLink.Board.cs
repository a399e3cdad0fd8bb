using IolaEdge.Bluetooth.BlueZ;
using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth;

/// <summary>The MetaWear board's part of a sensor link: identify the chips, set up the streams and their counters, start, tear down.</summary>
internal sealed partial class BleSensorLink
{
    /// <summary>What <see cref="StartBoardStreamAsync"/> set up on the board, and must be torn down.</summary>
    /// <param name="Module">The accelerometer as the board reported it.</param>
    /// <param name="Register">The accelerometer data register subscribed to (without the sample counter).</param>
    /// <param name="Counter">The accelerometer's counter processor, or −1.</param>
    /// <param name="Packer">The accelerometer's packer processor, or −1.</param>
    /// <param name="GyroCounter">The gyroscope's counter processor, or −1 when the gyroscope is not streamed.</param>
    /// <param name="GyroPacker">The gyroscope's packer processor, or −1.</param>
    /// <param name="GyroChip">The gyroscope, or none.</param>
    private readonly record struct BoardStream(ModuleInfo Module, byte Register, int Counter, int Packer, int GyroCounter, int GyroPacker, GyroscopeChip GyroChip);

    /// <summary>Identifies the board's chips, configures 200 Hz streams (with the sample counter chains when asked) and starts them.</summary>
    private async Task<BoardStream> StartBoardStreamAsync(IBlueZClient client, MetaWearGatt gatt, CancellationToken ct)
    {
        int counter = -1;
        int packer = -1;
        int gyroCounter = -1;
        int gyroPacker = -1;
        GyroscopeChip gyroChip = GyroscopeChip.None;
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

        return new BoardStream(module, register, counter, packer, gyroCounter, gyroPacker, gyroChip);
    }

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
}
