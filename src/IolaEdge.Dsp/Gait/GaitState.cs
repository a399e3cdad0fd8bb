using System.Runtime.InteropServices;

namespace IolaEdge.Dsp.Gait;

/// <summary>What the walker is doing, as the gait tracker sees one foot.</summary>
public enum GaitState : byte
{
    /// <summary>No footfall for two strides (or none yet): standing.</summary>
    Stopped = 0,

    /// <summary>Walking, but too few regular strides yet to know the period (first steps).</summary>
    Starting = 1,

    /// <summary>Regular strides at a stable period.</summary>
    Steady = 2,

    /// <summary>Regular strides, period shrinking (more than <see cref="GaitOptions.TempoChangeFraction"/> below the recent median).</summary>
    SpeedingUp = 3,

    /// <summary>Regular strides, period growing.</summary>
    Slowing = 4,

    /// <summary>
    /// The last stride broke the rhythm (off the period by more than <see cref="GaitOptions.IrregularFraction"/>): a turn, a
    /// side step, a stumble. From acceleration alone a turn is known only by the stride it disturbs.
    /// </summary>
    Turning = 5,
}

/// <summary>The gait tracker's estimate carried on every event (8-byte period, 2 floats, state).</summary>
/// <param name="StridePeriodNs">Stride period of the foot (same foot to same foot), 0 while unknown.</param>
/// <param name="State">What the walker is doing.</param>
/// <param name="PeriodUncertaintyMs">Spread of recent stride periods (1.48 × median absolute deviation), ms; NaN while unknown.</param>
/// <param name="PredictionUncertaintyMs">Spread of the recent swing-to-landing times the prediction rests on, ms; NaN while unknown.</param>
/// <param name="PairPhase">
/// With two sensors (ids 0 and 1): where the other foot's newest footfall lies in this foot's stride, 0..1 (0.5 for a
/// symmetric gait); NaN with one sensor or while unknown. Set by <see cref="GaitPair"/>.
/// </param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct GaitStamp(long StridePeriodNs, GaitState State, float PeriodUncertaintyMs, float PredictionUncertaintyMs, float PairPhase = float.NaN)
{
    /// <summary>Steps per minute of the walker (two steps per stride), 0 while the period is unknown.</summary>
    public double StepsPerMinute => StridePeriodNs > 0 ? 120e9 / StridePeriodNs : 0;
}
