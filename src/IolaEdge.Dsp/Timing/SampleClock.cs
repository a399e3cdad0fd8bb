using System.Runtime.CompilerServices;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Timing;

/// <summary>
/// Per-sensor de-jitter model: gives every sample a sensor time on the session clock, reconstructed
/// from the nominal rate and the bursty arrival times; detects and counts gaps and lost samples.
/// </summary>
/// <remarks>
/// <para>Model. The sensor samples on a regular grid of period T = 1/<see cref="SampleClockOptions.NominalRateHz"/>;
/// BLE delivers them late and in bursts (one connection event carries several notifications), and
/// loses some. So (1) consecutive samples are one period apart: sample time = previous + T;
/// (2) a sample cannot be taken after it arrived: sample time ≤ arrival, which also pulls a clock that
/// runs ahead (a sensor slower than nominal) back; (3) when a burst ends, the age of its newest sample
/// at arrival shows whether samples were lost: if it exceeds
/// <see cref="SampleClockOptions.LossSlackPeriods"/> periods, the grid jumps forward by whole periods
/// for the next burst and the skipped periods are counted as lost. The convention is that the newest
/// sample of a burst is stamped at most a period before its arrival: unknown fixed radio latency is
/// not in the reconstructed time (it cannot be observed from arrivals alone).</para>
/// <para>Raw arrival time is only used as a bound, never copied into a sample time, except for the
/// very first sample and after a stall longer than <see cref="SampleClockOptions.ResyncGapMs"/>.
/// A sample that already carries a sensor time (a source that knows it) keeps it and re-anchors the model.</para>
/// <para>Allocation-free; not thread-safe (the producer of the sensor's samples owns it).</para>
/// </remarks>
public sealed class SampleClock
{
    private long _periodNs;
    private long _burstGapNs;
    private long _lossSlackNs;
    private long _resyncGapNs;
    private bool _useSequenceGaps;

    private bool _started;
    private long _lastTimeNs;
    private long _lastArrivalNs;
    private long _lastSequence;

    /// <summary>Creates a clock with validated <paramref name="options"/> (defaults when null).</summary>
    public SampleClock(SampleClockOptions? options = null) => Change(options ?? new SampleClockOptions());

    /// <summary>Samples stamped since the last <see cref="Reset"/>.</summary>
    public long Samples { get; private set; }

    /// <summary>Bursts seen (arrival gaps longer than the burst gap).</summary>
    public long Bursts { get; private set; }

    /// <summary>Detected gaps: losses found at burst ends, sequence gaps and stalls.</summary>
    public long Gaps { get; private set; }

    /// <summary>Estimated number of samples lost in those gaps.</summary>
    public long EstimatedLostSamples { get; private set; }

    /// <summary>Samples whose predicted time lay after their arrival and were pulled back to it.</summary>
    public long AheadClamps { get; private set; }

    /// <summary>Stalls after which the clock restarted at the arrival time.</summary>
    public long Resyncs { get; private set; }

    /// <summary>Arrivals earlier than the previous arrival (treated as simultaneous with it).</summary>
    public long NonMonotonicArrivals { get; private set; }

    /// <summary>Samples that came with a sensor time and kept it.</summary>
    public long PassedThrough { get; private set; }

    /// <summary>Nominal period in ns.</summary>
    public long PeriodNs => _periodNs;

    /// <summary>Applies new options in place, keeping the current time base (live tuning).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option outside its range (the key is named).</exception>
    public void Change(SampleClockOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _periodNs = options.PeriodNs;
        _burstGapNs = (long)(options.BurstGapPeriods * _periodNs);
        _lossSlackNs = (long)(options.LossSlackPeriods * _periodNs);
        _resyncGapNs = (long)(options.ResyncGapMs * 1e6);
        _useSequenceGaps = options.UseSequenceGaps;
    }

    /// <summary>Returns <paramref name="raw"/> with its reconstructed sensor time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ImuSample Stamp(in ImuSample raw) => raw.WithSensorTime(Next(raw));

    /// <summary>Forgets the time base and the counters (new recording, reconnect).</summary>
    public void Reset()
    {
        _started = false;
        _lastTimeNs = _lastArrivalNs = _lastSequence = 0;
        Samples = Bursts = Gaps = EstimatedLostSamples = AheadClamps = Resyncs = NonMonotonicArrivals = PassedThrough = 0;
    }

    private long Next(in ImuSample raw)
    {
        Samples++;
        long arrival = raw.ArrivalTimeNs;
        if (raw.SensorTimeNs != 0)
        {
            PassedThrough++;
            Anchor(raw.SensorTimeNs, Math.Max(arrival, _lastArrivalNs), raw.Sequence);
            return raw.SensorTimeNs;
        }

        if (!_started)
        {
            Bursts++;
            Anchor(arrival, arrival, raw.Sequence);
            return arrival;
        }

        if (arrival < _lastArrivalNs)
        {
            NonMonotonicArrivals++;
            arrival = _lastArrivalNs;
        }

        long gap = arrival - _lastArrivalNs;
        long predicted = _lastTimeNs + _periodNs;
        if (gap > _resyncGapNs)
        {
            long missed = (arrival - predicted) / _periodNs;
            Resyncs++;
            Gaps++;
            Bursts++;
            EstimatedLostSamples += Math.Max(0, missed);
            Anchor(arrival, arrival, raw.Sequence);
            return arrival;
        }

        if (_useSequenceGaps)
        {
            long skipped = raw.Sequence - _lastSequence - 1;
            if (skipped > 0)
            {
                Gaps++;
                EstimatedLostSamples += skipped;
                predicted += skipped * _periodNs;
            }
        }

        if (gap > _burstGapNs)
        {
            Bursts++;

            // Age of the previous burst's newest sample when it arrived: beyond the slack, whole periods were lost.
            long lag = _lastArrivalNs - _lastTimeNs;
            if (lag > _lossSlackNs)
            {
                long lost = lag / _periodNs;
                Gaps++;
                EstimatedLostSamples += lost;
                predicted += lost * _periodNs;
            }
        }

        long time = predicted;
        if (time > arrival)
        {
            AheadClamps++;
            time = arrival;
        }

        Anchor(time, arrival, raw.Sequence);
        return time;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Anchor(long time, long arrival, long sequence)
    {
        _started = true;
        _lastTimeNs = time;
        _lastArrivalNs = arrival;
        _lastSequence = sequence;
    }
}
