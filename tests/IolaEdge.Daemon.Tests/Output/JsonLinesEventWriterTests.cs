using System.Text;
using System.Text.Json;
using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Tests.Output;

public sealed class JsonLinesEventWriterTests
{
    [Fact]
    public void Each_footfall_becomes_one_json_line_with_every_stamp_and_both_latencies()
    {
        using MemoryStream stream = new();
        using (JsonLinesEventWriter writer = new(stream, ownsStream: false))
        {
            writer.OnFootfall(new FootfallEvent(1, 7, 1_000_000_000, 5_000, 1_040_000_000, 0.8f, 1.25f, 5_000 + 300_000) { MidiQueuedTimeNs = 5_000 + 100_000 });
            writer.OnFootfall(new FootfallEvent(0, 8, 2_000_000_000, 6_000, 2_030_000_000, 0.5f, 1f));
            writer.Flush();
        }

        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        JsonElement e = first.RootElement;
        Assert.Equal(1, e.GetProperty("sensor").GetInt32());
        Assert.Equal(7, e.GetProperty("sequence").GetInt64());
        Assert.Equal(1_000_000_000, e.GetProperty("footfallNs").GetInt64());
        Assert.Equal(1_040_000_000, e.GetProperty("decisionNs").GetInt64());
        Assert.Equal(5_000, e.GetProperty("arrivalNs").GetInt64());
        Assert.Equal(305_000, e.GetProperty("midiWriteNs").GetInt64());
        Assert.Equal(40.0, e.GetProperty("algorithmicLatencyMs").GetDouble(), 6);
        Assert.Equal(0.3, e.GetProperty("processingLatencyMs").GetDouble(), 6);
        Assert.Equal(105_000, e.GetProperty("midiQueuedNs").GetInt64());
        Assert.Equal(0.1, e.GetProperty("queuedLatencyMs").GetDouble(), 6);
        Assert.Equal(305_000, e.GetProperty("sentNs").GetInt64());
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        Assert.Equal(0, second.RootElement.GetProperty("midiWriteNs").GetInt64());
        Assert.Equal(0, second.RootElement.GetProperty("queuedLatencyMs").GetDouble());
    }
}
