namespace IolaEdge.Midi.Mapping;

/// <summary>
/// How footfalls become MIDI (configuration section <c>Midi:Mapping</c>). Bindable by
/// Microsoft.Extensions.Configuration; checked by <see cref="Validate"/>, which names each bad key.
/// Changeable while running: <see cref="Engine.MidiEngine.UpdateMapping"/>.
/// </summary>
public sealed class MidiMappingOptions
{
    /// <summary>Mapping for sensors without an entry in <see cref="Sensors"/>.</summary>
    public SensorMidiMapping Default { get; set; } = new();

    /// <summary>Per-sensor mappings, matched by <see cref="SensorMidiMapping.SensorId"/>.</summary>
    public IList<SensorMidiMapping> Sensors { get; set; } = [];

    /// <summary>Optional control change carrying the walking cadence.</summary>
    public CadenceControlOptions CadenceControl { get; set; } = new();

    /// <summary>Optional MIDI clock locked to the walking cadence.</summary>
    public MidiClockOptions Clock { get; set; } = new();

    /// <summary>Send the latency-stamp SysEx (manufacturer 0x7D) after each note on.</summary>
    public bool LatencyStamps { get; set; }

    /// <summary>
    /// Send a note for each footfall (default true). False mutes every sensor's notes (detected and predicted) while the
    /// cadence CC and the clock go on: the clock-only preset. Footfalls are still detected, logged and stamped, without a note.
    /// </summary>
    public bool SendNotes { get; set; } = true;

    /// <summary>Returns one line per invalid key: "key = value is outside range" (empty when valid).</summary>
    /// <param name="section">Configuration path prefix used in the messages.</param>
    public IReadOnlyList<string> Validate(string section = "Midi:Mapping")
    {
        var errors = new List<string>();
        Default.Validate($"{section}:Default", errors, requireSensorId: false);
        var seen = new HashSet<int>();
        for (int i = 0; i < Sensors.Count; i++)
        {
            Sensors[i].Validate($"{section}:Sensors:{i}", errors, requireSensorId: true);
            if (!seen.Add(Sensors[i].SensorId))
            {
                errors.Add($"{section}:Sensors:{i}:SensorId = {Sensors[i].SensorId} appears twice");
            }
        }

        CadenceControl.Validate($"{section}:CadenceControl", errors);
        Clock.Validate($"{section}:Clock", errors);
        return errors;
    }

    /// <summary>Throws <see cref="MidiConfigurationException"/> listing every invalid key.</summary>
    public void ValidateOrThrow(string section = "Midi:Mapping")
    {
        IReadOnlyList<string> errors = Validate(section);
        if (errors.Count > 0)
        {
            throw new MidiConfigurationException(errors);
        }
    }

    internal static void Check(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add(FormattableString.Invariant($"{key} = {value} is outside {min}..{max}"));
        }
    }
}

/// <summary>How velocity follows impact strength.</summary>
public enum VelocityCurve
{
    /// <summary>Always <see cref="SensorMidiMapping.FixedVelocity"/>.</summary>
    Fixed,

    /// <summary>Strength MinStrengthG..MaxStrengthG maps linearly to MinVelocity..MaxVelocity.</summary>
    Linear,

    /// <summary>Like linear on (e^(k·x) − 1)/(e^k − 1), k = <see cref="SensorMidiMapping.CurveShape"/>: soft steps stay soft.</summary>
    Exponential,
}

/// <summary>What plays a sensor's note.</summary>
public enum NoteTriggerMode
{
    /// <summary>The detected footfall, as soon as it is decided (after the foot has landed).</summary>
    Detect,

    /// <summary>
    /// The gait tracker's prediction during the swing: the note is sent at the predicted footfall minus
    /// <see cref="SensorMidiMapping.OutputLatencyMs"/>, so it sounds with the foot. Only while the tracker is confident;
    /// otherwise (first steps, stops, turns) the detected footfall plays, unless its note would be later than
    /// <see cref="SensorMidiMapping.MaxLateMs"/>.
    /// </summary>
    Predict,
}

/// <summary>Mapping of one sensor's footfalls to notes.</summary>
public sealed class SensorMidiMapping
{
    /// <summary>Sensor id (0..63) this entry applies to; ignored for the default entry.</summary>
    public int SensorId { get; set; }

    /// <summary>MIDI note 0..127 (default 60, middle C).</summary>
    public int Note { get; set; } = 60;

    /// <summary>MIDI channel 1..16 as synths display it (default 10, the GM drum channel).</summary>
    public int Channel { get; set; } = 10;

    /// <summary>Velocity curve (default Linear).</summary>
    public VelocityCurve Velocity { get; set; } = VelocityCurve.Linear;

    /// <summary>Velocity of the Fixed curve, 1..127 (default 100).</summary>
    public int FixedVelocity { get; set; } = 100;

    /// <summary>Velocity at or below <see cref="MinStrengthG"/>, 1..127 (default 40).</summary>
    public int MinVelocity { get; set; } = 40;

    /// <summary>Velocity at or above <see cref="MaxStrengthG"/>, 1..127 (default 127).</summary>
    public int MaxVelocity { get; set; } = 127;

    /// <summary>Impact strength (g) of the softest step, 0..16 (default 0.2).</summary>
    public double MinStrengthG { get; set; } = 0.2;

    /// <summary>Impact strength (g) of the hardest step, above MinStrengthG, up to 16 (default 3).</summary>
    public double MaxStrengthG { get; set; } = 3.0;

    /// <summary>Shape k of the exponential curve, 0.1..10 (default 3).</summary>
    public double CurveShape { get; set; } = 3.0;

    /// <summary>Note length in ms, 1..10000 (default 100).</summary>
    public int NoteLengthMs { get; set; } = 100;

    /// <summary>What plays the note: <c>Detect</c> (default) or <c>Predict</c>.</summary>
    public NoteTriggerMode Trigger { get; set; } = NoteTriggerMode.Detect;

    /// <summary>Predict: time from sending a note to hearing it (BLE link + synth), ms, 0..500 (default 20); the note is sent this early.</summary>
    public double OutputLatencyMs { get; set; } = 20;

    /// <summary>Predict: a detected footfall this close to a predicted one confirms its note (no second note), ms, 5..500 (default 80).</summary>
    public double ConfirmWindowMs { get; set; } = 80;

    /// <summary>Predict: a detected footfall no prediction covered plays only if its note sounds at most this long after the footfall, ms, 0..2000 (default 80).</summary>
    public double MaxLateMs { get; set; } = 80;

    internal void Validate(string key, List<string> errors, bool requireSensorId)
    {
        if (requireSensorId)
        {
            MidiMappingOptions.Check(errors, $"{key}:SensorId", SensorId, 0, CompiledMidiMapping.MaxSensors - 1);
        }

        MidiMappingOptions.Check(errors, $"{key}:Note", Note, 0, 127);
        MidiMappingOptions.Check(errors, $"{key}:Channel", Channel, 1, 16);
        if (!Enum.IsDefined(Velocity))
        {
            errors.Add($"{key}:Velocity = {Velocity} is not one of Fixed, Linear, Exponential");
        }

        MidiMappingOptions.Check(errors, $"{key}:FixedVelocity", FixedVelocity, 1, 127);
        MidiMappingOptions.Check(errors, $"{key}:MinVelocity", MinVelocity, 1, 127);
        MidiMappingOptions.Check(errors, $"{key}:MaxVelocity", MaxVelocity, MinVelocity, 127);
        MidiMappingOptions.Check(errors, $"{key}:MinStrengthG", MinStrengthG, 0, 16);
        if (double.IsNaN(MaxStrengthG) || MaxStrengthG <= MinStrengthG || MaxStrengthG > 16)
        {
            errors.Add(FormattableString.Invariant($"{key}:MaxStrengthG = {MaxStrengthG} is outside (MinStrengthG = {MinStrengthG})..16 (must exceed MinStrengthG)"));
        }
        MidiMappingOptions.Check(errors, $"{key}:CurveShape", CurveShape, 0.1, 10);
        MidiMappingOptions.Check(errors, $"{key}:NoteLengthMs", NoteLengthMs, 1, 10_000);
        if (!Enum.IsDefined(Trigger))
        {
            errors.Add($"{key}:Trigger = {Trigger} is not one of Detect, Predict");
        }

        MidiMappingOptions.Check(errors, $"{key}:OutputLatencyMs", OutputLatencyMs, 0, 500);
        MidiMappingOptions.Check(errors, $"{key}:ConfirmWindowMs", ConfirmWindowMs, 5, 500);
        MidiMappingOptions.Check(errors, $"{key}:MaxLateMs", MaxLateMs, 0, 2000);
    }
}

/// <summary>Control change carrying cadence (the gait tracker's): value = steps per minute − <see cref="MinStepsPerMinute"/>, clamped to 0..127.</summary>
public sealed class CadenceControlOptions
{
    /// <summary>Send the CC after every step (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>Channel 1..16 (default 10).</summary>
    public int Channel { get; set; } = 10;

    /// <summary>Controller number 0..119 (default 16, general purpose 1).</summary>
    public int Controller { get; set; } = 16;

    /// <summary>Cadence sent as value 0, 0..300 (default 60; so value 60 means 120 steps/min).</summary>
    public int MinStepsPerMinute { get; set; } = 60;

    /// <summary>Weight of the newest cadence in the smoothing of the CC value (1 sends the tracker's cadence as is), 0.01..1 (default 0.3).</summary>
    public double Smoothing { get; set; } = 0.3;

    internal void Validate(string key, List<string> errors)
    {
        MidiMappingOptions.Check(errors, $"{key}:Channel", Channel, 1, 16);
        MidiMappingOptions.Check(errors, $"{key}:Controller", Controller, 0, 119);
        MidiMappingOptions.Check(errors, $"{key}:MinStepsPerMinute", MinStepsPerMinute, 0, 300);
        MidiMappingOptions.Check(errors, $"{key}:Smoothing", Smoothing, 0.01, 1);
    }
}

/// <summary>
/// MIDI clock (24 per quarter note) locked to the walker's steps: its beats land on the (predicted) footfalls, its
/// tempo follows the gait tracker's stride period; Start when the tracker knows the period, Stop after a pause.
/// </summary>
public sealed class MidiClockOptions
{
    /// <summary>Send clock, Start and Stop (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>Steps per beat (quarter note), 1..16 (default 2: two steps, one stride, per beat).</summary>
    public int StepsPerBeat { get; set; } = 2;

    /// <summary>No step for this long (ms) sends Stop, 200..10000 (default 2000).</summary>
    public int StopAfterMs { get; set; } = 2000;

    /// <summary>
    /// When walking resumes after a Stop, send Song Position (the beats played so far) and Continue instead of Start, so a
    /// sequencer goes on where the walk paused (default false: Start from the top).
    /// </summary>
    public bool SongPosition { get; set; }

    /// <summary>Time from sending a clock to the synth acting on it, ms, 0..500 (default 20): beats are sent this early.</summary>
    public double OutputLatencyMs { get; set; } = 20;

    internal void Validate(string key, List<string> errors)
    {
        MidiMappingOptions.Check(errors, $"{key}:StepsPerBeat", StepsPerBeat, 1, 16);
        MidiMappingOptions.Check(errors, $"{key}:StopAfterMs", StopAfterMs, 200, 10_000);
        MidiMappingOptions.Check(errors, $"{key}:OutputLatencyMs", OutputLatencyMs, 0, 500);
    }
}

/// <summary>Thrown when MIDI configuration is invalid; the message lists every bad key with its value and range.</summary>
public sealed class MidiConfigurationException : Exception
{
    /// <summary>Creates the exception from the validation lines.</summary>
    public MidiConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid MIDI configuration: " + string.Join("; ", errors ?? []))
    {
        Errors = errors ?? [];
    }

    /// <summary>Creates the exception with a message.</summary>
    public MidiConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MidiConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates an empty exception.</summary>
    public MidiConfigurationException()
    {
        Errors = [];
    }

    /// <summary>One line per invalid key.</summary>
    public IReadOnlyList<string> Errors { get; }
}
