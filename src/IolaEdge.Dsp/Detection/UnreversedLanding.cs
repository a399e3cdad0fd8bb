namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The gyroscope path's blind spot: a foot that lands flat or toe first never turns the forefoot down after the heel
/// strike, so its pitch rate shows no reversal and the gyroscope path finds no landing. While that path decides, an
/// acceleration-path landing with no reversal from <see cref="DspDetectorOptions.GyroUnreversedLookbackMs"/> before its
/// onset is parked here. It is emitted, on its onset, once <see cref="DspDetectorOptions.GyroUnreversedWaitMs"/> have
/// passed after its impact's peak with no reversal and the foot has lain flat (pitch rate within
/// ±<see cref="DspDetectorOptions.GyroStanceDps"/>) for 10 ms, or twice that wait after the peak whatever the pitch rate
/// (a toe-first landing's heel comes down turning the foot).
/// </summary>
/// <remarks>
/// On ipol1-dev-gyro the reversal comes a median 20 ms before the labelled heel strike and within 10 ms after it for 95 %
/// of them. The wait counts from the impact's peak, not its onset: a low-passed or resampled recording spreads the
/// impact's rise 40–70 ms ahead of the reversal, and the pitch rate passing through zero on its way to the reversal is
/// one flat sample, not a foot lying flat (docs/detector.md, stop 29). Allocation-free; not thread-safe.
/// </remarks>
internal sealed class UnreversedLanding
{
    // A foot that has landed lies flat this long; the pitch rate passing through the stance level on its way to a
    // reversal does so for one sample.
    private const double FlatMs = 10;

    // A toe-first landing's heel comes down turning the foot: it is let out after this many waits whatever the pitch.
    private const double MaxWaits = 2;

    private DspDetectorOptions _o;
    private long _peakNs;

    /// <summary>Creates the stage for <paramref name="options"/>.</summary>
    public UnreversedLanding(DspDetectorOptions options) => _o = options;

    /// <summary>Whether a landing is parked.</summary>
    public bool Parked { get; private set; }

    /// <summary>The parked landing's onset (sensor time, ns).</summary>
    public long OnsetNs { get; private set; }

    /// <summary>The parked landing's strength (its deviation from the stance direction).</summary>
    public float Strength { get; private set; }

    /// <summary>Parked landings emitted.</summary>
    public long Emitted { get; private set; }

    /// <summary>Parked landings dropped because a reversal or a footfall came with them.</summary>
    public long Dropped { get; private set; }

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        Parked = false;
        Emitted = Dropped = 0;
    }

    /// <summary>
    /// Parks an accepted acceleration-path landing that the deciding gyroscope path has shown no reversal for (the last
    /// reversal at <paramref name="lastReversedNs"/>). Returns false, parking nothing, when one is parked already, the
    /// rule is off, or a reversal came with it: the gyroscope path decides that landing.
    /// </summary>
    public bool Park(long onsetNs, long peakNs, float strength, long lastReversedNs)
    {
        if (Parked || _o.GyroUnreversedWaitMs <= 0 || Reversed(onsetNs, lastReversedNs))
        {
            return false;
        }

        Parked = true;
        OnsetNs = onsetNs;
        _peakNs = Math.Max(onsetNs, peakNs);
        Strength = strength;
        return true;
    }

    /// <summary>
    /// Takes the next sample (the pitch rate within the stance level since <paramref name="flatSinceNs"/>,
    /// <see cref="long.MaxValue"/> when it is not): returns true when the parked landing is to be emitted now. It is
    /// dropped when a reversal came with it after all, a footfall was emitted within <paramref name="refractoryMs"/> of
    /// it (or after it), or the gyroscope path stopped deciding.
    /// </summary>
    public bool Decide(long nowNs, long lastReversedNs, long lastEmitNs, double refractoryMs, bool gyroDeciding, long flatSinceNs)
    {
        if (!Parked)
        {
            return false;
        }

        if (Reversed(OnsetNs, lastReversedNs) || (OnsetNs - lastEmitNs) / SignalStep.NsPerMs < refractoryMs || !gyroDeciding)
        {
            Parked = false;
            Dropped++;
            return false;
        }

        double sinceMs = (nowNs - _peakNs) / SignalStep.NsPerMs;
        bool flat = flatSinceNs <= nowNs && (nowNs - flatSinceNs) / SignalStep.NsPerMs >= FlatMs;
        if (sinceMs < _o.GyroUnreversedWaitMs || (!flat && sinceMs < MaxWaits * _o.GyroUnreversedWaitMs))
        {
            return false;
        }

        Parked = false;
        Emitted++;
        return true;
    }

    private bool Reversed(long onsetNs, long lastReversedNs) =>
        lastReversedNs >= onsetNs - (long)(_o.GyroUnreversedLookbackMs * SignalStep.NsPerMs);
}
