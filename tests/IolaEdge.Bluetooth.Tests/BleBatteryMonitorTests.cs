using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth.Tests;

public class BleBatteryMonitorTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_answered_read_gives_charge_volts_and_the_age_of_the_reading()
    {
        var monitor = new BleBatteryMonitor();
        var written = new List<string>();
        Task<bool> read = monitor.ReadAsync(c => { written.Add(Convert.ToHexString(c)); return Task.CompletedTask; }, s_wait, CancellationToken.None);
        Assert.Equal(1, monitor.Snapshot().Outstanding);
        monitor.OnReply(Convert.FromHexString("118C573E0F"), arrivalNs: 1_000_000_000);
        Assert.True(await read);

        BleBatterySnapshot s = monitor.Snapshot(nowNs: 4_500_000_000);
        Assert.Equal(["118C"], written);
        Assert.Equal((87, 3.902, 3.5), (s.ChargePercent, s.Volts, s.AgeSeconds));
        Assert.Equal((1L, 1L, 0L, 0, 0L), (s.Reads, s.Readings, s.Unanswered, s.Outstanding, s.Rejected));
        Assert.Equal("battery 87 % 3.90 V (4 s ago; reads 1, unanswered 0, rejected 0)", s.ToString());
    }

    [Fact]
    public async Task A_read_without_an_answer_is_counted_and_the_battery_stays_unknown()
    {
        var monitor = new BleBatteryMonitor();
        Assert.False(await monitor.ReadAsync(_ => Task.CompletedTask, TimeSpan.FromMilliseconds(20), CancellationToken.None));

        BleBatterySnapshot s = monitor.Snapshot();
        Assert.Null(s.ChargePercent);
        Assert.Null(s.Volts);
        Assert.Null(s.AgeSeconds);
        Assert.Equal((1L, 0L, 1L, 0), (s.Reads, s.Readings, s.Unanswered, s.Outstanding));
        Assert.StartsWith("battery unknown", s.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_reply_ends_its_read_is_counted_by_reason_and_keeps_the_previous_reading()
    {
        var monitor = new BleBatteryMonitor();
        Task<bool> first = monitor.ReadAsync(_ => Task.CompletedTask, s_wait, CancellationToken.None);
        monitor.OnReply(Convert.FromHexString("118C323410"), 10);
        Assert.True(await first);

        Task<bool> second = monitor.ReadAsync(_ => Task.CompletedTask, s_wait, CancellationToken.None);
        monitor.OnReply(Convert.FromHexString("118C32"), 20);
        Assert.False(await second);
        Task<bool> third = monitor.ReadAsync(_ => Task.CompletedTask, s_wait, CancellationToken.None);
        monitor.OnReply(Convert.FromHexString("118CC83410"), 30);
        Assert.False(await third);

        BleBatterySnapshot s = monitor.Snapshot(nowNs: 10);
        Assert.Equal((50, 4.148), (s.ChargePercent, s.Volts));
        Assert.Equal(1, s.RejectedByReason[BatteryRejectReason.Truncated]);
        Assert.Equal(1, s.RejectedByReason[BatteryRejectReason.ChargeOutOfRange]);
        // Every read has one outcome.
        Assert.Equal(s.Reads, s.Readings + s.Unanswered + s.Rejected + s.Outstanding);
    }

    [Fact]
    public async Task A_reply_nobody_asked_for_is_counted_and_ignored()
    {
        var monitor = new BleBatteryMonitor();
        monitor.OnReply(Convert.FromHexString("118C633410"), 1);
        Assert.False(await monitor.ReadAsync(_ => Task.CompletedTask, TimeSpan.FromMilliseconds(20), CancellationToken.None));
        monitor.OnReply(Convert.FromHexString("118C633410"), 2); // late: its read already timed out

        BleBatterySnapshot s = monitor.Snapshot();
        Assert.Null(s.ChargePercent);
        Assert.Equal((2L, 1L, 1L), (s.RejectedByReason[BatteryRejectReason.NotRequested], s.Reads, s.Unanswered));
    }

    [Fact]
    public async Task A_failed_write_counts_the_read_as_unanswered_and_surfaces_the_error()
    {
        var monitor = new BleBatteryMonitor();
        await Assert.ThrowsAsync<InvalidOperationException>(() => monitor.ReadAsync(_ => throw new InvalidOperationException("link gone"), s_wait, CancellationToken.None));
        Assert.Equal((1L, 1L, 0), (monitor.Snapshot().Reads, monitor.Snapshot().Unanswered, monitor.Snapshot().Outstanding));
    }

    [Fact]
    public async Task A_write_that_hangs_does_not_hold_up_a_cancelled_read()
    {
        var monitor = new BleBatteryMonitor();
        var never = new TaskCompletionSource();
        using var cts = new CancellationTokenSource();
        Task<bool> read = monitor.ReadAsync(_ => never.Task, s_wait, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((1L, 1L, 0), (monitor.Snapshot().Reads, monitor.Snapshot().Unanswered, monitor.Snapshot().Outstanding));
    }
}
