namespace IolaEdge.Dsp.Gait;

/// <summary>
/// The left/right relation of a walker with two sensors (ids 0 and 1): where each foot's footfalls fall in the other's
/// stride. 0.5 is a symmetric gait; a limp or a turn pulls it off. Allocation-free; one thread (the pipeline's).
/// </summary>
public sealed class GaitPair
{
    private readonly long[] _last = new long[2];
    private readonly bool[] _seen = new bool[2];

    /// <summary>Where sensor 1's newest footfall lies in sensor 0's stride, 0..1; NaN while unknown.</summary>
    public double Phase { get; private set; } = double.NaN;

    /// <summary>Step asymmetry: |Phase − 0.5| × 2, 0 (even steps) .. 1; NaN while unknown.</summary>
    public double Asymmetry => double.IsNaN(Phase) ? double.NaN : Math.Abs(Phase - 0.5) * 2;

    /// <summary>
    /// A footfall of <paramref name="sensorId"/> at <paramref name="footfallTimeNs"/> with that foot's stride period;
    /// returns the phase of the other foot in this foot's stride (NaN for other sensor ids or while unknown).
    /// </summary>
    public float OnFootfall(int sensorId, long footfallTimeNs, long stridePeriodNs)
    {
        if ((uint)sensorId > 1)
        {
            return float.NaN;
        }

        _last[sensorId] = footfallTimeNs;
        _seen[sensorId] = true;
        int other = 1 - sensorId;
        if (!_seen[other] || stridePeriodNs <= 0 || footfallTimeNs - _last[other] > 2 * stridePeriodNs)
        {
            return float.NaN;
        }

        // The other foot's newest footfall, as a fraction of this foot's stride since its own previous footfall.
        double sinceOther = (double)(footfallTimeNs - _last[other]) / stridePeriodNs;
        double phaseOfOther = 1 - (sinceOther - Math.Floor(sinceOther));
        phaseOfOther = phaseOfOther >= 1 ? 0 : phaseOfOther;
        Phase = sensorId == 0 ? phaseOfOther : 1 - phaseOfOther;
        return (float)phaseOfOther;
    }

    /// <summary>Forgets both feet.</summary>
    public void Reset()
    {
        _seen[0] = _seen[1] = false;
        Phase = double.NaN;
    }
}
