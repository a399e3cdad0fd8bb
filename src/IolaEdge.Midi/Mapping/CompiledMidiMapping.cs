namespace IolaEdge.Midi.Mapping;

/// <summary>
/// An immutable, validated snapshot of <see cref="MidiMappingOptions"/> laid out for the MIDI thread:
/// per-sensor lookups are array indexes, velocity is arithmetic only (no allocation, no throw).
/// </summary>
internal sealed class CompiledMidiMapping
{
    /// <summary>Sensor ids 0..MaxSensors-1 can have their own mapping.</summary>
    public const int MaxSensors = 64;

    private readonly CompiledSensorMapping[] _sensors = new CompiledSensorMapping[MaxSensors];
    private readonly CompiledSensorMapping _default;

    public CompiledMidiMapping(MidiMappingOptions options)
    {
        options.ValidateOrThrow();
        _default = new CompiledSensorMapping(options.Default);
        Array.Fill(_sensors, _default);
        foreach (SensorMidiMapping s in options.Sensors)
        {
            _sensors[s.SensorId] = new CompiledSensorMapping(s);
        }

        CadenceEnabled = options.CadenceControl.Enabled;
        CadenceChannel = options.CadenceControl.Channel - 1;
        CadenceController = options.CadenceControl.Controller;
        CadenceMinStepsPerMinute = options.CadenceControl.MinStepsPerMinute;
        CadenceSmoothing = options.CadenceControl.Smoothing;
        ClockEnabled = options.Clock.Enabled;
        ClockStepsPerBeat = options.Clock.StepsPerBeat;
        ClockStopAfterNs = options.Clock.StopAfterMs * 1_000_000L;
        ClockSongPosition = options.Clock.SongPosition;
        ClockLatencyNs = (long)(options.Clock.OutputLatencyMs * 1e6);
        LatencyStamps = options.LatencyStamps;
        SendNotes = options.SendNotes;
    }

    public bool CadenceEnabled { get; }

    public int CadenceChannel { get; }

    public int CadenceController { get; }

    public int CadenceMinStepsPerMinute { get; }

    public double CadenceSmoothing { get; }

    public bool ClockEnabled { get; }

    public int ClockStepsPerBeat { get; }

    public long ClockStopAfterNs { get; }

    public bool ClockSongPosition { get; }

    public long ClockLatencyNs { get; }

    public bool LatencyStamps { get; }

    public bool SendNotes { get; }

    public CompiledSensorMapping For(int sensorId) =>
        (uint)sensorId < MaxSensors ? _sensors[sensorId] : _default;
}

/// <summary>One sensor's mapping, precomputed.</summary>
internal sealed class CompiledSensorMapping(SensorMidiMapping m)
{
    private readonly double _expDenominator = Math.Exp(m.CurveShape) - 1;

    public int Channel { get; } = m.Channel - 1; // 1..16 in configuration, 0..15 on the wire

    public int Note { get; } = m.Note;

    public long NoteLengthNs { get; } = m.NoteLengthMs * 1_000_000L;

    public VelocityCurve Curve { get; } = m.Velocity;

    public int FixedVelocity { get; } = m.FixedVelocity;

    public int MinVelocity { get; } = m.MinVelocity;

    public int MaxVelocity { get; } = m.MaxVelocity;

    public double MinStrengthG { get; } = m.MinStrengthG;

    public double MaxStrengthG { get; } = m.MaxStrengthG;

    public double CurveShape { get; } = m.CurveShape;

    public NoteTriggerMode Trigger { get; } = m.Trigger;

    public double OutputLatencyMs { get; } = m.OutputLatencyMs;

    public double ConfirmWindowMs { get; } = m.ConfirmWindowMs;

    public double MaxLateMs { get; } = m.MaxLateMs;

    /// <summary>Velocity 1..127 for an impact strength in g (NaN counts as the softest).</summary>
    public int Velocity(float strengthG)
    {
        if (Curve == VelocityCurve.Fixed)
        {
            return FixedVelocity;
        }

        double x = (strengthG - MinStrengthG) / (MaxStrengthG - MinStrengthG);
        x = double.IsNaN(x) ? 0 : Math.Clamp(x, 0, 1);
        if (Curve == VelocityCurve.Exponential)
        {
            x = (Math.Exp(CurveShape * x) - 1) / _expDenominator;
        }

        return Math.Clamp((int)Math.Round(MinVelocity + (x * (MaxVelocity - MinVelocity))), 1, 127);
    }
}
