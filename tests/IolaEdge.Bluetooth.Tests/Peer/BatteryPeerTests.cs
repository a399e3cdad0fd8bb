using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using Xunit.Abstractions;

namespace IolaEdge.Bluetooth.Tests.Peer;

/// <summary>The battery read over the link against the rig's fake board: its figures, a board that never answers, a malformed reply, repeated reads.</summary>
[Trait("Category", "Peer")]
public class BatteryPeerTests(ITestOutputHelper output)
{
    private const string Mac = "F1:2B:3C:4D:5E:70";

    [Fact]
    public async Task The_snapshot_carries_the_boards_charge_and_voltage_read_once_streaming_started()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(4000)), intervalMs: 5, battery: "87:3950");
        await using var session = new PeerSession(rig, "ble:" + Mac, 4000, output);

        Assert.True(session.WaitUntil(() => session.Snapshot().Battery.Readings >= 1, TimeSpan.FromSeconds(30)), session.Describe());
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Equal(BleSensorState.Streaming, snap.State);
        Assert.Equal((87, 3.95), (snap.Battery.ChargePercent, snap.Battery.Volts));
        Assert.InRange(snap.Battery.AgeSeconds!.Value, 0, 30);
        Assert.Equal((1L, 1L, 0L, 0L), (snap.Battery.Reads, snap.Battery.Readings, snap.Battery.Unanswered, snap.Battery.Rejected));

        // The read went out once the stream was started, and the stream went on around it.
        long before = snap.Samples;
        Assert.True(session.WaitUntil(() => session.Snapshot().Samples > before + 200, TimeSpan.FromSeconds(20)), session.Describe());
        List<string> written = rig.WrittenCommands(Mac);
        Assert.Equal(written.IndexOf("030101") + 1, written.IndexOf("118c"));
        Assert.Equal(1, rig.BatteryReads(Mac));
        Assert.Equal(0, session.Snapshot().Rejected);
        Assert.Contains("battery 87 % 3.95 V", session.Snapshot().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_board_that_never_answers_leaves_the_battery_unknown_and_keeps_streaming()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(4000)), intervalMs: 5, battery: "off");
        await using var session = new PeerSession(rig, "ble:" + Mac + ",battery=1", 4000, output, o => o.ResponseTimeout = TimeSpan.FromMilliseconds(300));

        Assert.True(session.WaitUntil(() => session.Snapshot().Battery.Unanswered >= 2, TimeSpan.FromSeconds(30)), session.Describe());
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Equal(BleSensorState.Streaming, snap.State);
        Assert.Null(snap.Battery.ChargePercent);
        Assert.Null(snap.Battery.Volts);
        Assert.Null(snap.Battery.AgeSeconds);
        Assert.Equal(0, snap.Battery.Readings);
        Assert.Null(snap.LastError); // not an error of the link
        Assert.Equal(0, snap.FailedAttempts);
        Assert.Equal(snap.Battery.Reads, snap.Battery.Unanswered + snap.Battery.Outstanding);
        Assert.True(rig.BatteryReads(Mac) >= 2);
        Assert.Contains("battery unknown", snap.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_reply_is_counted_by_reason_and_the_battery_stays_unknown()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(4000)), intervalMs: 5, battery: "hex:118c63");
        await using var session = new PeerSession(rig, "ble:" + Mac, 4000, output);

        Assert.True(session.WaitUntil(() => session.Snapshot().Battery.Rejected >= 1, TimeSpan.FromSeconds(30)), session.Describe());
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Null(snap.Battery.ChargePercent);
        Assert.Equal(1, snap.Battery.RejectedByReason[BatteryRejectReason.Truncated]);
        Assert.Equal(0, snap.Rejected); // the sample decoder never saw it
    }

    [Fact]
    public async Task The_battery_is_read_again_every_interval_while_streaming()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(4000)), intervalMs: 5, battery: "15:3550");
        await using var session = new PeerSession(rig, "ble:" + Mac + ",battery=1", 4000, output);

        Assert.True(session.WaitUntil(() => session.Snapshot().Battery.Readings >= 3, TimeSpan.FromSeconds(30)), session.Describe());
        await session.StopAsync();
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Equal((15, 3.55), (snap.Battery.ChargePercent, snap.Battery.Volts));
        Assert.Equal(snap.Battery.Reads, snap.Battery.Readings + snap.Battery.Unanswered);
        Assert.Equal(snap.Battery.Reads, rig.BatteryReads(Mac));
        Assert.Equal((0L, 0L, 0L), (snap.Rejected, snap.LostSamples, snap.SinkDrops)); // the stream went on intact around the reads
        List<string> written = rig.WrittenCommands(Mac);
        Assert.True(written.IndexOf("030100") > written.LastIndexOf("118c"), string.Join(' ', written)); // no read after the stop began
    }
}
