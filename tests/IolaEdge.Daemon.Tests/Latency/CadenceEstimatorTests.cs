using IolaEdge.Daemon.Latency;

namespace IolaEdge.Daemon.Tests.Latency;

public sealed class CadenceEstimatorTests
{
    [Fact]
    public void Cadence_is_unknown_before_two_footfalls_and_follows_the_step_interval()
    {
        CadenceEstimator cadence = new();
        Assert.True(double.IsNaN(cadence.StepsPerMinute));
        cadence.Add(0, 1_000_000_000);
        Assert.True(double.IsNaN(cadence.StepsPerMinute));
        for (int i = 2; i <= 20; i++)
        {
            cadence.Add(i % 2, i * 600_000_000L);
        }

        Assert.Equal(100.0, cadence.StepsPerMinute, 6);
    }

    [Fact]
    public void A_long_pause_restarts_the_estimate()
    {
        CadenceEstimator cadence = new();
        cadence.Add(0, 0);
        cadence.Add(0, 500_000_000);
        cadence.Add(0, 10_000_000_000);
        Assert.True(double.IsNaN(cadence.StepsPerMinute));
        cadence.Add(0, 11_000_000_000);
        Assert.Equal(60.0, cadence.StepsPerMinute, 6);
    }
}
