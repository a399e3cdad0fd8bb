namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Holds a landing of either path while the gyroscope is arriving but its pitch sign has not settled (the walk's
/// first strides), and lets it out only if the foot is still soon after it. A toe-off can look like a landing to the
/// accelerometer, and to a pitch tracker with the wrong sign; the gyroscope tells them apart a moment later: after a
/// landing the foot is flat and nearly still, after a toe-off it is swinging.
/// </summary>
/// <remarks>
/// The foot's mean |ω| from <see cref="DspDetectorOptions.GyroStillFromMs"/> to
/// <see cref="DspDetectorOptions.GyroStillToMs"/> after the onset must stay below
/// <see cref="DspDetectorOptions.GyroStillDps"/>, and below 80 °/s or 0.4 of the largest |ω| in the 500 ms before the
/// hold (a gentle walker's swing never reaches 150 °/s). On ipol1-dev-gyro that mean is below 150 °/s after every
/// detected heel strike and above it after the toe-offs taken for landings in the first strides (docs/detector.md).
/// A hold that sees no angular velocity in its window (the gyroscope stopped) lets the landing out: the
/// acceleration path decides alone then. A gyroscope that shows no swing around three landings in a row
/// (<see cref="SeesNoSwing"/>) is not held for at all until it turns again. Allocation-free; not thread-safe.
/// </remarks>
internal sealed class StillFootHold
{
    // A gentle walker (a shuffling or slow step) swings the foot at 80-150 °/s, under GyroStillDps: after the hold it
    // counts as swinging when its mean |ω| is also this fraction of the largest |ω| in the span before the hold (the
    // swing that a landing ends; a landing's foot-flat stays under 0.37 of it for 99 % of the dev corpus's heel
    // strikes), and above the floor, under which a foot is still at any walker's scale.
    private const double SwingBeforeSpanMs = 500;
    private const double GentleSwingFraction = 0.4;
    private const double GentleSwingMinDps = 80;

    // A gyroscope that streams zeros, or radians taken for degrees, never shows a swing, so the hold could never drop a
    // landing: after this many landings in a row let out with |ω| under the floor all through the swing before them and
    // the hold, holding stops costing every footfall its wait, until the gyroscope turns past the floor again.
    private const int LandingsWithoutSwingToStop = 3;

    private readonly RecentMaximum _before = new(SwingBeforeSpanMs);
    private double _swingBefore;
    private double _maxDuring;
    private int _landingsWithoutSwing;
    private DspDetectorOptions _o;
    private double _sum;
    private int _count;

    /// <summary>Creates the hold for <paramref name="options"/>.</summary>
    public StillFootHold(DspDetectorOptions options)
    {
        _o = options;
        Reset();
    }

    /// <summary>Whether landings are held at all (<see cref="DspDetectorOptions.GyroStillToMs"/> above 0).</summary>
    public bool Enabled => _o.GyroStillToMs > 0;

    /// <summary>Whether a landing is held now.</summary>
    public bool Holding { get; private set; }

    /// <summary>The held landing's onset.</summary>
    public long OnsetNs { get; private set; }

    /// <summary>The held landing's strength (largest deviation since the onset).</summary>
    public float Strength { get; private set; }

    /// <summary>Whether the held landing came from the gyroscope path.</summary>
    public bool FromGyro { get; private set; }

    /// <summary>Landings held.</summary>
    public long Held { get; private set; }

    /// <summary>Held landings dropped because the foot was swinging after them.</summary>
    public long Dropped { get; private set; }

    /// <summary>
    /// Whether the last landings let out saw no swing at all (|ω| under 80 °/s before and during their holds): the
    /// gyroscope is not turning with the foot, so holding would only delay every footfall.
    /// </summary>
    public bool SeesNoSwing => _landingsWithoutSwing >= LandingsWithoutSwingToStop;

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options) => _o = options;

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        Holding = false;
        OnsetNs = 0;
        Strength = 0;
        _sum = 0;
        _count = 0;
        _before.Reset();
        _landingsWithoutSwing = 0;
        Held = Dropped = 0;
    }

    /// <summary>Starts holding the landing with this onset.</summary>
    public void Hold(long onsetNs, float strength, bool fromGyro)
    {
        Holding = true;
        FromGyro = fromGyro;
        OnsetNs = onsetNs;
        Strength = strength;
        _swingBefore = _before.Value;
        _maxDuring = 0;
        _sum = 0;
        _count = 0;
        Held++;
    }

    /// <summary>Forgets the held landing without counting it dropped (another path decided it).</summary>
    public void Release() => Holding = false;

    /// <summary>
    /// Takes the newest sample's time and |ω| (NaN without angular velocity). Returns true when the held landing is
    /// let out now; a landing dropped returns false and stops the hold.
    /// </summary>
    public bool Process(long timeNs, double angularSpeedDps)
    {
        if (double.IsFinite(angularSpeedDps))
        {
            _before.Add(timeNs, angularSpeedDps);
            if (angularSpeedDps >= GentleSwingMinDps)
            {
                _landingsWithoutSwing = 0;
            }
        }

        if (!Holding)
        {
            return false;
        }

        if (double.IsFinite(angularSpeedDps))
        {
            _maxDuring = Math.Max(_maxDuring, angularSpeedDps);
        }

        double sinceMs = (timeNs - OnsetNs) / SignalStep.NsPerMs;
        if (sinceMs >= _o.GyroStillFromMs && double.IsFinite(angularSpeedDps))
        {
            _sum += angularSpeedDps;
            _count++;
        }

        if (sinceMs < _o.GyroStillToMs)
        {
            return false;
        }

        Holding = false;
        if (_count > 0 && Math.Max(_swingBefore, _maxDuring) < GentleSwingMinDps)
        {
            _landingsWithoutSwing++;
        }

        double swingingDps = Math.Min(_o.GyroStillDps, Math.Max(GentleSwingMinDps, GentleSwingFraction * _swingBefore));
        if (_count > 0 && _sum / _count >= swingingDps)
        {
            Dropped++;
            return false;
        }

        return true;
    }
}
