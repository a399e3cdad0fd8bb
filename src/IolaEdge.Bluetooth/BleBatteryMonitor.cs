using IolaEdge.Bluetooth.MetaWear;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Bluetooth;

/// <summary>
/// One sensor's battery reads: sends <c>11 8c</c>, takes the board's reply (<see cref="BatteryReading"/>) or counts
/// the read as unanswered after the timeout, keeps the last good reading and when it arrived.
/// Every read ends one way: <c>reads = readings + rejected replies to a read + unanswered + outstanding (0 or 1)</c>.
/// </summary>
/// <remarks>
/// Replies arrive on the D-Bus receive thread (<see cref="OnReply"/>), reads are sent from the link's battery task,
/// snapshots are taken from any thread: all under one lock, which the sample path never takes (a battery reply
/// is a read reply, routed apart from data notifications by <see cref="NotificationHandler"/>).
/// </remarks>
internal sealed class BleBatteryMonitor
{
    private readonly Lock _lock = new();
    private readonly long[] _rejected = new long[Enum.GetValues<BatteryRejectReason>().Length];
    private TaskCompletionSource<bool>? _outstanding; // the read waiting for its reply, or null
    private long _reads;
    private long _readings;
    private long _unanswered;
    private BatteryReading? _last;
    private long _lastAtNs;

    /// <summary>
    /// Sends one read through <paramref name="write"/> and waits up to <paramref name="timeout"/> for the reply.
    /// Returns true for a good reading, false for a rejected reply or none (counted as unanswered).
    /// Not for the sample path: awaits D-Bus.
    /// </summary>
    public async Task<bool> ReadAsync(Func<byte[], Task> write, TimeSpan timeout, CancellationToken ct)
    {
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _outstanding = reply;
            _reads++;
        }

        try
        {
            // The write itself cannot be cancelled: a link that ends while it waits for its reply (up to the call
            // timeout when bluetoothd is gone) must not hold up the cycle, so only the wait is abandoned.
            await write(MetaWearCommands.ReadBatteryState()).WaitAsync(ct).ConfigureAwait(false);
            return await reply.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_outstanding, reply))
                {
                    _outstanding = null;
                    _unanswered++;
                }
            }

            return reply.Task.IsCompletedSuccessfully && reply.Task.Result;
        }
        catch
        {
            // The write failed or the cycle ended: this read has no outcome other than "unanswered".
            lock (_lock)
            {
                if (ReferenceEquals(_outstanding, reply))
                {
                    _outstanding = null;
                    _unanswered++;
                }
            }

            throw;
        }
    }

    /// <summary>A battery-state reply (<c>11 8c …</c>) arrived (receive thread).</summary>
    public void OnReply(ReadOnlySpan<byte> packet, long arrivalNs)
    {
        bool good = BatteryReading.TryParse(packet, out BatteryReading reading, out BatteryRejectReason reason);
        lock (_lock)
        {
            TaskCompletionSource<bool>? waiting = _outstanding;
            if (waiting is null)
            {
                _rejected[(int)BatteryRejectReason.NotRequested]++;
                return;
            }

            _outstanding = null;
            if (good)
            {
                _readings++;
                _last = reading;
                _lastAtNs = arrivalNs;
            }
            else
            {
                _rejected[(int)reason]++;
            }

            waiting.TrySetResult(good);
        }
    }

    /// <summary>The battery figures now; the age is measured at <paramref name="nowNs"/> (monotonic).</summary>
    public BleBatterySnapshot Snapshot(long nowNs)
    {
        lock (_lock)
        {
            var byReason = new Dictionary<BatteryRejectReason, long>();
            long rejected = 0;
            for (int r = 1; r < _rejected.Length; r++)
            {
                byReason[(BatteryRejectReason)r] = _rejected[r];
                rejected += _rejected[r];
            }

            return new BleBatterySnapshot
            {
                ChargePercent = _last?.ChargePercent,
                Volts = _last is { } v ? v.VoltageMv / 1000.0 : null,
                AgeSeconds = _last is null ? null : Math.Max(0, nowNs - _lastAtNs) / 1e9,
                Reads = _reads,
                Readings = _readings,
                Unanswered = _unanswered,
                Outstanding = _outstanding is null ? 0 : 1,
                Rejected = rejected,
                RejectedByReason = byReason,
            };
        }
    }

    /// <summary>The battery figures now.</summary>
    public BleBatterySnapshot Snapshot() => Snapshot(MonotonicClock.NowNs());
}
