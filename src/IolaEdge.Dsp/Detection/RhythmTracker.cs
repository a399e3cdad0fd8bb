namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The walker's stride rhythm, learned from confirmed footfalls: the stride period, and a Kalman filter
/// on the footfall phase that places each new landing between where it was found and where the rhythm
/// predicts it, weighted by how noisy each of the two has been on this walk.
/// </summary>
/// <remarks>
/// <para>Model: footfalls follow a renewal rhythm, tₖ = tₖ₋₁ + T + jₖ (stride jitter j, variance Q),
/// and a landing is found at dₖ = tₖ + mₖ (landing noise m, variance R). Neither variance is assumed:
/// consecutive found intervals Δₖ = T + jₖ + mₖ − mₖ₋₁ have variance Q + 2R and lag-1 covariance −R, so
/// running estimates of both moments give R = −cov and Q = var + 2 cov. A walker whose landings are
/// crisp (little R) is placed where found; a steady walker whose landings scatter is pulled towards the
/// rhythm, by the Kalman gain rather than a fixed blend.</para>
/// <para>The period is tracked separately: it is seeded by two consecutive intervals that agree; intervals within 0.6–1.6 periods move it; three rejected
/// stride-length intervals that agree within 20 % are a new cadence (a period seeded from a spurious
/// mid-stride footfall, or a change of pace faster than the acceptance window follows) and replace it.</para>
/// <para>Allocation-free; not thread-safe (owned by the detector, on the pipeline thread).</para>
/// </remarks>
public sealed class RhythmTracker
{
    private const double NsPerMs = 1e6;

    // Period: accept intervals within this factor of the current period, smooth with this weight.
    private const double PeriodAcceptLow = 0.6;
    private const double PeriodAcceptHigh = 1.6;
    private const double PeriodWeight = 0.2;
    private const int RelockIntervals = 3;
    private const double RelockAgreement = 0.2;

    // A landing further than this fraction of a stride from the prediction is not the predicted footfall:
    // the phase restarts there instead of being pulled.
    private const double PhaseGateFraction = 0.25;

    // A landing this many standard deviations from the prediction is still the predicted footfall.
    private const double TrustSigmas = 3;

    // Noise moments: exponential weight per interval (about 10 strides of memory) and how many interval
    // pairs to see before trusting them over the priors. Floors keep the filter from trusting either
    // side absolutely.
    private const double NoiseWeight = 0.1;
    private const int NoiseWarmupPairs = 6;
    private const double MinLandingNoiseMs = 5;
    private const double MinJitterFraction = 0.01;

    // Without a footfall for this many strides (a pause, a stop) the rhythm is no longer locked.
    private const double LockStrides = 2.5;

    private double _minStrideMs;
    private double _maxStrideMs;
    private double _landingNoiseMs;
    private double _jitterFraction;

    private bool _hasLast;
    private long _lastNs;
    private double _periodMs;
    private double _seedMs;
    private int _rejectedIntervals;
    private double _rejectedMeanMs;

    private bool _hasPhase;
    private double _phaseNs;
    private double _phaseVariance;

    private double _intervalVariance;
    private double _intervalCovariance;
    private double _previousDeviation;
    private bool _hasPreviousDeviation;
    private int _noisePairs;

    /// <summary>Creates a tracker with the detector's options.</summary>
    public RhythmTracker(DspDetectorOptions options)
    {
        Change(options);
        Reset();
    }

    /// <summary>The tracked stride period in ms (0 until known).</summary>
    public double PeriodMs => _periodMs;

    /// <summary>The landing noise (ms, standard deviation) the filter currently assumes.</summary>
    public double LandingNoiseMs => Math.Sqrt(LandingVariance());

    /// <summary>The stride jitter (ms, standard deviation) the filter currently assumes.</summary>
    public double StrideJitterMs => Math.Sqrt(JitterVariance());

    /// <summary>Takes the stride limits and noise priors from <paramref name="options"/> (already validated), keeping the state.</summary>
    public void Change(DspDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _minStrideMs = options.MinStrideMs;
        _maxStrideMs = options.MaxStrideMs;
        _landingNoiseMs = options.LandingNoiseMs;
        _jitterFraction = options.StrideJitterFraction;
    }

    /// <summary>Forgets the rhythm.</summary>
    public void Reset()
    {
        _hasLast = false;
        _periodMs = _seedMs = 0;
        _rejectedIntervals = 0;
        _rejectedMeanMs = 0;
        _hasPhase = false;
        _intervalVariance = _intervalCovariance = 0;
        _hasPreviousDeviation = false;
        _noisePairs = 0;
    }

    /// <summary>Whether a rhythm is established and a footfall was seen within the last few strides of <paramref name="nowNs"/>.</summary>
    public bool IsLocked(long nowNs) =>
        _periodMs > 0 && _hasPhase && (nowNs - _lastNs) / NsPerMs < LockStrides * _periodMs;

    /// <summary>
    /// Whether a landing at <paramref name="landingNs"/> is where the rhythm expects a footfall: within the
    /// phase gate and within three standard deviations of the prediction (prediction and landing noise).
    /// </summary>
    public bool IsInPhase(long landingNs)
    {
        if (!Predict(landingNs, out double predictedNs, out double priorVariance))
        {
            return false;
        }

        double innovationMs = Math.Abs(landingNs - predictedNs) / NsPerMs;
        return innovationMs <= PhaseGateFraction * _periodMs
            && innovationMs <= TrustSigmas * Math.Sqrt(priorVariance + LandingVariance());
    }

    /// <summary>
    /// The filtered footfall time for a landing found at <paramref name="landingNs"/>, with
    /// <paramref name="priorWeight"/> (0..1) scaling the filter's pull towards the prediction. A landing
    /// outside the phase gate, or before a rhythm exists, is returned as found.
    /// </summary>
    public long Estimate(long landingNs, double priorWeight)
    {
        if (priorWeight <= 0 || !Predict(landingNs, out double predictedNs, out double priorVariance))
        {
            return landingNs;
        }

        double innovation = landingNs - predictedNs;
        if (Math.Abs(innovation) > PhaseGateFraction * _periodMs * NsPerMs)
        {
            return landingNs;
        }

        double gain = priorVariance / (priorVariance + LandingVariance());
        return (long)(landingNs - (priorWeight * (1 - gain) * innovation));
    }

    /// <summary>Feeds a confirmed footfall, as found (not as placed): updates phase, period and noise estimates.</summary>
    public void Observe(long landingNs)
    {
        if (!_hasLast)
        {
            _hasLast = true;
            _lastNs = landingNs;
            StartPhase(landingNs);
            return;
        }

        double interval = (landingNs - _lastNs) / NsPerMs;
        _lastNs = landingNs;
        UpdatePhase(landingNs);
        if (_periodMs <= 0)
        {
            Seed(interval);
            return;
        }

        if (interval > PeriodAcceptLow * _periodMs && interval < PeriodAcceptHigh * _periodMs)
        {
            _periodMs = Math.Clamp(_periodMs + (PeriodWeight * (interval - _periodMs)), _minStrideMs, _maxStrideMs);
            _rejectedIntervals = 0;
            UpdateNoise(interval - _periodMs);
        }
        else
        {
            _hasPreviousDeviation = false;
            if (interval > _minStrideMs && interval < _maxStrideMs)
            {
                Relock(interval);
            }
        }
    }

    private void UpdatePhase(long landingNs)
    {
        if (!Predict(landingNs, out double predictedNs, out double priorVariance)
            || Math.Abs(landingNs - predictedNs) > PhaseGateFraction * _periodMs * NsPerMs)
        {
            StartPhase(landingNs);
            return;
        }

        double gain = priorVariance / (priorVariance + LandingVariance());
        _phaseNs = predictedNs + (gain * (landingNs - predictedNs));
        _phaseVariance = (1 - gain) * priorVariance;
    }

    private void StartPhase(long landingNs)
    {
        _hasPhase = true;
        _phaseNs = landingNs;
        _phaseVariance = LandingVariance();
    }

    /// <summary>The footfall the rhythm predicts nearest to <paramref name="landingNs"/> (at least one stride on) and its variance in ms².</summary>
    private bool Predict(long landingNs, out double predictedNs, out double priorVariance)
    {
        predictedNs = 0;
        priorVariance = 0;
        if (!_hasPhase || _periodMs <= 0)
        {
            return false;
        }

        double periodNs = _periodMs * NsPerMs;
        double strides = Math.Max(1, Math.Round((landingNs - _phaseNs) / periodNs));
        predictedNs = _phaseNs + (strides * periodNs);
        priorVariance = _phaseVariance + (strides * JitterVariance());
        return true;
    }

    private void UpdateNoise(double deviationMs)
    {
        if (_hasPreviousDeviation)
        {
            double w = NoiseWeight;
            _intervalVariance += w * ((deviationMs * deviationMs) - _intervalVariance);
            _intervalCovariance += w * ((deviationMs * _previousDeviation) - _intervalCovariance);
            _noisePairs++;
        }

        _previousDeviation = deviationMs;
        _hasPreviousDeviation = true;
    }

    private double LandingVariance()
    {
        double prior = _landingNoiseMs * _landingNoiseMs;
        double floor = MinLandingNoiseMs * MinLandingNoiseMs;
        return _noisePairs >= NoiseWarmupPairs ? Math.Max(-_intervalCovariance, floor) : prior;
    }

    private double JitterVariance()
    {
        double prior = _jitterFraction * _periodMs * _jitterFraction * _periodMs;
        double floor = MinJitterFraction * _periodMs * MinJitterFraction * _periodMs;
        return _noisePairs >= NoiseWarmupPairs ? Math.Max(_intervalVariance + (2 * _intervalCovariance), floor) : prior;
    }

    /// <summary>
    /// The first period needs two consecutive stride-length intervals that agree: one interval may span a
    /// shuffle before the walk or a missed step, and a wrong seed costs several strides to unlearn.
    /// </summary>
    private void Seed(double intervalMs)
    {
        if (intervalMs <= _minStrideMs || intervalMs >= _maxStrideMs)
        {
            _seedMs = 0;
            return;
        }

        if (_seedMs > 0 && Math.Abs(intervalMs - _seedMs) < RelockAgreement * _seedMs)
        {
            _periodMs = (intervalMs + _seedMs) / 2;
            return;
        }

        _seedMs = intervalMs;
    }

    private void Relock(double intervalMs)
    {
        if (_rejectedIntervals > 0 && Math.Abs(intervalMs - _rejectedMeanMs) < RelockAgreement * _rejectedMeanMs)
        {
            _rejectedIntervals++;
            _rejectedMeanMs += (intervalMs - _rejectedMeanMs) / _rejectedIntervals;
        }
        else
        {
            _rejectedIntervals = 1;
            _rejectedMeanMs = intervalMs;
        }

        if (_rejectedIntervals >= RelockIntervals)
        {
            _periodMs = Math.Clamp(_rejectedMeanMs, _minStrideMs, _maxStrideMs);
            _rejectedIntervals = 0;
        }
    }
}
