using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using Xunit.Abstractions;

namespace IolaEdge.Bluetooth.Tests.Peer;

/// <summary>
/// The whole source against a private dbus-daemon + python3-dbusmock (bluez5 template) + the fake
/// MetaWear board, which streams a walk written by the test.
/// </summary>
[Trait("Category", "Peer")]
public class BleImuSourcePeerTests(ITestOutputHelper output)
{
    internal const string Mac = "F1:2B:3C:4D:5E:6F";
    private const string Other = "11:22:33:44:55:66";

    [Fact]
    public async Task A_packed_bmi160_stream_reproduces_the_walk_and_the_board_receives_the_documented_bytes()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(600);
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, walk)); // real time: one packet of 3 samples per 15 ms
        await using var session = new PeerSession(rig, "ble:" + Mac.ToLowerInvariant(), 1000, output, o => o.SampleCounter = false);

        Assert.True(session.Sink.WaitFor(600, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        AssertReproduces(session.Sink, 0, walk, 0, 600, 2048f, counted: false);
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Equal((AccelerometerChip.Bmi160, true, 600L, 200L, 0L, 0L), (snap.Chip, snap.Packed, snap.Samples, snap.Packets, snap.Rejected, snap.SinkDrops));
        Assert.Equal(BleSensorState.Stopped, snap.State);

        Assert.Equal(
            ["0380", "0303290c", "11090600060000005802", "031c01", "03020100", "030101", "118c", "030100", "03020001", "031c00"],
            rig.WrittenCommands(Mac));
        Assert.All(rig.Calls(Mac, "command").Where(c => c.Method == "WriteValue"), c => Assert.Contains("\"type\": \"command\"", c.Args[1], StringComparison.Ordinal));
        Assert.Equal(["StartNotify", "StopNotify"], rig.Calls(Mac, "notify").Select(c => c.Method));
        Assert.Equal(["Connect", "Disconnect"], rig.Calls(Mac, "device").Select(c => c.Method));

        ReportLatency(rig, session.Sink, 600);
    }

    [Fact]
    public async Task A_plain_bmi270_stream_at_4_g_reproduces_the_walk()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(400, seed: 3);
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, walk), model: "MMS", intervalMs: 5);
        await using var session = new PeerSession(rig, "ble:" + Mac, 1000, output, o =>
        {
            o.SampleCounter = false;
            o.Packed = false;
            o.RangeG = 4;
            o.RequestFastConnectionInterval = false;
        });

        Assert.True(session.Sink.WaitFor(400, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        AssertReproduces(session.Sink, 0, walk, 0, 400, 8192f, counted: false);
        Assert.Equal((AccelerometerChip.Bmi270, false), (session.Snapshot().Chip, session.Snapshot().Packed));
        Assert.Equal(["0380", "0303a901", "030401", "03020100", "030101", "118c", "030100", "03020001", "030400"], rig.WrittenCommands(Mac));
    }

    [Fact]
    public async Task The_packed_sample_counter_is_set_up_as_the_sdk_does_halves_the_notifications_and_counts_injected_losses_exactly()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(1000, seed: 4);

        // Notification indices the board counts but never sends, two samples each; 99 and 100 carry the
        // counts 2^32 - 1 and 0: the u32 count (started 100 below 2^32) wraps inside a loss.
        int[] drop = [5, 25, 26, 27, 99, 100, 150, 320, 321, 322, 323, 400];
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, walk), intervalMs: 5, drop: drop, countStart: (1L << 32) - 100); // 200 Hz sampling
        await using var session = new PeerSession(rig, "ble:" + Mac, 1000, output);

        int expected = walk.Length - (2 * drop.Length);
        Assert.True(session.Sink.WaitFor(expected, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        BleSensorSnapshot snap = session.Snapshot();
        Assert.True(snap.SampleCounter);
        Assert.False(snap.Packed);
        Assert.Equal((expected, expected / 2L, 2L * drop.Length, 0L, 0L), (snap.Samples, snap.Packets, snap.LostSamples, snap.Rejected, snap.SinkDrops));
        (long sent, long taken, long[] emitNs) = rig.Stats(Mac);
        Assert.Equal((expected / 2L, (long)walk.Length), (sent, taken)); // one notification per two samples

        // Each delivered sample is walk[its sequence]: the sequence skips exactly the lost notifications' samples.
        var missing = new HashSet<int>(drop.SelectMany(m => new[] { 2 * m, (2 * m) + 1 }));
        var clock = new IolaEdge.Dsp.Timing.SampleClock();
        IolaEdge.Dsp.Samples.ImuSample previous = default;
        bool pulledBack = false;
        int k = 0;
        for (int i = 0; i < walk.Length; i++)
        {
            if (missing.Contains(i))
            {
                continue;
            }

            var s = session.Sink[k++].Sample;
            Assert.Equal(i, s.Sequence);
            Assert.Equal(Walk.Quantise(walk[i].X, 2048f), s.X, 1.01f / 2048f);
            Assert.Equal(Walk.Quantise(walk[i].Y, 2048f), s.Y, 1.01f / 2048f);
            Assert.Equal(Walk.Quantise(walk[i].Z, 2048f), s.Z, 1.01f / 2048f);
            if (i % 2 == 1)
            {
                // the second sample of a notification: same arrival, one period after the first
                Assert.Equal((previous.ArrivalTimeNs, 5_000_000L), (s.ArrivalTimeNs, s.SensorTimeNs - previous.SensorTimeNs));
            }
            else if (k > 1)
            {
                // a notification's first sample: the counted step within a quarter period (the clock slews its base);
                // exactly a quarter period less while it pulls back a base that ran ahead of the arrivals (a test host
                // starved of CPU reads notifications in bursts, as CI's did)
                long counted = (s.Sequence - previous.Sequence) * 5_000_000L;
                long step = s.SensorTimeNs - previous.SensorTimeNs;
                Assert.InRange(step, counted - 1_250_000L, counted + 1_250_000L);
                pulledBack = step == counted - 1_250_000L;
            }

            Assert.True(s.SensorTimeNs <= s.ArrivalTimeNs || pulledBack, $"sample {i} stamped after its arrival while its base was not being pulled back");
            previous = s;
            Assert.Equal(s.SensorTimeNs, clock.Stamp(s).SensorTimeNs); // the pipeline keeps the counter's times...
        }

        Assert.Equal(2 * drop.Length, clock.EstimatedLostSamples); // ...and counts the same losses from them

        Assert.Equal(
            ["0380", "1380", "0303290c", "11090600060000005802", "0908", "0902030" + "4ffa0100501", "09020903" + "00a0113003", "09070101", "090301", "03020100", "030101", "118c",
             "030100", "03020001", "09070100", "090601", "090600"],
            rig.WrittenCommands(Mac));
        Assert.Empty(rig.BoardProcessors(Mac)); // the teardown left no processor on the board

        // Rates in the rig: the board samples every 5 ms tick and sends every second one.
        double emitSeconds = (emitNs[^1] - emitNs[0]) / 1e9;
        double notificationsPerSecond = (emitNs.Length - 1) / emitSeconds;
        double samplesPerSecond = (taken - 2) / emitSeconds; // first and last notifications were sent: the span holds taken / 2 - 1 packer periods
        long[] arrivals = Enumerable.Range(0, session.Sink.Count).Select(x => session.Sink[x].Sample.ArrivalTimeNs).Distinct().ToArray();
        double receivedPerSecond = (arrivals.Length - 1) / ((arrivals[^1] - arrivals[0]) / 1e9);
        output.WriteLine($"packed sample counter: {sent} notifications for {taken} samples; board emitted {notificationsPerSecond:F1} notifications/s, " +
            $"{samplesPerSecond:F1} samples/s; received {receivedPerSecond:F1} notifications/s ({arrivals.Length} distinct arrivals)");
        Assert.Equal(sent, arrivals.Length);
    }

    [Fact]
    public async Task Device_removal_and_re_add_reconnects_and_samples_resume_with_a_running_sequence()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(3000);
        string csv = Walk.WriteCsv(rig.Directory, walk);
        rig.AddMetaWear(Mac, csv, intervalMs: 5);
        await using var session = new PeerSession(rig, "ble:left=" + Mac, 10_000, output);

        Assert.True(session.Sink.WaitFor(300, TimeSpan.FromSeconds(60)), session.Describe());
        rig.RemoveDevice(Mac);
        Assert.True(session.WaitUntil(() => session.Snapshot().LinkLosses == 1, TimeSpan.FromSeconds(20)), session.Describe());
        int beforeRemoval = (int)session.Snapshot().Samples;
        Assert.True(session.Sink.WaitFor(beforeRemoval, TimeSpan.FromSeconds(10))); // the test's consumer may lag the bus thread
        Thread.Sleep(300); // the device stays away for a while: the source keeps backing off
        Assert.Equal(beforeRemoval, session.Sink.Count);

        rig.AddMetaWear(Mac, csv, intervalMs: 5); // a fresh board: its stream starts again at walk[0]
        Assert.True(session.Sink.WaitFor(beforeRemoval + 300, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        AssertReproduces(session.Sink, 0, walk, 0, beforeRemoval, 2048f);
        AssertReproduces(session.Sink, beforeRemoval, walk, 0, 300, 2048f);
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Equal(2, snap.StreamStarts);
        Assert.Equal(1, snap.LinkLosses);
        Assert.True(snap.InterruptedMs > 300, snap.ToString());
        Assert.Equal(0, snap.Rejected);
    }

    [Fact]
    public async Task A_bluez_restart_is_seen_through_name_owner_changed_and_the_stream_is_rebuilt()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(3000);
        string csv = Walk.WriteCsv(rig.Directory, walk);
        rig.AddMetaWear(Mac, csv, intervalMs: 5);
        await using var session = new PeerSession(rig, "ble:" + Mac, 10_000, output);
        Assert.True(session.Sink.WaitFor(150, TimeSpan.FromSeconds(60)), session.Describe());

        rig.StopMock(); // bluetoothd gone: no InterfacesRemoved, no PropertiesChanged — only NameOwnerChanged
        Assert.True(session.WaitUntil(() => session.Snapshot().LinkLosses == 1, TimeSpan.FromSeconds(20)), session.Describe());
        Assert.Contains("bluetoothd", session.Snapshot().LastError ?? string.Join('\n', session.Events), StringComparison.Ordinal);
        int before = (int)session.Snapshot().Samples;

        rig.StartMock();
        rig.AddMetaWear(Mac, csv, intervalMs: 5);
        Assert.True(session.Sink.WaitFor(before + 150, TimeSpan.FromSeconds(60)), session.Describe());
        AssertReproduces(session.Sink, before, walk, 0, 150, 2048f);
        Assert.Equal(2, session.Snapshot().StreamStarts);
    }

    [Fact]
    public async Task Discovery_finds_only_the_allowlisted_address_and_never_touches_another_metawear()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(300);
        string csv = Walk.WriteCsv(rig.Directory, walk);
        rig.AddMetaWear(Other, csv); // same name, wrong address: must be left alone
        await using var session = new PeerSession(rig, "ble:" + Mac, 1000, output);
        Assert.True(session.WaitUntil(() => session.Events.Any(e => e.Contains("LE discovery started", StringComparison.Ordinal)), TimeSpan.FromSeconds(20)), session.Describe());

        rig.AddMetaWear(Mac, csv); // appears while scanning (InterfacesAdded)
        Assert.True(session.Sink.WaitFor(300, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        AssertReproduces(session.Sink, 0, walk, 0, 300, 2048f);
        string[] adapterCalls = rig.Calls(Mac, "adapter").Select(c => c.Method).ToArray();
        Assert.Contains("SetDiscoveryFilter", adapterCalls);
        Assert.Contains("StartDiscovery", adapterCalls);
        Assert.Contains("StopDiscovery", adapterCalls);
        Assert.Empty(rig.Calls(Other, "device"));
        Assert.Empty(rig.Calls(Other, "notify"));
        Assert.DoesNotContain(rig.Calls(Other, "command"), c => c.Method == "WriteValue");
    }

    [Fact]
    public async Task A_dropped_link_with_the_device_kept_reconnects_and_the_board_continues_where_it_stopped()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(3000);
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, walk), intervalMs: 5);
        await using var session = new PeerSession(rig, "ble:" + Mac, 10_000, output);
        Assert.True(session.Sink.WaitFor(150, TimeSpan.FromSeconds(60)), session.Describe());

        rig.DropLink(Mac); // powered off / out of range: Connected=false, BlueZ keeps the device object
        Assert.True(session.WaitUntil(() => session.Snapshot().StreamStarts == 2, TimeSpan.FromSeconds(30)), session.Describe());
        (_, long boardSamples, _) = rig.Stats(Mac);
        Assert.True(session.Sink.WaitFor((int)boardSamples + 150, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        // The same board object keeps its position in the walk, so the stream is continuous in content.
        AssertReproduces(session.Sink, 0, walk, 0, (int)boardSamples + 150, 2048f);
        Assert.Equal(2, rig.Calls(Mac, "device").Count(c => c.Method == "Connect"));
        Assert.Equal(1, session.Snapshot().LinkLosses);
    }

    [Fact]
    public async Task Two_sensors_stream_at_once_each_with_its_own_id_and_sequence()
    {
        using BluezRig rig = BluezRig.Start();
        var left = Walk.Generate(600, seed: 1);
        var right = Walk.Generate(600, seed: 2);
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, left, "left.csv"), intervalMs: 5);
        rig.AddMetaWear(Other, Walk.WriteCsv(rig.Directory, right, "right.csv"), model: "MMS", intervalMs: 5);
        await using var session = new PeerSession(rig, $"ble:left={Mac},right={Other}", 2000, output);

        Assert.True(session.Sink.WaitFor(1200, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        var bySensor = Enumerable.Range(0, session.Sink.Count).Select(i => session.Sink[i].Sample).GroupBy(s => s.SensorId).ToDictionary(g => g.Key, g => g.ToArray());
        Assert.Equal([0, 1], bySensor.Keys.Order());
        foreach ((int id, var walk) in new[] { (0, left), (1, right) })
        {
            Assert.Equal(600, bySensor[id].Length);
            for (int i = 0; i < 600; i++)
            {
                Assert.Equal(i, bySensor[id][i].Sequence);
                Assert.Equal(Walk.Quantise(walk[i].Z, 2048f), bySensor[id][i].Z, 1.01f / 2048f);
            }
        }

        Assert.Equal((AccelerometerChip.Bmi160, AccelerometerChip.Bmi270), (session.Snapshot(0).Chip, session.Snapshot(1).Chip));
        Assert.Contains("0902030" + "4ffa0100501", rig.WrittenCommands(Other)); // the packed sample counter, on the BMI270 too
        Assert.Contains("09020903" + "00a0113003", rig.WrittenCommands(Other));
    }

    /// <summary>
    /// The sink holds walk[walkFrom..] from index <paramref name="from"/> with a running sequence; a
    /// sample-counter stream (<paramref name="counted"/>) also brings sample times that are never closer than the
    /// quarter period its clock slews by allows.
    /// </summary>
    internal static void AssertReproduces(RingSink sink, int from, (float X, float Y, float Z)[] walk, int walkFrom, int count, float lsbPerG, bool counted = true)
    {
        float tolerance = 1.01f / lsbPerG; // one int16 step
        long firstSequence = sink[from].Sample.Sequence;
        Assert.Equal(from, firstSequence);
        long lastTime = 0;
        long pulledBackArrival = -1;
        for (int i = 0; i < count; i++)
        {
            var s = sink[from + i].Sample;
            var g = walk[walkFrom + i];
            Assert.Equal(from + i, s.Sequence);
            if (counted)
            {
                // At least three quarters of the 5 ms period apart (the clock slews its base by a quarter at most; a
                // reconnect restarts it later); a sample may lie after its arrival only in a notification whose first
                // sample was pulled back that full quarter period.
                long step = s.SensorTimeNs - lastTime;
                string where = $"sample {from + i}: time {s.SensorTimeNs}, previous {lastTime}, arrival {s.ArrivalTimeNs}";
                Assert.True(lastTime == 0 || step >= 3_750_000, where);
                if (lastTime != 0 && step == 3_750_000)
                {
                    pulledBackArrival = s.ArrivalTimeNs;
                }

                Assert.True(s.SensorTimeNs <= s.ArrivalTimeNs || s.ArrivalTimeNs == pulledBackArrival, where);
                lastTime = s.SensorTimeNs;
            }
            else
            {
                Assert.Equal(0, s.SensorTimeNs);
            }

            if (Math.Abs(s.X - Walk.Quantise(g.X, lsbPerG)) > tolerance || Math.Abs(s.Y - Walk.Quantise(g.Y, lsbPerG)) > tolerance || Math.Abs(s.Z - Walk.Quantise(g.Z, lsbPerG)) > tolerance)
            {
                Assert.Fail($"sample {from + i} = ({s.X}, {s.Y}, {s.Z}) differs from walk[{walkFrom + i}] = {g} by more than one LSB");
            }
        }
    }

    private void ReportLatency(BluezRig rig, RingSink sink, int samples)
    {
        long[] emit = rig.Stats(Mac).EmitNs;
        var toSink = new List<double>();
        var toCallback = new List<double>();
        for (int i = 0; i < samples; i += 3)
        {
            long e = emit[i / 3];
            toSink.Add((sink[i].SinkNs - e) / 1000.0);
            toCallback.Add((sink[i].Sample.ArrivalTimeNs - e) / 1000.0);
        }

        toSink.Sort();
        toCallback.Sort();
        double P(List<double> v, double q) => v[(int)Math.Min(v.Count - 1, Math.Round(q * (v.Count - 1)))];
        output.WriteLine($"latency mock emit -> sink over {toSink.Count} notifications at 66.7/s: p50 {P(toSink, 0.5):F0} us, p99 {P(toSink, 0.99):F0} us, max {toSink[^1]:F0} us; emit -> callback entry p50 {P(toCallback, 0.5):F0} us, p99 {P(toCallback, 0.99):F0} us");
    }
}
