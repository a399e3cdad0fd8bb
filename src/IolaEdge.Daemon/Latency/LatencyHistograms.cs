using System.Globalization;
using System.Text;
using HdrHistogram;
using IolaEdge.Daemon.Output;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Latency;

/// <summary>
/// HdrHistogram summaries of algorithmic and processing latency (µs resolution, 3 significant digits), the
/// processing latency up to the MIDI thread's hand-off beside it (queued: the definition before the bytes were
/// stamped where they leave), plus a cadence estimate. Fed by its own fan-out consumer thread; read by summaries (SIGUSR1, progress,
/// end of run) under a lock that the pipeline thread never touches.
/// </summary>
internal sealed class LatencyHistograms : IFootfallEventConsumer
{
    // One minute in µs: anything above is not a latency but a clock mix-up, and is counted instead.
    private const long HighestTrackableUs = 60_000_000;

    private readonly Lock _lock = new();
    private readonly LongHistogram _algorithmic = new(HighestTrackableUs, 3);
    private readonly LongHistogram _processing = new(HighestTrackableUs, 3);
    private readonly LongHistogram _queued = new(HighestTrackableUs, 3);
    private readonly LongHistogram _predictionError = new(HighestTrackableUs, 3);
    private double _cadence = double.NaN; // the gait tracker's, from the newest event's stamp
    private long _unmeasured;
    private long _unconfirmed;

    /// <inheritdoc/>
    public string Name => "histograms";

    /// <summary>Footfalls recorded.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _algorithmic.TotalCount;
            }
        }
    }

    /// <summary>Events without a usable processing latency (no MIDI write stamp, or clocks that do not match).</summary>
    public long Unmeasured
    {
        get
        {
            lock (_lock)
            {
                return _unmeasured;
            }
        }
    }

    /// <summary>Recent cadence in steps per minute (NaN before two footfalls).</summary>
    public double CadenceStepsPerMinute
    {
        get
        {
            lock (_lock)
            {
                return _cadence;
            }
        }
    }

    /// <inheritdoc/>
    public void OnFootfall(in FootfallEvent footfall)
    {
        lock (_lock)
        {
            _cadence = footfall.Gait.StepsPerMinute > 0 && footfall.Gait.State != Dsp.Gait.GaitState.Stopped ? footfall.Gait.StepsPerMinute : double.NaN;
            if (footfall.Kind != FootfallEventKind.Detected)
            {
                _unconfirmed++; // a predicted note whose footfall was not detected: no latency to measure
                return;
            }

            if (footfall.Trigger == NoteTrigger.Predicted)
            {
                // The note went out before the footfall: what counts is how far the prediction was from the detection.
                _predictionError.RecordValue(Math.Min(Math.Abs(footfall.PredictedTimeNs - footfall.FootfallTimeNs) / 1000, HighestTrackableUs));
                _algorithmic.RecordValue(Math.Clamp(footfall.AlgorithmicLatencyNs / 1000, 0, HighestTrackableUs));
                return;
            }

            _algorithmic.RecordValue(Math.Clamp(footfall.AlgorithmicLatencyNs / 1000, 0, HighestTrackableUs));
            long processingUs = footfall.ProcessingLatencyNs / 1000;
            if (footfall.MidiWriteTimeNs != 0 && processingUs >= 0 && processingUs <= HighestTrackableUs)
            {
                _processing.RecordValue(processingUs);
            }
            else
            {
                _unmeasured++;
            }

            long queuedUs = footfall.QueuedLatencyNs / 1000;
            if (footfall.MidiQueuedTimeNs != 0 && queuedUs >= 0 && queuedUs <= HighestTrackableUs)
            {
                _queued.RecordValue(queuedUs);
            }
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }

    /// <summary>A percentile of algorithmic latency in ms (tests and benchmarks).</summary>
    public double AlgorithmicPercentileMs(double percentile)
    {
        lock (_lock)
        {
            return _algorithmic.TotalCount == 0 ? double.NaN : _algorithmic.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    /// <summary>A percentile of processing latency in ms (tests and benchmarks).</summary>
    public double ProcessingPercentileMs(double percentile)
    {
        lock (_lock)
        {
            return _processing.TotalCount == 0 ? double.NaN : _processing.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    /// <summary>A percentile of the latency up to the MIDI thread's hand-off (queued) in ms (tests and benchmarks).</summary>
    public double QueuedPercentileMs(double percentile)
    {
        lock (_lock)
        {
            return _queued.TotalCount == 0 ? double.NaN : _queued.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    /// <summary>Multi-line text: p50/p90/p99/p99.9/max of both latencies, in ms.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            StringBuilder text = new();
            AppendLine(text, "algorithmic (decision sample - footfall sample)", _algorithmic);
            text.Append('\n');
            AppendLine(text, "processing (MIDI write - packet arrival)", _processing);
            if (_queued.TotalCount > 0)
            {
                text.Append('\n');
                AppendLine(text, "  of which up to the MIDI hand-off (queued - packet arrival)", _queued);
            }

            if (_predictionError.TotalCount > 0)
            {
                text.Append('\n');
                AppendLine(text, "predicted notes: |predicted - detected footfall|", _predictionError);
            }

            if (_unconfirmed > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  ({_unconfirmed} predicted notes without a detected footfall)");
            }

            if (_unmeasured > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  ({_unmeasured} events without a processing stamp)");
            }

            return text.ToString();
        }
    }

    private static void AppendLine(StringBuilder text, string label, LongHistogram histogram)
    {
        text.Append(CultureInfo.InvariantCulture, $"  {label}: n={histogram.TotalCount}");
        if (histogram.TotalCount == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture,
            $" p50={Ms(histogram.GetValueAtPercentile(50))} p90={Ms(histogram.GetValueAtPercentile(90))} p99={Ms(histogram.GetValueAtPercentile(99))} p99.9={Ms(histogram.GetValueAtPercentile(99.9))} max={Ms(histogram.GetMaxValue())} ms");
    }

    private static string Ms(long us) => (us / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
}
