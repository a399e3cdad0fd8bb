using System.Numerics;

namespace IolaEdge.Dsp.Detection;

/// <summary>
/// Per-sample signals of a foot-mounted accelerometer that do not depend on how the sensor is mounted, one
/// online stage each: jerk over a fixed time span (<see cref="JerkSignal"/>), deviation of |a| from the
/// <see cref="GravityLevel"/>, <see cref="SwingActivity"/>, quiet (<see cref="QuietDetector"/>, with its
/// <see cref="NoiseFloor"/>) and the cosine to the <see cref="StanceDirection"/>.
/// </summary>
/// <remarks>
/// Order matters within a sample: quiet is decided from this sample's deviation, and only then may the gravity
/// level and the stance direction learn from it. Allocation-free; not thread-safe.
/// </remarks>
internal sealed class FootSignals
{
    private readonly JerkSignal _jerk;
    private readonly GravityLevel _gravity = new();
    private readonly SwingActivity _swing;
    private readonly QuietDetector _quiet;
    private readonly StanceDirection _stance;
    private long _prevTimeNs;
    private bool _started;

    /// <summary>Creates the signals for <paramref name="options"/>.</summary>
    public FootSignals(DspDetectorOptions options)
    {
        _jerk = new JerkSignal(options);
        _swing = new SwingActivity(options);
        _quiet = new QuietDetector(options);
        _stance = new StanceDirection(options);
        Reset();
    }

    /// <summary>Jerk of the newest sample (g/s); 0 across a gap.</summary>
    public double Jerk { get; private set; }

    /// <summary>|a| − gravity level of the newest sample, absolute (g).</summary>
    public double Deviation { get; private set; }

    /// <summary>Smoothed activity: the larger of the deviation and 0.01 s × jerk (g).</summary>
    public double Swing => _swing.Value;

    /// <summary>Cosine between the smoothed acceleration and the stance direction (1 before one is learned).</summary>
    public double Cosine => _stance.Cosine;

    /// <summary>Whether the foot is quiet now (stance or standing).</summary>
    public bool Quiet => _quiet.Quiet;

    /// <summary>Whether a stance direction has been learned.</summary>
    public bool HasStanceDirection => _stance.Known;

    /// <summary>Applies new options, keeping the state.</summary>
    public void Change(DspDetectorOptions options)
    {
        _jerk.Change(options);
        _swing.Change(options);
        _quiet.Change(options);
        _stance.Change(options);
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        _started = false;
        _jerk.Reset();
        _gravity.Reset();
        _swing.Reset();
        _quiet.Reset();
        _stance.Reset();
        Jerk = Deviation = 0;
    }

    /// <summary>Takes the next sample (sensor time in ns, acceleration in g).</summary>
    public void Process(long timeNs, Vector3 a)
    {
        double stepMs = _started ? SignalStep.Between(_prevTimeNs, timeNs) : SignalStep.FirstStepMs;
        _started = true;
        _prevTimeNs = timeNs;
        Jerk = _jerk.Process(timeNs, a);
        double magnitude = a.Length();
        Deviation = Math.Abs(magnitude - _gravity.Value);
        _swing.Process(stepMs, Deviation, Jerk);
        bool quiet = _quiet.Process(stepMs, Jerk, Deviation);
        _stance.Process(timeNs, stepMs, a, quiet);
        _gravity.Process(stepMs, magnitude, quiet);
    }
}
