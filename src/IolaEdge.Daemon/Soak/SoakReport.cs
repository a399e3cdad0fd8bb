using System.Text.Encodings.Web;
using System.Text.Json;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;

namespace IolaEdge.Daemon.Soak;

/// <summary>
/// The <c>--report</c> JSON document: plan, limits, verdict and checks, final counters and latencies, and
/// the time series of resource samples (snake_case keys, like <c>eval --json</c>; NaN as null).
/// </summary>
internal static class SoakReport
{
    /// <summary>Writes the document to <paramref name="stream"/> (not closed).</summary>
    /// <remarks>Relaxed escaping: the report is a file for people and scripts, not HTML, so "&lt;=" stays readable.</remarks>
    public static void Write(Stream stream, SoakRun run, SoakOptions limits, IReadOnlyList<SoakCheck> checks,
        LatencyFigures algorithmic, LatencyFigures processing, int exitCode)
    {
        using Utf8JsonWriter w = new(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("verdict", checks.Any(c => c.Outcome == CheckOutcome.Fail) ? "fail" : "pass");
        w.WriteNumber("exit_code", exitCode);
        WritePlan(w, run);
        w.WriteString("end", run.End switch
        {
            RunEnd.SourceEnded => "source-ended",
            RunEnd.DurationReached => "duration-reached",
            RunEnd.Stopped => "stopped",
            _ => "source-failed",
        });
        Number(w, "source_seconds", run.SourceSeconds);
        WriteLimits(w, limits);

        w.WriteStartArray("checks");
        foreach (SoakCheck check in checks)
        {
            w.WriteStartObject();
            w.WriteString("name", check.Name);
            w.WriteString("outcome", check.Outcome switch
            {
                CheckOutcome.Pass => "pass",
                CheckOutcome.Fail => "fail",
                _ => "not-evaluated",
            });
            w.WriteBoolean("passed", check.Outcome != CheckOutcome.Fail);
            Number(w, "value", check.Value);
            w.WriteString("bound", check.BoundSymbol);
            Number(w, "limit", check.Limit);
            w.WriteString("unit", check.Unit);
            w.WriteString("measures", check.Measures);
            w.WriteString("detail", check.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteFinal(w, run.Final, algorithmic, processing);

        w.WriteStartArray("samples");
        foreach (ResourceSample s in run.Samples)
        {
            WriteSample(w, s);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePlan(Utf8JsonWriter w, SoakRun run)
    {
        SoakPlan plan = run.Plan;
        w.WriteStartObject("plan");
        Number(w, "minutes", plan.Minutes);
        w.WriteString("speed", plan.Speed.ToString());
        if (plan.ExpectedSeconds is double expected)
        {
            Number(w, "expected_seconds", expected);
        }
        else
        {
            w.WriteNull("expected_seconds");
        }

        w.WriteString("source", plan.Source);
        w.WriteBoolean("live", plan.IsLive);
        w.WriteString("detector", plan.Detector);
        w.WriteString("midi_backend", plan.MidiBackend);
        Number(w, "progress_interval_seconds", plan.ProgressIntervalSeconds);
        w.WriteEndObject();
    }

    private static void WriteLimits(Utf8JsonWriter w, SoakOptions limits)
    {
        w.WriteStartObject("limits");
        w.WriteNumber("max_drops", limits.MaxDrops);
        Number(w, "max_pipeline_bytes_per_footfall", limits.MaxPipelineBytesPerFootfall);
        Number(w, "max_working_set_growth_mb_per_hour", limits.MaxWorkingSetGrowthMbPerHour);
        Number(w, "min_growth_window_minutes", limits.MinGrowthWindowMinutes);
        Number(w, "max_latency_growth_factor", limits.MaxLatencyGrowthFactor);
        Number(w, "latency_floor_ms", limits.LatencyFloorMs);
        Number(w, "algorithmic_latency_floor_ms", limits.AlgorithmicLatencyFloorMs);
        Number(w, "max_footfall_count_error", limits.MaxFootfallCountError);
        Number(w, "warmup_fraction", limits.WarmupFraction);
        Number(w, "duration_tolerance", limits.DurationTolerance);
        w.WriteEndObject();
    }

    private static void WriteFinal(Utf8JsonWriter w, RunSnapshot s, LatencyFigures algorithmic, LatencyFigures processing)
    {
        w.WriteStartObject("final");
        w.WriteNumber("samples", s.Samples);
        w.WriteNumber("footfalls", s.Footfalls);
        w.WriteNumber("truth_footfalls", s.Annotations);
        w.WriteNumber("rejected", s.Rejected);
        w.WriteStartObject("drops");
        w.WriteNumber("ring", s.RingDrops);
        w.WriteNumber("midi", s.MidiDrops);
        w.WriteNumber("consumers", s.ConsumerDrops);
        w.WriteEndObject();
        w.WriteNumber("pipeline_allocated_bytes", s.PipelineAllocatedBytes);
        w.WriteStartObject("latency_ms");
        WriteLatency(w, "algorithmic", algorithmic);
        WriteLatency(w, "processing", processing);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter w, string name, LatencyFigures f)
    {
        w.WriteStartObject(name);
        w.WriteNumber("n", f.Count);
        Number(w, "p50", f.P50);
        Number(w, "p90", f.P90);
        Number(w, "p99", f.P99);
        Number(w, "p99_9", f.P999);
        Number(w, "max", f.Max);
        w.WriteEndObject();
    }

    private static void WriteSample(Utf8JsonWriter w, ResourceSample s)
    {
        w.WriteStartObject();
        Number(w, "t_seconds", s.ElapsedSeconds);
        w.WriteNumber("working_set_bytes", s.WorkingSetBytes);
        w.WriteNumber("managed_heap_bytes", s.ManagedHeapBytes);
        w.WriteNumber("gen0_collections", s.Gen0Collections);
        w.WriteNumber("gen1_collections", s.Gen1Collections);
        w.WriteNumber("gen2_collections", s.Gen2Collections);
        w.WriteNumber("total_allocated_bytes", s.TotalAllocatedBytes);
        w.WriteNumber("threads", s.Threads);
        Number(w, "cpu_seconds", s.CpuSeconds);
        w.WriteNumber("samples", s.Run.Samples);
        w.WriteNumber("footfalls", s.Run.Footfalls);
        w.WriteNumber("drops", s.Run.TotalDrops);
        w.WriteNumber("pipeline_allocated_bytes", s.Run.PipelineAllocatedBytes);
        w.WriteEndObject();
    }

    // JSON has no NaN: a figure that was not measured is null.
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
