namespace IolaEdge.Simulation;

/// <summary>How the simulated walker's instrumented foot meets the ground at each contact.</summary>
public enum LandingStyle
{
    /// <summary>
    /// A heel strike: the foot arrives toe-up (≈ 15° of pitch at the contact) and the forefoot then comes down, a
    /// foot slap of ≈ −243 °/s of pitch rate peaking 28 ms after the contact.
    /// </summary>
    Heel,

    /// <summary>
    /// A flat-footed landing (as in Parkinson's disease, after a stroke or in cautious elderly walkers): the foot
    /// arrives level, the pitch rate falls from the swing to zero at the contact and no forefoot-down rotation follows;
    /// the impact transient of the contact is the same as a heel strike's.
    /// </summary>
    Flat,
}
