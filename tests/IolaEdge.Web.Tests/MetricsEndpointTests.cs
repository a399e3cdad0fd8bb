using System.Globalization;
using System.Text.RegularExpressions;
using IolaEdge.Web.Tests.Support;

namespace IolaEdge.Web.Tests;

/// <summary><c>GET /metrics</c> of the real daemon replaying the bundled walk, read as Prometheus would.</summary>
[Trait("Category", "Slow")]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_expose_footfalls_drops_latency_histograms_and_process_figures()
    {
        using PageDaemon daemon = PageDaemon.Start();
        await daemon.WaitForStatusAsync(s => PageDaemon.Number(s, "footfalls") >= 3, TimeSpan.FromSeconds(30), "three footfalls");
        await Task.Delay(500); // the events reach the histograms through the page's consumer thread

        string text = await daemon.Http.GetStringAsync(new Uri(daemon.Address, "/metrics"));

        double footfalls = Value(text, "iolaedge_footfalls_total");
        Assert.True(footfalls >= 3, text);
        Assert.True(Value(text, "iolaedge_samples_total") > 100);
        Assert.Equal(0, Value(text, "iolaedge_dropped_total{reason=\"ring\"}"));
        Assert.True(Value(text, "iolaedge_processing_latency_seconds_count") >= 3);
        Assert.True(Value(text, "iolaedge_algorithmic_latency_seconds_count") >= 3);
        Assert.Contains("iolaedge_processing_latency_seconds_bucket{le=\"0.0001\"}", text, StringComparison.Ordinal);
        Assert.True(Value(text, "process_working_set_bytes") > 10_000_000);
    }

    private static double Value(string exposition, string series)
    {
        Match m = Regex.Match(exposition, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(m.Success, $"{series} not in:\n{exposition}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
