using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Latency;
using IolaEdge.Daemon.Output;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Daemon.Signals;
using IolaEdge.Daemon.Systemd;
using IolaEdge.Dsp.Rings;
using Serilog;

namespace IolaEdge.Daemon.Hosting;

/// <summary>
/// One run, in the real-time lifecycle order: open the output, allocate rings and start threads; let
/// the source push samples; on end, duration or signal stop the source, drain the pipeline, flush and
/// close the outputs, then print the summary.
/// </summary>
internal sealed class SessionRunner
{
    private readonly ISessionComponents _components;
    private readonly SessionOptions _session;
    private readonly PipelineOptions _pipeline;
    private readonly MidiOptions _midi;
    private readonly EventsOptions _events;
    private readonly ILogger _log;
    private readonly PipelineWatchdog? _watchdog;

    /// <summary>Creates a runner from validated options.</summary>
    /// <param name="components">Builds source, chains and output.</param>
    /// <param name="session">Session options.</param>
    /// <param name="pipeline">Pipeline options.</param>
    /// <param name="midi">MIDI options.</param>
    /// <param name="events">Event stream options.</param>
    /// <param name="log">Logger.</param>
    /// <param name="watchdog">systemd watchdog fed by the pipeline thread's heartbeat, or null.</param>
    public SessionRunner(ISessionComponents components, SessionOptions session, PipelineOptions pipeline, MidiOptions midi, EventsOptions events, ILogger log,
        PipelineWatchdog? watchdog = null)
    {
        _watchdog = watchdog;
        _components = components;
        _session = session;
        _pipeline = pipeline;
        _midi = midi;
        _events = events;
        _log = log.ForContext("SourceContext", "Session");
    }

    /// <summary>Latency histograms of the last run (tests read them).</summary>
    public LatencyHistograms Histograms { get; } = new();

    /// <summary>Runs until the source ends, the duration passes or <paramref name="stopping"/> fires.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        if (!SourceSpec.TryParse(_session.Source, out SourceSpec spec) || !ReplaySpeed.TryParse(_session.Speed, out ReplaySpeed speed))
        {
            throw new StartupException(ExitCodes.Configuration, "Session options were not validated"); // validators ran at start
        }

        OpenedSource opened = _components.OpenSource(spec, speed);
        ISensorPipelineFactory pipelines = _components.CreatePipelines(_session.Detector);

        List<IFootfallEventConsumer> consumers = [Histograms];
        if (_events.LogEachFootfall)
        {
            consumers.Add(new FootfallLogConsumer(_log, 0));
        }

        JsonLinesEventWriter? jsonWriter;
        try
        {
            jsonWriter = JsonLinesEventWriter.Open(_events.Output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.Output, $"Events:Output '{_events.Output}' cannot be opened: {ex.Message}", ex);
        }

        if (jsonWriter is not null)
        {
            consumers.Add(jsonWriter);
        }

        using EventFanOut fanOut = new(consumers, _pipeline.FanOutCapacity);
        using IFootfallOutput output = _components.OpenOutput(_midi, fanOut);
        SpscRing<StampedSample> ring = new(_pipeline.RingCapacity);
        using PipelineWakeup wakeup = new();
        SampleRingSink sink = new(ring, wakeup, waitWhenFull: opened.IsReplay);
        using PipelineCore core = new(ring, pipelines, _pipeline.MaxSensorId, output, opened.ArrivalIsMonotonic);
        PipelineThread thread = new(core, wakeup, _watchdog);
        SessionStatistics statistics = new(sink, core, output, fanOut, Histograms, thread);

        if (output.MidiFilePath is not null)
        {
            _log.Information("Writing MIDI to {MidiFile}", output.MidiFilePath);
        }

        _log.Information("Run: source {Source}, detector {Detector}, speed {Speed}, MIDI {MidiOutput}, events {EventsOutput}",
            opened.Source.Description, pipelines.DetectorName, speed.ToString(), output.Description, _events.Output);

        using CancellationTokenSource runCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (_session.DurationSeconds > 0)
        {
            runCts.CancelAfter(TimeSpan.FromSeconds(_session.DurationSeconds));
        }

        using UserSignalRegistration summaryOnSignal = UserSignalRegistration.Register(() => PrintSummary(statistics, "SIGUSR1"));
        using Timer? progress = _pipeline.ProgressIntervalSeconds > 0
            ? new Timer(_ => PrintProgress(statistics), null, TimeSpan.FromSeconds(_pipeline.ProgressIntervalSeconds), TimeSpan.FromSeconds(_pipeline.ProgressIntervalSeconds))
            : null;

        thread.Start();
        int exitCode = ExitCodes.Success;
        try
        {
            await opened.Source.RunAsync(sink, runCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (runCts.IsCancellationRequested)
        {
            // Stopped by signal or duration: a normal end.
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            _log.Error(ex, "Source {Source} failed", opened.Source.Description);
            exitCode = ExitCodes.Input;
        }
        finally
        {
            // Drain order: pipeline (no more samples) -> MIDI output (writes, flushes, closes) -> slow consumers.
            thread.Complete();
            output.Complete();
            fanOut.Complete();
            jsonWriter?.Dispose();
        }

        if (thread.Fault is not null)
        {
            _log.Fatal(thread.Fault, "Pipeline thread failed");
            exitCode = ExitCodes.Failure;
        }

        if (output is MidiEngineOutput { Fault: not null } midi)
        {
            _log.Error(midi.Fault, "MIDI thread failed");
            exitCode = ExitCodes.Output;
        }

        PrintSummary(statistics, stopping.IsCancellationRequested ? "stopped by signal" : "end of run");
        if (output.MidiFilePath is not null)
        {
            _log.Information("MIDI file: {MidiFile}", output.MidiFilePath);
        }

        return exitCode;
    }

    private void PrintProgress(SessionStatistics s)
    {
        _log.Information("Progress: {Samples} samples, {Footfalls} footfalls, {Drops} drops, cadence {Cadence} footfalls/min",
            s.Core.Samples, s.Core.Footfalls, s.TotalDrops, FormatCadence(s.Histograms.CadenceStepsPerMinute));
    }

    private void PrintSummary(SessionStatistics s, string reason)
    {
        _log.Information(
            "Summary ({Reason}): {Samples} samples, {Footfalls} footfalls, {Annotations} annotated footfalls, drops: ring {RingDrops}, MIDI {MidiDrops}, consumers {ConsumerDrops}, rejected {Rejected}; cadence {Cadence} footfalls/min; pipeline thread allocated {AllocatedBytes} bytes\nLatency (ms):\n{Latency}",
            reason, s.Core.Samples, s.Core.Footfalls, s.Sink.Annotations, s.Sink.Dropped, s.Output.Dropped, s.FanOut.TotalDropped,
            s.Core.Rejected, FormatCadence(s.Histograms.CadenceStepsPerMinute), s.Thread.AllocatedBytes, s.Histograms.Describe());
    }

    private static string FormatCadence(double stepsPerMinute) =>
        double.IsNaN(stepsPerMinute) ? "-" : stepsPerMinute.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The counters a summary reads.</summary>
    private sealed record SessionStatistics(SampleRingSink Sink, PipelineCore Core, IFootfallOutput Output, EventFanOut FanOut, LatencyHistograms Histograms, PipelineThread Thread)
    {
        public long TotalDrops => Sink.Dropped + Output.Dropped + FanOut.TotalDropped;
    }
}
