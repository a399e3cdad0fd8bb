using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using Xunit.Abstractions;

namespace IolaEdge.Bluetooth.Tests.Peer;

/// <summary>
/// The receive loop's allocation per notification, measured over the whole process (Tmds reads on thread-pool
/// threads, so no one thread can be probed). It runs alone: a peer test of another class running beside it once
/// added 80 MB to the count in CI-like conditions (3 401 B per notification against about 280).
/// </summary>
[Trait("Category", "Peer")]
[Collection(nameof(BleStreamAllocationPeerTests))]
public sealed class BleStreamAllocationPeerTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_ten_minute_equivalent_stream_loses_no_sample_inside_the_process()
    {
        // 10 min at 200 Hz = 120 000 samples = 40 000 packed notifications, emitted as fast as the
        // mock can (20 packets per 1 ms GLib tick requested) instead of at 66.7 packets/s.
        const int N = 120_000;
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(N);
        rig.AddMetaWear(BleImuSourcePeerTests.Mac, Walk.WriteCsv(rig.Directory, walk), intervalMs: 1, perTick: 20);
        var started = DateTime.UtcNow;
        // The test's own consumer thread may be starved for a while on a loaded CI machine: give its ring
        // 2.7 s of buffer at this rate so that a drop could only come from the source.
        await using var session = new PeerSession(rig, "ble:" + BleImuSourcePeerTests.Mac, N + 10, output, o => o.SampleCounter = false, ringSize: 1 << 16);

        // Allocation of the whole process while ~2/3 of the stream passes through the receive loop: Tmds
        // reads on thread-pool threads, so no single thread can be probed. The test's ring consumer allocates nothing.
        Assert.True(session.Sink.WaitFor(N / 6, TimeSpan.FromSeconds(240)), session.Describe());
        long notificationsBefore = session.Snapshot().Packets;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        Assert.True(session.Sink.WaitFor(N * 5 / 6, TimeSpan.FromSeconds(240)), session.Describe());
        long allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        long notifications = session.Snapshot().Packets - notificationsBefore;

        Assert.True(session.Sink.WaitFor(N, TimeSpan.FromSeconds(240)), session.Describe());
        double seconds = (DateTime.UtcNow - started).TotalSeconds;
        Thread.Sleep(200);
        await session.StopAsync();

        (long packets, long samples, _) = rig.Stats(BleImuSourcePeerTests.Mac);
        Assert.Equal((N / 3L, (long)N), (packets, samples));
        Assert.Equal(N, session.Sink.Count);
        Assert.Equal(0, session.Sink.RingDrops);
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Equal((N, N / 3L, 0L, 0L, 0L), (snap.Samples, snap.Packets, snap.Rejected, snap.SinkDrops, snap.LinkLosses));
        BleImuSourcePeerTests.AssertReproduces(session.Sink, 0, walk, 0, N, 2048f, counted: false);
        double perNotification = (double)(allocatedAfter - allocatedBefore) / notifications;
        output.WriteLine($"process allocated {allocatedAfter - allocatedBefore} B over {notifications} notifications = {perNotification:F0} B/notification (two snapshots included)");
        Assert.True(notifications > 20_000, $"only {notifications} notifications between the probes");

        // Tmds.DBus.Protocol allocates about 270-280 B per received signal (measured by the ble-latency command);
        // the bar is "a few hundred bytes per notification". More than 512 B means a regression.
        Assert.True(perNotification < 512, $"process allocated {perNotification:F0} B per notification");
        output.WriteLine($"{N} samples ({N / 3} notifications) in {seconds:F1} s = {N / 3 / seconds:F0} notifications/s ({N / seconds / 200:F1}x real time)");
    }
}

/// <summary>Process-wide allocation is only this test's own when no other test class runs beside it.</summary>
[CollectionDefinition(nameof(BleStreamAllocationPeerTests), DisableParallelization = true)]
public sealed class BleStreamAllocationRunsAlone
{
}
