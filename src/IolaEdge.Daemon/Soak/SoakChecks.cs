using System.Globalization;
using System.Runtime.InteropServices;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Dsp;

namespace IolaEdge.Daemon.Soak;

/// <summary>
/// Judges a finished soak against its limits: nothing dropped, no allocation on the pipeline thread, no
/// working-set growth, no slowdown or drift of latency, detection matching the truth, and the full length.
/// </summary>
/// <remarks>
/// Growth and allocation are measured after warm-up (<see cref="SoakOptions.WarmupFraction"/>, by default
/// the second half): the first minutes tier up the JIT, size the GC's budgets and touch thread stacks and
/// buffers once, all of which raise the working set without being a leak.
/// </remarks>
internal static class SoakChecks
{
    /// <summary>Fewest footfalls in a quarter for its p99 to be compared.</summary>
    public const int MinFootfallsPerQuarter = 5;

    /// <summary>Fewest samples after warm-up for a growth slope.</summary>
    public const int MinGrowthSamples = 3;

    /// <summary>Every check, in report order.</summary>
    public static IReadOnlyList<SoakCheck> Evaluate(SoakRun run, SoakOptions limits) =>
    [
        Drops(run, limits),
        PipelineAllocation(run, limits),
        WorkingSetGrowth(run, limits),
        LatencyDrift(run, limits, "processing-latency-drift", "p99 processing latency (MIDI write - packet arrival), last quarter", p => p.ProcessingMs,
            RunPosition(run), limits.LatencyFloorMs),
        LatencyDrift(run, limits, "algorithmic-latency-drift", "p99 algorithmic latency (decision - footfall), last quarter of the walk", p => p.AlgorithmicMs,
            WalkPosition(run), limits.AlgorithmicLatencyFloorMs),
        FootfallsAgainstTruth(run, limits),
        Duration(run, limits),
    ];

    /// <summary>Wall second at which warm-up ends.</summary>
    public static double WarmupEndSeconds(SoakRun run, SoakOptions limits) => run.SourceSeconds * limits.WarmupFraction;

    private static SoakCheck Drops(SoakRun run, SoakOptions limits)
    {
        RunSnapshot s = run.Final;
        return SoakCheck.Judge("drops", "samples and events dropped (sample ring, MIDI queue, slow consumers)", s.TotalDrops, Bound.AtMost, limits.MaxDrops, "events",
            Text($"ring {s.RingDrops}, MIDI {s.MidiDrops}, consumers {s.ConsumerDrops}"));
    }

    private static SoakCheck PipelineAllocation(SoakRun run, SoakOptions limits)
    {
        const string Name = "pipeline-allocation";
        const string Measures = "bytes the pipeline thread allocated per footfall after warm-up";
        // Baseline: the last sample taken before warm-up ended (the start sample at worst, which only makes the check stricter).
        double warmupEnd = WarmupEndSeconds(run, limits);
        ResourceSample baseline = run.Samples[0];
        foreach (ResourceSample sample in run.Samples)
        {
            if (sample.ElapsedSeconds <= warmupEnd)
            {
                baseline = sample;
            }
        }

        RunSnapshot end = run.Final;
        long bytes = end.PipelineAllocatedBytes - baseline.Run.PipelineAllocatedBytes;
        long footfalls = end.Footfalls - baseline.Run.Footfalls;
        string detail = Text($"{bytes} bytes over {footfalls} footfalls from t={baseline.ElapsedSeconds:0.#} s; {end.PipelineAllocatedBytes} bytes in the whole run");
        return footfalls <= 0
            ? SoakCheck.NotMeasured(Name, Measures, double.NaN, Bound.AtMost, limits.MaxPipelineBytesPerFootfall, "B/footfall", "no footfalls after warm-up; " + detail)
            : SoakCheck.Judge(Name, Measures, (double)bytes / footfalls, Bound.AtMost, limits.MaxPipelineBytesPerFootfall, "B/footfall", detail);
    }

    private static SoakCheck WorkingSetGrowth(SoakRun run, SoakOptions limits)
    {
        const string Name = "working-set-growth";
        const string Measures = "working-set growth after warm-up (least-squares slope)";
        const string Unit = "MB/h";
        double limit = limits.MaxWorkingSetGrowthMbPerHour;

        // Samples while the source ran: the one after the drain sees threads gone and buffers freed, not the steady state.
        double from = WarmupEndSeconds(run, limits);
        List<ResourceSample> running = [.. run.Samples.Where(s => s.ElapsedSeconds <= run.SourceSeconds)];

        // Until its first collection the GC hands out fresh memory for every allocation, so the working set rises with
        // the allocation rate however little is kept (the first generation's budget follows the CPU cache: up to
        // 200 MB on a server, a few MB on a Pi). Growth is only a leak once the GC has cycled.
        double? firstCollection = FirstCollectionSeconds(running, run.Samples[0].Gen0Collections);
        string basis;
        Func<ResourceSample, double> mb;
        if (firstCollection is double collected)
        {
            if (collected > from)
            {
                from = collected;
                basis = Text($"window from the first collection at t={from:0.#} s");
            }
            else
            {
                basis = Text($"window from t={from:0.#} s");
            }

            mb = s => s.WorkingSetMb;
        }
        else
        {
            // No collection at all: judge what is not the GC's heap (native memory, code, stacks). A managed leak
            // cannot show before the first collection; the detail gives the heap's own slope.
            basis = "no garbage collection in the run, so judged on the working set less the managed heap";
            mb = s => (s.WorkingSetBytes - s.ManagedHeapBytes) / ResourceSample.BytesPerMb;
        }

        List<ResourceSample> window = [.. running.Where(s => s.ElapsedSeconds >= from)];
        if (window.Count < MinGrowthSamples)
        {
            return SoakCheck.NotMeasured(Name, Measures, double.NaN, Bound.AtMost, limit, Unit,
                Text($"{window.Count} samples in the window, {MinGrowthSamples} needed: lower --progress or soak longer; {basis}"));
        }

        double slope = LeastSquares.Slope([.. window.Select(s => (s.ElapsedSeconds / 3600, mb(s)))]);
        double heapSlope = LeastSquares.Slope([.. window.Select(s => (s.ElapsedSeconds / 3600, s.ManagedHeapBytes / ResourceSample.BytesPerMb))]);
        double spanMinutes = (window[^1].ElapsedSeconds - window[0].ElapsedSeconds) / 60;
        string detail = Text($"{basis}; {window.Count} samples to t={window[^1].ElapsedSeconds:0.#} s, working set {window[0].WorkingSetMb:0.0} -> {window[^1].WorkingSetMb:0.0} MB, managed heap {heapSlope:0.##} MB/h");
        return spanMinutes < limits.MinGrowthWindowMinutes
            ? SoakCheck.NotMeasured(Name, Measures, slope, Bound.AtMost, limit, Unit,
                Text($"window {spanMinutes:0.##} min < Soak:MinGrowthWindowMinutes {limits.MinGrowthWindowMinutes}: too short to extrapolate to an hour; ") + detail)
            : SoakCheck.Judge(Name, Measures, slope, Bound.AtMost, limit, Unit, detail);
    }

    private static double? FirstCollectionSeconds(List<ResourceSample> samples, int gen0AtStart)
    {
        foreach (ResourceSample sample in samples)
        {
            if (sample.Gen0Collections > gen0AtStart)
            {
                return sample.ElapsedSeconds;
            }
        }

        return null;
    }

    // Where a footfall falls in the run's wall time, 0 to 1: processing latency is the process's, so it drifts with the hours.
    private static Func<LatencyPoint, double> RunPosition(SoakRun run) =>
        p => run.SourceSeconds > 0 ? (p.ArrivalNs - run.StartNs) / 1e9 / run.SourceSeconds : 0;

    // Where a footfall falls in the walk's own time, 0 to 1: algorithmic latency is the detector's, so it drifts with what it
    // has seen. Unpaced, how many footfalls land in the run's first wall quarter depends on the machine's load (the JIT
    // warming up, other processes), and so would the verdict.
    private static Func<LatencyPoint, double> WalkPosition(SoakRun run)
    {
        long first = long.MaxValue, last = long.MinValue;
        foreach (LatencyPoint point in run.Footfalls)
        {
            first = Math.Min(first, point.FootfallNs);
            last = Math.Max(last, point.FootfallNs);
        }

        return p => last > first ? (p.FootfallNs - first) / (double)(last - first) : 0;
    }

    private static SoakCheck LatencyDrift(SoakRun run, SoakOptions limits, string name, string measures, Func<LatencyPoint, float> latency,
        Func<LatencyPoint, double> position, double floorMs)
    {
        List<double> first = [];
        List<double> last = [];
        foreach (LatencyPoint point in run.Footfalls)
        {
            double value = latency(point);
            if (double.IsNaN(value))
            {
                continue;
            }

            double at = position(point);
            if (at < 0.25)
            {
                first.Add(value);
            }
            else if (at >= 0.75)
            {
                last.Add(value);
            }
        }

        double firstP99 = Percentile.Of(CollectionsMarshal.AsSpan(first), 99);
        double lastP99 = Percentile.Of(CollectionsMarshal.AsSpan(last), 99);
        double limit = limits.MaxLatencyGrowthFactor * Math.Max(double.IsNaN(firstP99) ? 0 : firstP99, floorMs);
        string detail = Text($"first quarter p99 {SoakCheck.Format(firstP99)} ms (n={first.Count}), last quarter n={last.Count}; limit {limits.MaxLatencyGrowthFactor} x max(first p99, floor {floorMs} ms)");
        if (name == "processing-latency-drift" && run.Plan.Speed.IsMax && !run.Plan.IsLive)
        {
            // Unpaced, the source keeps the sample ring full: the processing latency then measures the backlog, not the process.
            return SoakCheck.NotMeasured(name, measures, lastP99, Bound.AtMost, limit, "ms", "--speed max measures the replay's backlog, not the process; " + detail);
        }

        if (first.Count < MinFootfallsPerQuarter || last.Count < MinFootfallsPerQuarter)
        {
            string why = name == "processing-latency-drift" && run.Footfalls.Count > 0 && first.Count + last.Count == 0
                ? "no MIDI write stamps (--midi none writes no MIDI); "
                : Text($"fewer than {MinFootfallsPerQuarter} footfalls in a quarter; ");
            return SoakCheck.NotMeasured(name, measures, lastP99, Bound.AtMost, limit, "ms", why + detail);
        }

        return SoakCheck.Judge(name, measures, lastP99, Bound.AtMost, limit, "ms", detail);
    }

    private static SoakCheck FootfallsAgainstTruth(SoakRun run, SoakOptions limits)
    {
        const string Name = "footfalls-vs-truth";
        const string Measures = "|detected - truth footfalls| / truth";
        RunSnapshot s = run.Final;
        string detail = Text($"{s.Footfalls} detected, {s.Annotations} truth");
        return s.Annotations == 0
            ? SoakCheck.NotMeasured(Name, Measures, double.NaN, Bound.AtMost, limits.MaxFootfallCountError, "of truth", "the source marks no truth footfalls; " + detail)
            : SoakCheck.Judge(Name, Measures, Math.Abs(s.Footfalls - s.Annotations) / (double)s.Annotations, Bound.AtMost, limits.MaxFootfallCountError, "of truth", detail);
    }

    private static SoakCheck Duration(SoakRun run, SoakOptions limits)
    {
        const string Name = "duration";
        const string Measures = "wall minutes the source ran";
        double minutes = run.SourceSeconds / 60;
        string ended = run.End switch
        {
            RunEnd.SourceEnded => "the source ended",
            RunEnd.DurationReached => "Run:DurationSeconds elapsed",
            RunEnd.Stopped => "stopped by SIGINT/SIGTERM",
            _ => "the source failed",
        };
        bool cutShort = run.End is RunEnd.Stopped or RunEnd.SourceFailed;
        if (run.Plan.ExpectedSeconds is not double expected)
        {
            // --speed max has no wall length to meet: the whole source is the length asked for.
            return new SoakCheck(Name, Measures, minutes, Bound.AtLeast, double.NaN, "min", cutShort ? CheckOutcome.Fail : CheckOutcome.Pass,
                Text($"--speed max: must run to the end of its source; {ended}"));
        }

        double limit = expected / 60 * (1 - limits.DurationTolerance);
        string asked = run.Plan.IsLive ? "live source" : Text($"{run.Plan.Minutes} min of walk at {run.Plan.Speed}");
        string detail = Text($"asked {expected / 60:0.###} min: {asked}; {ended}");
        SoakCheck judged = SoakCheck.Judge(Name, Measures, minutes, Bound.AtLeast, limit, "min", detail);
        return cutShort ? judged with { Outcome = CheckOutcome.Fail } : judged;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
