using System.Text.Json;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Soak;

namespace IolaEdge.Daemon.Tests.Soak;

public sealed class SoakReportTests
{
    [Fact]
    public void The_report_holds_verdict_checks_final_counters_and_every_sample_with_unmeasured_figures_as_null()
    {
        _ = ReplaySpeed.TryParse("max", out ReplaySpeed max);
        RunSnapshot session = new(Samples: 1000, Footfalls: 8, Annotations: 8, Rejected: 0, RingDrops: 0, MidiDrops: 0, ConsumerDrops: 0, PipelineAllocatedBytes: 24);
        List<ResourceSample> samples =
        [
            new(0, 50 << 20, 3 << 20, 0, 0, 0, 1 << 20, 17, 0.1, session with { Samples = 0, Footfalls = 0 }),
            new(0.5, 51 << 20, 3 << 20, 1, 0, 0, 2 << 20, 18, 0.6, session),
            new(1.0, 51 << 20, 3 << 20, 1, 0, 0, 2 << 20, 13, 0.9, session),
        ];
        SoakRun run = new(new SoakPlan(2, max, false, "sim:seed=1,minutes=2", "dsp", "none", 0.5), samples, 0.9, RunEnd.SourceEnded, 0, []);
        IReadOnlyList<SoakCheck> checks = SoakChecks.Evaluate(run, new SoakOptions());
        LatencyFigures none = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

        using MemoryStream stream = new();
        SoakReport.Write(stream, run, new SoakOptions(), checks, none, none, ExitCodes.Success);
        using JsonDocument json = JsonDocument.Parse(stream.ToArray());
        JsonElement root = json.RootElement;

        Assert.Equal("pass", root.GetProperty("verdict").GetString());
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("plan").GetProperty("expected_seconds").ValueKind);
        Assert.Equal("source-ended", root.GetProperty("end").GetString());
        Assert.Equal(7, root.GetProperty("checks").GetArrayLength());
        JsonElement growth = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "working-set-growth");
        Assert.Equal("not-evaluated", growth.GetProperty("outcome").GetString());
        Assert.True(growth.GetProperty("passed").GetBoolean());
        Assert.Equal("<=", growth.GetProperty("bound").GetString());
        Assert.Equal(2, growth.GetProperty("limit").GetDouble());
        Assert.Equal(24, root.GetProperty("final").GetProperty("pipeline_allocated_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("final").GetProperty("latency_ms").GetProperty("processing").GetProperty("p99").ValueKind);
        Assert.Equal(3, root.GetProperty("samples").GetArrayLength());
        JsonElement second = root.GetProperty("samples")[1];
        Assert.Equal(51 << 20, second.GetProperty("working_set_bytes").GetInt64());
        Assert.Equal(18, second.GetProperty("threads").GetInt32());
        Assert.Equal(8, second.GetProperty("footfalls").GetInt64());
    }
}
