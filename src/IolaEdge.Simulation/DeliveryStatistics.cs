using System.Runtime.InteropServices;
using IolaEdge.Dsp;

namespace IolaEdge.Simulation;

/// <summary>
/// Measures how a stream arrived: effective rate, burst sizes and the gaps between bursts, from
/// arrival times alone (so a simulated walk and a recording are measured the same way).
/// </summary>
/// <remarks>
/// A burst is a run of samples whose consecutive arrivals are at most <see cref="BurstGapNs"/>
/// apart; the arrival gap is the time from a burst's last sample to the next burst's first.
/// Keeps every burst size and gap in lists: a tool for tests and reports, not for the pipeline thread.
/// </remarks>
public sealed class DeliveryStatistics
{
    private readonly List<int> _burstSizes = [];
    private readonly List<double> _gapsMs = [];
    private long _firstNs;
    private long _lastNs;
    private long _count;
    private int _currentBurst;

    /// <summary>Creates an accumulator.</summary>
    /// <param name="burstGapNs">Largest arrival difference inside one burst (default 5 ms).</param>
    public DeliveryStatistics(long burstGapNs = 5_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(burstGapNs);
        BurstGapNs = burstGapNs;
    }

    /// <summary>Largest arrival difference inside one burst, in ns.</summary>
    public long BurstGapNs { get; }

    /// <summary>Adds the next sample's arrival time (session-clock ns, non-decreasing).</summary>
    public void Add(long arrivalNs)
    {
        if (_count == 0)
        {
            _firstNs = arrivalNs;
            _currentBurst = 1;
        }
        else if (arrivalNs - _lastNs > BurstGapNs)
        {
            _burstSizes.Add(_currentBurst);
            _gapsMs.Add((arrivalNs - _lastNs) / 1e6);
            _currentBurst = 1;
        }
        else
        {
            _currentBurst++;
        }

        _lastNs = arrivalNs;
        _count++;
    }

    /// <summary>The figures so far (the last, unfinished burst counts as a burst).</summary>
    public DeliverySummary Summarize()
    {
        List<int> sizes = new(_burstSizes);
        if (_count > 0)
        {
            sizes.Add(_currentBurst);
        }

        sizes.Sort();
        List<double> gaps = new(_gapsMs);
        gaps.Sort();
        double seconds = (_lastNs - _firstNs) / 1e9;
        int inSeedBand = 0;
        foreach (double g in gaps)
        {
            if (g is >= 40 and <= 50)
            {
                inSeedBand++;
            }
        }

        double meanSize = sizes.Count == 0 ? 0 : (double)_count / sizes.Count;
        return new DeliverySummary(
            _count,
            seconds > 0 ? (_count - 1) / seconds : 0,
            sizes.Count,
            meanSize,
            sizes.Count == 0 ? 0 : Percentile.MedianOfSorted<int>(CollectionsMarshal.AsSpan(sizes)),
            Quantile(gaps, 50),
            Quantile(gaps, 10),
            Quantile(gaps, 90),
            gaps.Count == 0 ? 0 : gaps[^1],
            gaps.Count == 0 ? 0 : (double)inSeedBand / gaps.Count);
    }

    private static double Quantile(List<double> sorted, double percent) =>
        sorted.Count == 0 ? 0 : Percentile.OfSorted<double>(CollectionsMarshal.AsSpan(sorted), percent);
}

/// <summary>Arrival figures of a stream (see <see cref="DeliveryStatistics"/>).</summary>
/// <param name="Samples">Samples seen.</param>
/// <param name="EffectiveRateHz">Samples per second of arrival time.</param>
/// <param name="Bursts">Bursts seen.</param>
/// <param name="MeanBurstSize">Samples per burst, mean.</param>
/// <param name="MedianBurstSize">Samples per burst, median.</param>
/// <param name="MedianGapMs">Gap between bursts, median, in ms.</param>
/// <param name="P10GapMs">Gap between bursts, 10th percentile, in ms.</param>
/// <param name="P90GapMs">Gap between bursts, 90th percentile, in ms.</param>
/// <param name="MaxGapMs">Largest gap between bursts, in ms.</param>
/// <param name="FractionOfGapsIn40To50Ms">Share of gaps between 40 and 50 ms (the seed recording's band).</param>
public readonly record struct DeliverySummary(
    long Samples,
    double EffectiveRateHz,
    int Bursts,
    double MeanBurstSize,
    double MedianBurstSize,
    double MedianGapMs,
    double P10GapMs,
    double P90GapMs,
    double MaxGapMs,
    double FractionOfGapsIn40To50Ms)
{
    /// <summary>One line for logs and reports.</summary>
    public override string ToString() =>
        FormattableString.Invariant(
            $"{Samples} samples, {EffectiveRateHz:0.0} Hz effective, {Bursts} bursts (mean {MeanBurstSize:0.00}, median {MedianBurstSize:0.#}), gaps ms median {MedianGapMs:0.0} p10 {P10GapMs:0.0} p90 {P90GapMs:0.0} max {MaxGapMs:0.0}, {FractionOfGapsIn40To50Ms:P0} in 40-50 ms");
}
