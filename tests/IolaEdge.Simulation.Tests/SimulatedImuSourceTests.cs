using IolaEdge.Simulation;
using IolaEdge.Simulation.Tests.Support;

namespace IolaEdge.Simulation.Tests;

public sealed class SimulatedImuSourceTests
{
    [Fact]
    public async Task Samples_and_truth_footfalls_reach_the_sink_in_time_order()
    {
        SimulatedImuSource source = new("sim:seed=4,minutes=1,preset=seed,sensor=1");
        OrderRecordingSink sink = new();
        await source.RunAsync(sink, CancellationToken.None);

        Assert.Equal(source.Simulator.Delivered, sink.Samples.Count);
        Assert.Equal(source.Simulator.Footfalls, sink.Footfalls.Count);
        Assert.InRange(sink.Footfalls.Count, 45, 60);
        Assert.All(sink.Footfalls, f => Assert.Equal(1, f.SensorId));
        Assert.All(sink.Samples, s => Assert.Equal(1, s.SensorId));
        for (int i = 1; i < sink.Order.Count; i++)
        {
            Assert.True(sink.Order[i].TimeNs >= sink.Order[i - 1].TimeNs, $"entry {i} goes back in time");
        }

        Assert.StartsWith("sim:seed=4,minutes=1,", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fast_pace_retries_rejected_samples_so_none_is_lost()
    {
        SimulatedImuSource source = new("sim:seed=4,minutes=0.5,preset=ideal");
        OrderRecordingSink sink = new(rejectEvery: 10);
        await source.RunAsync(sink, CancellationToken.None);

        Assert.Equal(6_000, sink.Samples.Count);
        Assert.True(source.BackpressureRetries > 0);
        Assert.Equal(0, source.Rejected);
    }

    [Fact]
    public async Task Real_time_pace_loses_rejected_samples_like_a_live_sensor()
    {
        SimulatedImuSource source = new("sim:seed=4,minutes=0.05,preset=packed75,pace=realtime,speed=1000");
        OrderRecordingSink sink = new(rejectEvery: 10);
        await source.RunAsync(sink, CancellationToken.None);

        Assert.True(source.Rejected > 0);
        Assert.Equal(source.Simulator.Delivered - source.Rejected, sink.Samples.Count);
    }

    [Fact]
    public async Task A_source_runs_once_and_stops_when_cancelled()
    {
        SimulatedImuSource source = new("sim:seed=4,minutes=60");
        using CancellationTokenSource cts = new();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.RunAsync(new OrderRecordingSink(), cts.Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => source.RunAsync(new OrderRecordingSink(), CancellationToken.None));
    }
}
