using IolaEdge.Dsp.Samples;
using Serilog;

namespace IolaEdge.Daemon.Output;

/// <summary>One structured log line per footfall: time and latency stamps as properties.</summary>
internal sealed class FootfallLogConsumer : IFootfallEventConsumer
{
    private readonly ILogger _log;
    private readonly long _runStartNs;

    /// <summary>Creates the consumer; times are shown relative to <paramref name="runStartNs"/> (session clock).</summary>
    public FootfallLogConsumer(ILogger log, long runStartNs)
    {
        _log = log.ForContext("SourceContext", "Footfall");
        _runStartNs = runStartNs;
    }

    /// <summary>Session-clock time that footfall times are shown relative to; 0 = first footfall's time.</summary>
    public long RunStartNs { get; private set; }

    /// <inheritdoc/>
    public string Name => "log";

    /// <inheritdoc/>
    public void OnFootfall(in FootfallEvent footfall)
    {
        if (RunStartNs == 0)
        {
            RunStartNs = _runStartNs != 0 ? _runStartNs : footfall.FootfallTimeNs;
        }

        if (footfall.Kind == FootfallEventKind.Unconfirmed)
        {
            _log.Information(
                "Predicted note sensor {SensorId} for {PredictedTimeS:0.000} s: no footfall detected (unconfirmed), sent {SentNs}, stride {StrideMs:0} ms, {GaitState}",
                footfall.SensorId, (footfall.PredictedTimeNs - RunStartNs) / 1e9, footfall.MidiWriteTimeNs, footfall.Gait.StridePeriodNs / 1e6, footfall.Gait.State);
            return;
        }

        _log.Information(
            "Footfall sensor {SensorId} #{FootfallSequence} at {FootfallTimeS:0.000} s: algorithmic {AlgorithmicLatencyMs:0.0} ms, processing {ProcessingLatencyMs:0.000} ms, score {Score:0.00}, strength {Strength:0.00} g; "
                + "note by {Trigger}, predicted {PredictedMinusDetectedMs:0.0} ms from the detection, sent {SentNs}; stride {StrideMs:0} ms ({StepsPerMinute:0} steps/min), {GaitState}",
            footfall.SensorId,
            footfall.Sequence,
            (footfall.FootfallTimeNs - RunStartNs) / 1e9,
            footfall.AlgorithmicLatencyNs / 1e6,
            footfall.Trigger == NoteTrigger.Predicted ? 0 : footfall.ProcessingLatencyNs / 1e6,
            footfall.Score,
            footfall.Strength,
            footfall.Trigger,
            footfall.PredictedTimeNs != 0 ? (footfall.PredictedTimeNs - footfall.FootfallTimeNs) / 1e6 : double.NaN,
            footfall.MidiWriteTimeNs,
            footfall.Gait.StridePeriodNs / 1e6,
            footfall.Gait.StepsPerMinute,
            footfall.Gait.State);
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }
}
