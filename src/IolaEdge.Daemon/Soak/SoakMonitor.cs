using System.Globalization;
using System.Text;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Hosting;
using IolaEdge.Daemon.Latency;
using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Timing;
using Serilog;

namespace IolaEdge.Daemon.Soak;

/// <summary>
/// The soak verb's run observer: samples the process's resources as the source starts, on every
/// progress tick and after the drain; logs them in the progress line with the run's counters; at the end
/// judges the run (<see cref="SoakChecks"/>), logs the verdict, writes the report and picks the exit code.
/// </summary>
/// <remarks>
/// Runs on the run task and the progress timer only. It reads counters the run keeps anyway
/// (Volatile reads, the histograms' lock); the pipeline thread does nothing for it.
/// </remarks>
internal sealed class SoakMonitor : IRunObserver, IDisposable
{
    private readonly SoakPlan _plan;
    private readonly SoakOptions _limits;
    private readonly ILogger _log;
    private readonly Stream? _report;
    private readonly SoakReportFormat _reportFormat;
    private readonly ResourceSampler _sampler = new();
    private readonly LatencyLog _latency;
    private readonly List<ResourceSample> _samples;

    // Progress ticks run on the thread pool and may overlap each other and the end of the run.
    private readonly Lock _lock = new();
    private long _startNs;
    private bool _finished;

    /// <summary>Creates the monitor.</summary>
    /// <param name="plan">What the soak was asked to do.</param>
    /// <param name="limits">The <c>Soak</c> section.</param>
    /// <param name="log">Logger.</param>
    /// <param name="report">Where the report goes (opened by the verb, so an unwritable path fails before the soak); null: no report.</param>
    /// <param name="reportFormat">JSON document or HTML page.</param>
    public SoakMonitor(SoakPlan plan, SoakOptions limits, ILogger log, Stream? report, SoakReportFormat reportFormat = SoakReportFormat.Json)
    {
        _reportFormat = reportFormat;
        _plan = plan;
        _limits = limits;
        _log = log.ForContext("SourceContext", "Soak");
        _report = report;

        // Sized up front for the planned soak, so that the monitor's own lists do not pose as a leak:
        // at most about 4 footfalls per walking second (two feet at the fastest cadence), one sample per tick.
        _latency = new LatencyLog((int)Math.Min(plan.Minutes * 60 * 4, 1 << 22));
        double expectedSeconds = plan.ExpectedSeconds ?? 60;
        _samples = new List<ResourceSample>(plan.ProgressIntervalSeconds > 0 ? (int)Math.Min(expectedSeconds / plan.ProgressIntervalSeconds + 16, 1 << 20) : 2);
    }

    /// <summary>True once the report was written.</summary>
    public bool ReportWritten { get; private set; }

    /// <summary>The checks of the finished soak (empty before).</summary>
    public IReadOnlyList<SoakCheck> Checks { get; private set; } = [];

    /// <inheritdoc/>
    public IFootfallEventConsumer Consumer => _latency;

    /// <inheritdoc/>
    public void OnStarted(RunStatistics statistics)
    {
        lock (_lock)
        {
            _startNs = MonotonicClock.NowNs();
            _samples.Add(_sampler.Take(0, statistics.Snapshot()));
        }

        _log.Information("Soak: {Minutes} min of walk at speed {Speed}, resources sampled every {Interval} s; limits: drops <= {MaxDrops}, pipeline <= {MaxBytes} B/footfall, working set <= {MaxGrowth} MB/h after {Warmup:P0} warm-up (judged over >= {MinWindow} min), p99 drift <= x{Factor} (floor {Floor} ms processing, {AlgorithmicFloor} ms algorithmic), footfalls within {CountError:P0} of truth",
            _plan.Minutes, _plan.Speed.ToString(), _plan.ProgressIntervalSeconds, _limits.MaxDrops, _limits.MaxPipelineBytesPerFootfall,
            _limits.MaxWorkingSetGrowthMbPerHour, _limits.WarmupFraction, _limits.MinGrowthWindowMinutes, _limits.MaxLatencyGrowthFactor, _limits.LatencyFloorMs, _limits.AlgorithmicLatencyFloorMs,
            _limits.MaxFootfallCountError);
        if (_plan.ProgressIntervalSeconds <= 0)
        {
            _log.Warning("Pipeline:ProgressIntervalSeconds is 0: resources are sampled only at start and end, so working-set growth cannot be judged");
        }
    }

    /// <inheritdoc/>
    public void OnProgress(RunStatistics statistics)
    {
        if (!_lock.TryEnter())
        {
            return; // the previous tick (or the end) is still sampling: skip rather than queue up
        }

        try
        {
            if (_finished)
            {
                return;
            }

            ResourceSample sample = _sampler.Take(Seconds(MonotonicClock.NowNs()), statistics.Snapshot());
            _samples.Add(sample);
            LogProgress(sample, statistics.Histograms);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <inheritdoc/>
    public int OnFinished(RunStatistics statistics, RunEnd end, long sourceStoppedNs, int exitCode)
    {
        SoakRun run;
        lock (_lock)
        {
            _finished = true;
            _samples.Add(_sampler.Take(Seconds(MonotonicClock.NowNs()), statistics.Snapshot()));
            run = new SoakRun(_plan, _samples, Seconds(sourceStoppedNs), end, _startNs, _latency.Points);
        }

        Checks = SoakChecks.Evaluate(run, _limits);
        bool failed = Checks.Any(c => c.Outcome == CheckOutcome.Fail);
        int code = exitCode != ExitCodes.Success ? exitCode : failed ? ExitCodes.SoakCheckFailed : ExitCodes.Success;
        LogResources(run);
        LogVerdict(failed);
        if (_report is not null && !TryWriteReport(run, statistics.Histograms, code))
        {
            code = exitCode != ExitCodes.Success ? exitCode : ExitCodes.Output;
        }

        return code;
    }

    /// <inheritdoc/>
    public void Dispose() => _sampler.Dispose();

    private double Seconds(long monotonicNs) => (monotonicNs - _startNs) / 1e9;

    private void LogProgress(ResourceSample s, LatencyHistograms h)
    {
        _log.Information(
            "Soak {Elapsed}: {Samples} samples, {Footfalls} footfalls, {Drops} drops; latency p50/p99 algorithmic {AlgorithmicP50}/{AlgorithmicP99} ms, processing {ProcessingP50}/{ProcessingP99} ms; working set {WorkingSetMb} MB, managed heap {ManagedHeapMb} MB, GC {Gen0}/{Gen1}/{Gen2}, allocated {AllocatedMb} MB since start, {Threads} threads, CPU {CpuSeconds} s",
            TimeSpan.FromSeconds(Math.Round(s.ElapsedSeconds)).ToString("c", CultureInfo.InvariantCulture), s.Run.Samples, s.Run.Footfalls, s.Run.TotalDrops,
            SoakCheck.Format(h.AlgorithmicPercentileMs(50)), SoakCheck.Format(h.AlgorithmicPercentileMs(99)),
            SoakCheck.Format(h.ProcessingPercentileMs(50)), SoakCheck.Format(h.ProcessingPercentileMs(99)),
            Mb(s.WorkingSetBytes), Mb(s.ManagedHeapBytes), s.Gen0Collections, s.Gen1Collections, s.Gen2Collections, Mb(s.TotalAllocatedBytes),
            s.Threads, Math.Round(s.CpuSeconds, 1));
    }

    private void LogResources(SoakRun run)
    {
        ResourceSample first = run.Samples[0];
        ResourceSample last = run.Samples[^1];
        double cpu = last.CpuSeconds - first.CpuSeconds;
        _log.Information(
            "Soak resources over {Seconds} s: working set {StartMb} -> {EndMb} MB (peak {PeakMb}), managed heap {HeapMb} MB, GC collections {Gen0}/{Gen1}/{Gen2}, allocated {AllocatedMb} MB during the run, threads {StartThreads} -> {EndThreads}, CPU {CpuSeconds} s ({CpuPercent} % of one core), {SampleCount} samples",
            Math.Round(last.ElapsedSeconds, 1), Mb(first.WorkingSetBytes), Mb(last.WorkingSetBytes), Mb(run.Samples.Max(s => s.WorkingSetBytes)), Mb(last.ManagedHeapBytes),
            last.Gen0Collections - first.Gen0Collections, last.Gen1Collections - first.Gen1Collections, last.Gen2Collections - first.Gen2Collections,
            Mb(last.TotalAllocatedBytes - first.TotalAllocatedBytes), first.Threads, last.Threads, Math.Round(cpu, 1),
            last.ElapsedSeconds > 0 ? Math.Round(100 * cpu / last.ElapsedSeconds, 1) : 0, run.Samples.Count);
    }

    private void LogVerdict(bool failed)
    {
        StringBuilder lines = new();
        foreach (SoakCheck check in Checks)
        {
            lines.Append("\n  ").Append(check.Describe());
        }

        int notEvaluated = Checks.Count(c => c.Outcome == CheckOutcome.NotEvaluated);
        int failures = Checks.Count(c => c.Outcome == CheckOutcome.Fail);
        string verdict = failed ? "FAIL" : "PASS";
        if (failed)
        {
            _log.Error("Soak verdict: {Verdict}: {Failed} of {Checks} checks failed, {NotEvaluated} not evaluated{Lines}", verdict, failures, Checks.Count, notEvaluated, lines.ToString());
        }
        else
        {
            _log.Information("Soak verdict: {Verdict}: {Passed} of {Checks} checks passed, {NotEvaluated} not evaluated{Lines}", verdict, Checks.Count - notEvaluated, Checks.Count, notEvaluated, lines.ToString());
        }
    }

    private bool TryWriteReport(SoakRun run, LatencyHistograms histograms, int exitCode)
    {
        try
        {
            if (_reportFormat == SoakReportFormat.Html)
            {
                SoakHtmlReport.Write(_report!, run, _limits, Checks, LatencyFigures.Algorithmic(histograms), LatencyFigures.Processing(histograms), exitCode);
            }
            else
            {
                SoakReport.Write(_report!, run, _limits, Checks, LatencyFigures.Algorithmic(histograms), LatencyFigures.Processing(histograms), exitCode);
            }

            _report!.Flush();
            ReportWritten = true;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            _log.Error("--report: the soak report cannot be written: {Message}", ex.Message);
            return false;
        }
    }

    private static double Mb(long bytes) => Math.Round(bytes / ResourceSample.BytesPerMb, 1);
}
