using BenchmarkDotNet.Running;

namespace IolaEdge.Benchmarks;

/// <summary>Runs the benchmarks named on the command line (BenchmarkSwitcher: <c>--filter *Gate*</c>, <c>--list flat</c>), or the <c>ble-latency</c> measurement.</summary>
public static class Program
{
    /// <summary>Entry point; exits non-zero when any benchmark failed to run.</summary>
    public static int Main(string[] args)
    {
        if (args is ["ble-latency", ..])
        {
            return Bluetooth.BleLatencyMeasurement.Run(args);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
            {
                return 1;
            }
        }

        return 0;
    }
}
