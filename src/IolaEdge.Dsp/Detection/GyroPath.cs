using System.Numerics;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// The detector's gyroscope path: the foot's <see cref="PitchRate"/> from plausible angular velocity, and the
/// landings <see cref="GyroLanding"/> finds in it. It decides while angular velocity keeps arriving (at most
/// 100 ms stale) and the pitch sign vote is ready, unless it is set aside (<see cref="GyroSetAside"/>); otherwise the
/// acceleration path decides. Until the sign is also
/// settled and compared with both kinds of lobe (<see cref="Settled"/>) its landings are held for the still-foot check.
/// </summary>
/// <remarks>Allocation-free; not thread-safe.</remarks>
internal sealed class GyroPath
{
    // Angular velocity older than this no longer counts: the acceleration path decides again.
    private const double StaleMs = 100;

    // Angular velocity beyond this (°/s) is a corrupt reading, not a foot.
    private const float MaxPlausibleDps = 20_000;

    private readonly PitchRate _pitch;
    private readonly GyroLanding _landing;
    private DspDetectorOptions _o;
    private long _lastGyroNs;

    /// <summary>Creates the path for <paramref name="options"/>.</summary>
    public GyroPath(DspDetectorOptions options)
    {
        _o = options;
        _pitch = new PitchRate(options);
        _landing = new GyroLanding(options);
        SetAside = new GyroSetAside(options);
        Reset();
    }

    /// <summary>Whether this path decides now (angular velocity arriving, the pitch sign vote ready, not set aside).</summary>
    public bool Deciding { get; private set; }

    /// <summary>When this path steps aside for the acceleration path (too gentle, or its landings never come).</summary>
    public GyroSetAside SetAside { get; }

    /// <summary>Whether plausible angular velocity is arriving (at most 100 ms stale), decided by this path or not.</summary>
    public bool Arriving { get; private set; }

    /// <summary>|ω| of the newest sample (°/s), NaN when it carried no plausible angular velocity.</summary>
    public double AngularSpeed { get; private set; }

    /// <summary>The newest sample's pitch rate signed so that the swing is positive (°/s), NaN when it carried no plausible angular velocity.</summary>
    public double Pitch { get; private set; }

    /// <summary>
    /// Whether the pitch sign has settled and been compared with both kinds of lobe (<see cref="PitchRate.Settled"/>,
    /// <see cref="PitchRate.BothSidesSeen"/>): until then this path's landings are held for the still-foot check.
    /// </summary>
    public bool Settled => _pitch.Settled && _pitch.BothSidesSeen;

    /// <summary>Landings placed at the pitch reversal because no impact came with them.</summary>
    public long FootfallsWithoutImpact => _landing.LandingsWithoutImpact;

    /// <summary>Since when the pitch rate has stayed within the stance level (the foot lies flat); <see cref="long.MaxValue"/> while it does not.</summary>
    public long FlatSinceNs => _landing.FlatSinceNs;

    /// <summary>The last time the pitch rate, its sign known, was at or below the reversal level.</summary>
    public long LastReversedNs => _landing.LastReversedNs;

    /// <summary>Times the learned pitch axis turned and its sign was voted anew.</summary>
    public long AxisChanges => _pitch.AxisChanges;

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options)
    {
        _o = options;
        _pitch.Change(options);
        _landing.Change(options);
        SetAside.Change(options);
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _pitch.Reset();
        _landing.Reset();
        SetAside.Reset();
        Deciding = Arriving = false;
        AngularSpeed = Pitch = double.NaN;
        _lastGyroNs = long.MinValue / 2;
    }

    /// <summary>A footfall was placed without a pitch reversal: the swing before it has landed.</summary>
    public void SwingLanded() => _landing.SwingLanded();

    /// <summary>
    /// Takes the next sample (at sensor time <paramref name="timeNs"/>, already added to the
    /// <paramref name="history"/>), the recent jerk maximum and the time of the last emitted footfall. Returns true
    /// with the onset when this path decides a landing.
    /// </summary>
    public bool Process(in ImuSample sample, long timeNs, SignalHistory history, double jerkReference, long lastEmitNs, out long onsetNs)
    {
        onsetNs = 0;
        AngularSpeed = Pitch = double.NaN;
        if (_o.UseGyro && sample.HasAngularVelocity)
        {
            float wx = sample.AngularVelocityX, wy = sample.AngularVelocityY, wz = sample.AngularVelocityZ;
            if (float.IsFinite(wx + wy + wz) && MathF.Abs(wx) < MaxPlausibleDps && MathF.Abs(wy) < MaxPlausibleDps && MathF.Abs(wz) < MaxPlausibleDps)
            {
                var omega = new Vector3(wx, wy, wz);
                _pitch.Update(timeNs, omega);
                _lastGyroNs = timeNs;
                AngularSpeed = omega.Length();
                Pitch = _pitch.Raw * _pitch.Sign;
            }
        }

        Arriving = _o.UseGyro && (timeNs - _lastGyroNs) / SignalStep.NsPerMs <= StaleMs;
        SetAside.Follow(Settled, _pitch.Sign, _pitch.AxisChanges);
        Deciding = Arriving && _pitch.Ready && !SetAside.Active;
        if (_lastGyroNs != timeNs
            || !_landing.Process(timeNs, _pitch.Raw, _pitch.Sign, Deciding, _pitch.BothSidesSeen, history, jerkReference, lastEmitNs, out onsetNs))
        {
            return false;
        }

        return true;
    }
}
