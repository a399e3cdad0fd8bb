namespace IolaEdge.Simulation;

/// <summary>
/// Parametric foot-mounted gait: produces the sensor's samples one by one at its (skewed) rate and
/// the exact heel-strike times of the instrumented foot.
/// </summary>
/// <remarks>
/// <para>The specific force is built in a foot frame (x forward, y left, z up) as gravity rotated by
/// the foot's pitch plus Gaussian bumps over the stride phase (0 = heel strike): foot flat with
/// |a| ≈ 1 g, heel rise and push-off (≈ 0.45–0.55), toe-off lift, swing acceleration and the
/// centripetal load of the swinging leg (≈ 0.65–0.85, |a| ≈ 2–3 g), deceleration before landing,
/// then a heel-strike transient (an alpha pulse of about 3 g peaking 7 ms after contact, with
/// 25 Hz ringing). Bump centres and heights follow the phase-binned |a| profile of the seed
/// recording (docs/simulator.md); every stride rescales them randomly.</para>
/// <para>The foot-frame vector is then rotated by the mounting rotation (and a slow drift), noise
/// and a fixed bias are added, and the result is quantised to 16 bits and clipped to the range.</para>
/// <para>With a gyroscope (<see cref="WalkOptions.Gyroscope"/>) the angular velocity comes from the same
/// stride phase: the foot's pitch rate follows the median stride of real foot-mounted gyroscopes (the foot
/// slap after the contact, a still stance, the heel rise scaled by the stride's push-off, then one long swing
/// lobe, ≈ 275 °/s, from toe-off to the next contact), so it is positive through swing, crosses zero exactly
/// at each truth contact, is negative for the foot slap after it and near zero in stance, and a stride's
/// rotations cancel; roll follows the lateral bump and the impact, yaw
/// the turns. It is a vector in the same foot frame, so the pitch rate appears as −θ̇ on y (toe-up is a
/// negative rotation about y pointing left), then goes through the same mounting rotation, plus a fixed
/// bias and white noise (1 and 0.5 °/s per axis at the default noise, scaled with it), quantised to
/// 1/16.4 °/s and clipped at ±2000 °/s. Its random streams are its own: a walk's acceleration does not
/// depend on whether the gyroscope is on.</para>
/// <para>A flat-footed walker (<see cref="LandingStyle.Flat"/>) has no foot slap (the swing lobe, whose height
/// still makes a stride's rotations cancel, then only undoes the heel rise, so the foot is level at the contact and
/// the pitch rate stays near zero after it) and no toe-up pitch around the contact in the specific force; the
/// impact transient is the same. It draws no random numbers of its own: a flat-footed walk has the same strides,
/// contacts, noise and delivery as the heel-strike walk of its seed.</para>
/// <para>Allocation-free per sample; single-threaded.</para>
/// </remarks>
internal sealed class GaitModel
{
    // Phase at which the foot is flat and a pause (standing still) holds the stride.
    private const double FlatPhase = 0.3;

    // Impact transient: alpha-pulse peak time and ringing (s, Hz), from the ≈ 5-sample rise and
    // ≈ 10-sample decay of |a| around the seed recording's footfalls.
    private const double ImpactPeakSeconds = 0.007;
    private const double ImpactRingDecaySeconds = 0.025;
    private const double ImpactRingHz = 25;
    private const double ImpactLengthSeconds = 0.15;

    // Gyroscope: ±2000 °/s at 16.4 LSB per °/s (MetaMotion BMI160/BMI270), bias and noise at the default noise of 0.01 g.
    private const double GyroRangeDps = 2000;
    private const double GyroLsbDps = 1 / 16.4;
    private const double GyroBiasDpsPerNoiseG = 1.0 / 0.01;
    private const double GyroNoiseDpsPerNoiseG = 0.5 / 0.01;

    // The pitch rate's shapes over the stride phase (0 = contact), each peaking at 1, after the median stride of
    // real foot-mounted gyroscopes (1.12 s): the foot slap peaks at −243 °/s 28 ms after the contact, the heel rise
    // at −473 °/s at p ≈ 0.575, toe-off at p ≈ 0.655, the swing plateau near 300 °/s.
    private const double ReferenceStrideSeconds = 1.12;
    private const double HeelRiseDps = 473;
    private const double FootSlapDps = 243;

    // Toe-up pitch of the foot around a heel strike, in rad at the centre of its bumps, as the specific force sees it.
    private const double HeelStrikeToeUp = 0.26;
    private static readonly double HeelRiseArea = Area(HeelRiseShape);
    private static readonly double FootSlapArea = Area(FootSlapShape);
    private static readonly double SwingArea = Area(SwingShape);
    private const double RadToDeg = 180 / Math.PI;

    // Drift: Ornstein-Uhlenbeck time constant and update period (samples).
    private const double DriftTimeConstantSeconds = 60;
    private const int DriftUpdateSamples = 20;

    private readonly WalkOptions _options;
    private readonly long _startNs;
    private readonly double _samplePeriodSeconds;
    private readonly double _durationSeconds;
    private readonly double _lsb;
    private readonly Rotation _mount;
    private readonly double _biasX, _biasY, _biasZ;
    private readonly Queue<long> _footfalls = new(64);

    // Landing style: the foot slap's peak pitch rate (°/s) and the toe-up pitch around the contact (rad); both 0 when flat.
    private readonly double _footSlapDps;
    private readonly double _contactToeUp;

    private SimulationRandom _random;
    private SimulationRandom _noiseRandom;
    private SimulationRandom _driftRandom;
    private SimulationRandom _gyroNoiseRandom;
    private readonly double _gyroBiasX, _gyroBiasY, _gyroBiasZ;
    private Rotation _rotation;
    private double _driftX, _driftY, _driftZ;
    private long _index;

    // Current stride: heel-strike time (s from walk start), duration, pause and random scales.
    private double _strideStart;
    private double _strideDuration;
    private double _pauseSeconds;
    private double _cadence;
    private double _cadenceTarget;
    private double _push, _swing, _decel, _lift, _centripetal, _impact, _lateral, _impactSide;
    private double _sway, _swayHz, _swayPhase;
    private int _turnStridesLeft;
    private double _turnLateral;
    private long _footfallCount;

    public GaitModel(WalkOptions options, long startNs)
    {
        options.Validate();
        _options = options;
        _startNs = startNs;
        _samplePeriodSeconds = 1.0 / (options.SampleRateHz * (1 + (options.ClockSkewPpm * 1e-6)));
        _durationSeconds = options.Duration.TotalSeconds;
        _lsb = options.RangeG / 32768.0;
        bool flat = options.Landing == LandingStyle.Flat;
        _footSlapDps = flat ? 0 : FootSlapDps;
        _contactToeUp = flat ? 0 : HeelStrikeToeUp;
        _random = new SimulationRandom(options.Seed, 1);
        _noiseRandom = new SimulationRandom(options.Seed, 2);
        _driftRandom = new SimulationRandom(options.Seed, 4);
        _gyroNoiseRandom = new SimulationRandom(options.Seed, 5);
        SimulationRandom gyroBiasRandom = new(options.Seed, 6);
        double gyroBias = GyroBiasDpsPerNoiseG * options.NoiseG;
        _gyroBiasX = gyroBiasRandom.Gaussian(0, gyroBias);
        _gyroBiasY = gyroBiasRandom.Gaussian(0, gyroBias);
        _gyroBiasZ = gyroBiasRandom.Gaussian(0, gyroBias);
        SimulationRandom mountRandom = new(options.Seed, 3);
        // Always draw the rotation, so that aligned and random mounts of one seed share everything else.
        Rotation drawn = Rotation.Uniform(ref mountRandom);
        _mount = options.Mounting == MountingMode.Random ? drawn : Rotation.Identity;
        _rotation = _mount;

        // A fixed per-axis offset of the order of the noise (a noiseless sensor is also bias-free).
        _biasX = mountRandom.Gaussian(0, options.NoiseG);
        _biasY = mountRandom.Gaussian(0, options.NoiseG);
        _biasZ = mountRandom.Gaussian(0, options.NoiseG);

        _cadence = _random.Uniform(options.CadenceMin, options.CadenceMax);
        _cadenceTarget = _cadence;
        DrawStride();

        // Start standing with the foot flat: the stride began in the past and is held at FlatPhase.
        _strideStart = -FlatPhase * _strideDuration;
        _pauseSeconds = options.InitialStillSeconds;
        AnnounceNextHeelStrike();
    }

    /// <summary>Exact session-clock time of sample 0, in ns.</summary>
    public long StartNs => _startNs;

    /// <summary>True sample period of the sensor (skew included), in s.</summary>
    public double SamplePeriodSeconds => _samplePeriodSeconds;

    /// <summary>Samples produced so far.</summary>
    public long Produced => _index;

    /// <summary>Heel strikes known so far (inside the walk's duration; known one stride ahead).</summary>
    public long FootfallCount => _footfallCount;

    /// <summary>Produces the next sample; false once the walk's duration is reached.</summary>
    public bool TryNext(out GaitSample sample)
    {
        double t = _index * _samplePeriodSeconds;
        if (t >= _durationSeconds)
        {
            sample = default;
            return false;
        }

        while (t >= _strideStart + _strideDuration + _pauseSeconds)
        {
            BeginStride(_strideStart + _strideDuration + _pauseSeconds);
        }

        if (_index % DriftUpdateSamples == 0)
        {
            UpdateDrift(t);
        }

        double elapsed = t - _strideStart;
        double pauseStart = FlatPhase * _strideDuration;
        bool paused = elapsed >= pauseStart && elapsed < pauseStart + _pauseSeconds;
        double phase = elapsed < pauseStart ? elapsed / _strideDuration
            : paused ? FlatPhase
            : (elapsed - _pauseSeconds) / _strideDuration;

        FootFrame(phase, elapsed, out double fx, out double fy, out double fz);
        (double sx, double sy, double sz) = _rotation.Apply(fx, fy, fz);
        double noise = _options.NoiseG;
        float gx = float.NaN, gy = float.NaN, gz = float.NaN;
        if (_options.Gyroscope)
        {
            // Phase stands still during a pause: the foot is flat and only sways.
            FootRates(phase, paused ? 0 : 1 / _strideDuration, elapsed, out double wx, out double wy, out double wz);
            (double rx, double ry, double rz) = _rotation.Apply(wx * RadToDeg, wy * RadToDeg, wz * RadToDeg);
            double gyroNoise = GyroNoiseDpsPerNoiseG * noise;
            gx = DigitiseRate(rx + _gyroBiasX + (gyroNoise * _gyroNoiseRandom.NextGaussian()));
            gy = DigitiseRate(ry + _gyroBiasY + (gyroNoise * _gyroNoiseRandom.NextGaussian()));
            gz = DigitiseRate(rz + _gyroBiasZ + (gyroNoise * _gyroNoiseRandom.NextGaussian()));
        }

        sample = new GaitSample(
            _index,
            _startNs + (long)Math.Round(t * 1e9),
            Digitise(sx + _biasX + (noise * _noiseRandom.NextGaussian())),
            Digitise(sy + _biasY + (noise * _noiseRandom.NextGaussian())),
            Digitise(sz + _biasZ + (noise * _noiseRandom.NextGaussian())),
            gx, gy, gz);
        _index++;
        return true;
    }

    /// <summary>Takes the oldest heel strike produced so far (session-clock ns).</summary>
    public bool TryTakeFootfall(out long timeNs) => _footfalls.TryDequeue(out timeNs);

    /// <summary>Looks at the oldest heel strike not yet taken.</summary>
    public bool TryPeekFootfall(out long timeNs) => _footfalls.TryPeek(out timeNs);

    private void BeginStride(double heelStrike)
    {
        _strideStart = heelStrike;
        DrawStride();
        _pauseSeconds = _options.Pauses && _random.Chance(_strideDuration / 90.0) ? _random.Uniform(2, 8) : 0;
        AnnounceNextHeelStrike();
    }

    // A stride's end is fixed when the stride is drawn, so heel strikes are known one stride ahead
    // of the samples: a consumer can place each one before any sample taken after it arrives.
    private void AnnounceNextHeelStrike()
    {
        double heelStrike = _strideStart + _strideDuration + _pauseSeconds;
        if (heelStrike < _durationSeconds)
        {
            _footfalls.Enqueue(_startNs + (long)Math.Round(heelStrike * 1e9));
            _footfallCount++;
        }
    }

    private void DrawStride()
    {
        WalkOptions o = _options;

        // Cadence wanders toward a target that is redrawn now and then (about every 20 strides).
        if (_random.Chance(0.05))
        {
            _cadenceTarget = _random.Uniform(o.CadenceMin, o.CadenceMax);
        }

        _cadence += (0.2 * (_cadenceTarget - _cadence)) + _random.Gaussian(0, 0.01 * (o.CadenceMax - o.CadenceMin + 1));
        _cadence = Math.Clamp(_cadence, o.CadenceMin, o.CadenceMax);

        // Stride-to-stride variability of about 1.5 % (the seed walk: 3.5 % including button timing).
        double cadence = Math.Clamp(_cadence * (1 + _random.Gaussian(0, 0.015)), o.CadenceMin, o.CadenceMax);
        _strideDuration = 120.0 / cadence;

        _push = LogNormal(0.35);
        _swing = LogNormal(0.2);
        _decel = LogNormal(0.3);
        _lift = LogNormal(0.35);
        _centripetal = LogNormal(0.35);
        _impact = 4.5 * LogNormal(0.35);
        _sway = Math.Abs(_random.Gaussian(0, 0.08));
        _swayHz = _random.Uniform(3, 5);
        _swayPhase = _random.Uniform(0, 2 * Math.PI);
        _impactSide = _random.Gaussian(0, 0.15);
        _lateral = _random.Gaussian(0, 0.2);

        if (_turnStridesLeft > 0)
        {
            _turnStridesLeft--;
        }
        else if (o.Turns && _random.Chance(_strideDuration / 30.0))
        {
            _turnStridesLeft = 2 + (int)(_random.NextDouble() * 3);
            _turnLateral = (_random.Chance(0.5) ? 1 : -1) * _random.Uniform(0.4, 0.8);
        }

        if (_turnStridesLeft == 0)
        {
            _turnLateral = 0;
        }
    }

    private double LogNormal(double sigma) => Math.Exp(_random.Gaussian(0, sigma));

    private void FootFrame(double p, double sinceStrike, out double fx, out double fy, out double fz)
    {
        double pitch = (_contactToeUp * (Bump(p, -0.02, 0.04) + Bump(p, 0.98, 0.04)))
            - (0.9 * _push * Bump(p, 0.58, 0.06))
            + (0.3 * Bump(p, 0.88, 0.06));

        // Gravity's reaction (1 g up) seen by a foot pitched toe-up by `pitch`, plus the kinematic bumps.
        fx = Math.Sin(pitch)
            + (1.6 * _push * Bump(p, 0.53, 0.035))
            + (1.0 * _swing * Bump(p, 0.68, 0.05))
            - (1.8 * _decel * Bump(p, 0.90, 0.045));
        fz = Math.Cos(pitch)
            + (0.6 * _push * Bump(p, 0.49, 0.04))
            + (1.4 * _lift * Bump(p, 0.585, 0.03))
            - (0.3 * Bump(p, 0.66, 0.04))
            + (1.9 * _centripetal * Bump(p, 0.84, 0.08))
            + (0.5 * _decel * Bump(p, 0.95, 0.025));
        fy = (_lateral + _turnLateral) * Bump(p, 0.72, 0.1);

        // Stance is never perfectly still: a small 3-5 Hz sway of the loaded foot.
        double stance = Bump(p, 0.25, 0.12);
        if (stance > 0)
        {
            double sway = _sway * stance * Math.Sin((2 * Math.PI * _swayHz * sinceStrike) + _swayPhase);
            fz += sway;
            fx += 0.5 * sway;
        }

        if (sinceStrike >= 0 && sinceStrike < ImpactLengthSeconds)
        {
            double tau = sinceStrike;
            double pulse = (tau / ImpactPeakSeconds) * Math.Exp(1 - (tau / ImpactPeakSeconds));
            double ring = 0.35 * Math.Exp(-tau / ImpactRingDecaySeconds) * Math.Sin(2 * Math.PI * ImpactRingHz * tau);
            double shape = _impact * (pulse - ring);
            fz += shape;
            fx -= 0.5 * shape;
            fy += _impactSide * shape;
        }
    }

    /// <summary>
    /// Angular velocity of the foot in the foot frame (x forward, y left, z up), rad/s, at phase
    /// <paramref name="p"/> advancing at <paramref name="phaseRate"/> per second (0 while paused).
    /// </summary>
    private void FootRates(double p, double phaseRate, double sinceStrike, out double wx, out double wy, out double wz)
    {
        double dPitch = PitchRatePerPhase(p, _push, _footSlapDps);

        // Roll follows the lateral swing bump (and turns), yaw the turns.
        double lateral = _lateral + _turnLateral;
        double dRoll = 0.15 * lateral * BumpSlope(p, 0.72, 0.1);
        double yawRate = (1.5 * _turnLateral * Bump(p, 0.75, 0.08)) + (0.1 * _lateral * Bump(p, 0.7, 0.1));

        double pitchRate = dPitch * phaseRate;
        wx = dRoll * phaseRate;
        wz = yawRate * phaseRate * _strideDuration; // rad/s already; scaled to zero while paused
        wy = -pitchRate; // toe-up is a negative rotation about y (left) in a right-handed x-forward, z-up frame

        // The loaded foot's stance sway rocks it by a fraction of a degree.
        double stance = Bump(p, 0.25, 0.12);
        if (stance > 0)
        {
            wy -= 0.02 * _sway * stance * 2 * Math.PI * _swayHz * Math.Cos((2 * Math.PI * _swayHz * sinceStrike) + _swayPhase);
        }

        // The heel strike jolts the foot about its long axis.
        if (sinceStrike >= 0 && sinceStrike < ImpactLengthSeconds)
        {
            double tau = sinceStrike;
            double pulse = (tau / ImpactPeakSeconds) * Math.Exp(1 - (tau / ImpactPeakSeconds));
            wx += 0.3 * _impactSide * _impact * pulse;
        }
    }

    /// <summary>
    /// The foot's pitch rate (toe up positive) in rad per unit of stride phase, shaped after the median stride of
    /// real foot-mounted gyroscopes (docs/simulator.md): the foot slap right after the contact (peaking at
    /// <paramref name="footSlapDps"/>, 0 for a flat-footed landing), a still stance, the heel rise (scaled by the
    /// stride's push-off), then one long swing lobe from toe-off that falls to zero exactly at the next contact. The
    /// swing's height makes the stride's rotations cancel, so the foot's angle does not drift.
    /// </summary>
    private static double PitchRatePerPhase(double p, double push, double footSlapDps)
    {
        double swing = ((HeelRiseDps * push * HeelRiseArea) + (footSlapDps * FootSlapArea)) / SwingArea;
        double dps = (swing * SwingShape(p)) - (HeelRiseDps * push * HeelRiseShape(p)) - (footSlapDps * FootSlapShape(p));
        return dps * ReferenceStrideSeconds * Math.PI / 180;
    }

    private static double HeelRiseShape(double p) => Bump(p, 0.575, 0.05);

    private static double FootSlapShape(double p) => Rise(p / 0.025);

    private static double SwingShape(double p) => Rise((1 - p) / 0.16) / (1 + Math.Exp(-(p - 0.655) / 0.012));

    // x·e^(1−x) for x ≥ 0: zero at 0, peak 1 at x = 1.
    private static double Rise(double x) => x <= 0 ? 0 : x * Math.Exp(1 - x);

    private static double Area(Func<double, double> shape)
    {
        const int Steps = 10_000;
        double sum = 0;
        for (int k = 0; k < Steps; k++)
        {
            sum += shape((k + 0.5) / Steps);
        }

        return sum / Steps;
    }

    // Derivative of Bump with respect to p.
    private static double BumpSlope(double p, double c, double w)
    {
        double d = (p - c) / w;
        return d is > 4 or < -4 ? 0 : -(d / w) * Math.Exp(-0.5 * d * d);
    }

    private static float DigitiseRate(double dps)
    {
        double clipped = Math.Clamp(dps, -GyroRangeDps, GyroRangeDps - GyroLsbDps);
        return (float)(Math.Round(clipped / GyroLsbDps) * GyroLsbDps);
    }

    // A Gaussian bump of height 1 centred at c with width w (in phase units); 0 beyond 4 widths.
    private static double Bump(double p, double c, double w)
    {
        double d = (p - c) / w;
        return d is > 4 or < -4 ? 0 : Math.Exp(-0.5 * d * d);
    }

    private void UpdateDrift(double t)
    {
        double sigma = _options.DriftDegrees * Math.PI / 180;
        if (sigma <= 0)
        {
            return;
        }

        double dt = DriftUpdateSamples * _samplePeriodSeconds;
        double keep = 1 - (dt / DriftTimeConstantSeconds);
        double kick = sigma * Math.Sqrt(2 * dt / DriftTimeConstantSeconds);
        if (t == 0)
        {
            // Start in the stationary distribution.
            keep = 0;
            kick = sigma;
        }

        _driftX = (keep * _driftX) + (kick * _driftRandom.NextGaussian());
        _driftY = (keep * _driftY) + (kick * _driftRandom.NextGaussian());
        _driftZ = (keep * _driftZ) + (kick * _driftRandom.NextGaussian());
        _rotation = Rotation.FromRotationVector(_driftX, _driftY, _driftZ).After(_mount);
    }

    private float Digitise(double g)
    {
        double clipped = Math.Clamp(g, -_options.RangeG, _options.RangeG - _lsb);
        return (float)(Math.Round(clipped / _lsb) * _lsb);
    }
}
