using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Bluetooth.Tests.Support;
using IolaEdge.Dsp.Samples;
using Xunit.Abstractions;

namespace IolaEdge.Bluetooth.Tests.Peer;

/// <summary>
/// The gyroscope beside the accelerometer (issue 12) against the rig: configuration bytes, pairing on the
/// sensor clock, losses counted per stream, and boards or options without a gyroscope.
/// </summary>
[Trait("Category", "Peer")]
public class GyroscopePeerTests(ITestOutputHelper output)
{
    private const string Mac = "F1:2B:3C:4D:5E:60";
    private const float GyroLsbPerDps = 16.4f;

    [Fact]
    public async Task A_bmi160_board_streams_both_sensors_pairs_every_gyro_sample_with_its_row_and_counts_losses_per_stream()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(1400, seed: 5);
        var rotation = Walk.GenerateRotation(1400, seed: 6);
        int[] accDrop = [40, 41, 300];          // accelerometer notifications lost over the air (2 samples each)
        int[] gyroDrop = [25, 150, 151, 400];   // gyroscope notifications lost over the air
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, walk, rotation), intervalMs: 5, drop: accDrop, gyro: true, gyroDelay: 3, gyroDrop: gyroDrop);
        await using var session = new PeerSession(rig, "ble:" + Mac, 2000, output);

        int accExpected = walk.Length - (2 * accDrop.Length);
        Assert.True(session.WaitUntil(() => session.Snapshot().Samples >= accExpected, TimeSpan.FromSeconds(60)), session.Describe());
        Thread.Sleep(200); // the last gyroscope notification of the walk
        BleSensorSnapshot live = session.Snapshot();
        Assert.True(session.Sink.WaitFor((int)(live.PairedSamples + live.AccelerationOnlySamples), TimeSpan.FromSeconds(10)));
        await session.StopAsync();

        BleSensorSnapshot snap = session.Snapshot();
        (long gyroSent, long gyroDropped, long gyroTaken, int[] gyroConfig, long? gyroStart) = rig.GyroscopeStats(Mac);
        Assert.Equal(GyroscopeChip.Bmi160, snap.Gyroscope);
        Assert.Equal([0x29, 0x00], gyroConfig); // 200 Hz, ±2000 °/s
        Assert.NotNull(gyroStart);

        // Losses per stream, exact.
        Assert.Equal((accExpected, 2L * accDrop.Length, 0L), (snap.Samples, snap.LostSamples, snap.Rejected));
        Assert.Equal((gyroSent * 2, 2L * gyroDrop.Length, gyroDropped), (snap.GyroscopeSamples, snap.GyroscopeLostSamples, snap.GyroscopeLostSamples));
        Assert.Equal(gyroTaken - (gyroTaken % 2), snap.GyroscopeSamples + snap.GyroscopeLostSamples);

        // Counters add up.
        Assert.Equal(snap.Samples, snap.PairedSamples + snap.AccelerationOnlySamples + snap.HeldSamples);
        Assert.Equal(snap.GyroscopeSamples, snap.PairedSamples + snap.UnmatchedGyroscopeSamples + snap.WaitingGyroscopeSamples);
        Assert.Equal(snap.PairedSamples + snap.AccelerationOnlySamples, session.Sink.Count);
        Assert.Equal(0, snap.SinkDrops);

        // Which walk rows the gyroscope delivered: from its first sample, in notifications of two, minus the dropped ones.
        long firstGyroRow = gyroStart!.Value + 3;
        var gyroRows = new HashSet<long>();
        for (long m = 0; m < gyroSent + gyroDrop.Length; m++)
        {
            if (!gyroDrop.Contains((int)m))
            {
                gyroRows.Add(firstGyroRow + (2 * m));
                gyroRows.Add(firstGyroRow + (2 * m) + 1);
            }
        }

        // Every sample is walk[its sequence]; every angular velocity is rotation[the same row]; after the lock,
        // a sample carries angular velocity exactly when the gyroscope delivered its row.
        int firstPaired = -1;
        for (int k = 0; k < session.Sink.Count; k++)
        {
            ImuSample s = session.Sink[k].Sample;
            int row = (int)s.Sequence;
            Assert.Equal(Walk.Quantise(walk[row].Z, 2048f), s.Z, 1.01f / 2048f);
            if (s.HasAngularVelocity)
            {
                Assert.Equal(Walk.Quantise(rotation[row].X, GyroLsbPerDps), s.AngularVelocityX, 1.01f / GyroLsbPerDps);
                Assert.Equal(Walk.Quantise(rotation[row].Y, GyroLsbPerDps), s.AngularVelocityY, 1.01f / GyroLsbPerDps);
                Assert.Equal(Walk.Quantise(rotation[row].Z, GyroLsbPerDps), s.AngularVelocityZ, 1.01f / GyroLsbPerDps);
                firstPaired = firstPaired < 0 ? k : firstPaired;
            }

            if (firstPaired >= 0)
            {
                Assert.True(s.HasAngularVelocity == gyroRows.Contains(row), $"row {row}: paired {s.HasAngularVelocity}, gyro delivered {gyroRows.Contains(row)}");
            }
        }

        Assert.InRange(firstPaired, 0, 60); // the offset locks within the first few notifications

        Assert.Equal(
            ["0380", "1380", "0303290c", "11090600060000005802", "0908", "09020304ffa0100501", "0902090300a0113003",
             "13032900", "09021305ffa0100501", "0902090302a0113003", "09070101", "09070301", "090301",
             "03020100", "13020100", "030101", "130101", "118c",
             "030100", "130100", "03020001", "13020001", "09070100", "090601", "090600", "09070300", "090603", "090602"],
            rig.WrittenCommands(Mac));
        Assert.Empty(rig.BoardProcessors(Mac));

        // Delivered rates per stream and the notification load, on the receiving side.
        long[] arrivals = Enumerable.Range(0, session.Sink.Count).Select(x => session.Sink[x].Sample.ArrivalTimeNs).ToArray();
        double seconds = (arrivals.Max() - arrivals.Min()) / 1e9;
        output.WriteLine(
            $"gyro rig (5 ms board tick): over {seconds:F2} s, accelerometer {snap.Samples / seconds:F1} samples/s in {snap.Packets / seconds:F1} notifications/s, " +
            $"gyroscope {snap.GyroscopeSamples / seconds:F1} samples/s in {snap.GyroscopePackets / seconds:F1} notifications/s, " +
            $"total {(snap.Packets + snap.GyroscopePackets) / seconds:F1} notifications/s; paired {snap.PairedSamples}, acceleration only {snap.AccelerationOnlySamples}, " +
            $"unmatched gyroscope {snap.UnmatchedGyroscopeSamples}");
    }

    [Fact]
    public async Task A_bmi270_board_gets_its_own_gyro_registers_and_pairs()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(800, seed: 8);
        var rotation = Walk.GenerateRotation(800, seed: 9);
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, walk, rotation), model: "MMS", intervalMs: 5, gyro: true);
        await using var session = new PeerSession(rig, "ble:" + Mac, 1000, output);

        Assert.True(session.WaitUntil(() => session.Snapshot().Samples >= walk.Length, TimeSpan.FromSeconds(60)), session.Describe());
        Assert.True(session.WaitUntil(() => session.Snapshot().PairedSamples > 400, TimeSpan.FromSeconds(10)), session.Describe());
        await session.StopAsync();

        BleSensorSnapshot snap = session.Snapshot();
        Assert.Equal((AccelerometerChip.Bmi270, GyroscopeChip.Bmi270), (snap.Chip, snap.Gyroscope));
        List<string> written = rig.WrittenCommands(Mac);
        Assert.Contains("13032900", written);
        Assert.Contains("09021304ffa0100501", written); // BMI270 plain rotation register 0x04
        for (int k = 0; k < session.Sink.Count; k++)
        {
            ImuSample s = session.Sink[k].Sample;
            if (s.HasAngularVelocity)
            {
                Assert.Equal(Walk.Quantise(rotation[(int)s.Sequence].Y, GyroLsbPerDps), s.AngularVelocityY, 1.01f / GyroLsbPerDps);
            }
        }
    }

    [Fact]
    public async Task Gyro_off_streams_acceleration_only_from_a_board_that_has_one()
    {
        using BluezRig rig = BluezRig.Start();
        var walk = Walk.Generate(300);
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, walk, Walk.GenerateRotation(300)), intervalMs: 5, gyro: true);
        await using var session = new PeerSession(rig, "ble:" + Mac + ",gyro=off", 1000, output);

        Assert.True(session.Sink.WaitFor(300, TimeSpan.FromSeconds(60)), session.Describe());
        await session.StopAsync();

        Assert.All(Enumerable.Range(0, 300), k => Assert.False(session.Sink[k].Sample.HasAngularVelocity));
        Assert.Equal(GyroscopeChip.None, session.Snapshot().Gyroscope);
        Assert.DoesNotContain(rig.WrittenCommands(Mac), c => c.StartsWith("13", StringComparison.Ordinal) || c.StartsWith("090213", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gyro_on_against_a_board_without_one_fails_the_cycle_naming_the_module()
    {
        using BluezRig rig = BluezRig.Start();
        rig.AddMetaWear(Mac, Walk.WriteCsv(rig.Directory, Walk.Generate(300)), intervalMs: 5);
        await using var session = new PeerSession(rig, "ble:" + Mac + ",gyro=on", 1000, output);

        Assert.True(session.WaitUntil(() => session.Snapshot().FailedAttempts >= 1, TimeSpan.FromSeconds(30)), session.Describe());
        BleSensorSnapshot snap = session.Snapshot();
        Assert.Contains("no gyroscope on the board: module info 1380", snap.LastError, StringComparison.Ordinal);
        Assert.Equal(0, snap.Samples);
    }
}
