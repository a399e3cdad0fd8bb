using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Midi.Mapping;

namespace IolaEdge.Daemon.Tuning;

/// <summary>What kind of value a live setting takes (the page picks its control from it).</summary>
internal enum SettingKind
{
    /// <summary>A real number.</summary>
    Number,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>One of <see cref="TunableSetting.Choices"/>.</summary>
    Choice,
}

/// <summary>
/// One configuration key that can change while the daemon runs, with the range its own validator
/// enforces (read from the validator's message, so the page's sliders and the validation cannot disagree).
/// </summary>
/// <param name="Key">Configuration key, e.g. <c>Detector:Gate:MinIntervalMs</c>.</param>
/// <param name="Group">Page section: Gate, Detector, MIDI.</param>
/// <param name="Kind">Value kind.</param>
/// <param name="Min">Smallest valid value, or null when not known.</param>
/// <param name="Max">Largest valid value, or null when not known.</param>
/// <param name="Choices">Allowed names of a <see cref="SettingKind.Choice"/>.</param>
/// <param name="Property">The options property the key binds to.</param>
internal sealed record TunableSetting(string Key, string Group, SettingKind Kind, double? Min, double? Max, IReadOnlyList<string> Choices, PropertyInfo Property)
{
    /// <summary>Formats a property value the way configuration files hold it.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>Builds the catalogue of live settings from the options types.</summary>
internal static partial class TunableCatalogue
{
    /// <summary>Gate keys.</summary>
    public const string GatePrefix = "Detector:Gate:";

    /// <summary>dsp detector keys.</summary>
    public const string DspPrefix = "Detector:Dsp:";

    /// <summary>MIDI mapping keys.</summary>
    public const string MappingPrefix = "Midi:Mapping:";

    /// <summary>Every live setting: the gate, the dsp detector (when it runs), and the MIDI mapping (default, the configured sensors, cadence CC, clock).</summary>
    /// <param name="dsp">Include the dsp detector's keys.</param>
    /// <param name="sensorMappings">How many <c>Midi:Mapping:Sensors</c> entries the configuration has.</param>
    public static List<TunableSetting> Build(bool dsp, int sensorMappings)
    {
        List<TunableSetting> settings = [];
        GateOptions gate = new();
        foreach (PropertyInfo p in Writable(typeof(GateOverrides)))
        {
            settings.Add(Describe(GatePrefix + p.Name, "Gate", p, v => RangeOf(() => Set(gate.Clone(), typeof(GateOptions).GetProperty(p.Name)!, v).Validate())));
        }

        if (dsp)
        {
            foreach (PropertyInfo p in Writable(typeof(DspDetectorOptions)))
            {
                if (p.Name == nameof(DspDetectorOptions.NominalRateHz))
                {
                    continue; // the sensor's rate, not a tuning knob
                }

                settings.Add(Describe(DspPrefix + p.Name, "Detector", p, v => RangeOf(() => Set(new DspDetectorOptions(), p, v).Validate())));
            }
        }

        AddMapping(settings, "Default", "MIDI");
        for (int i = 0; i < sensorMappings; i++)
        {
            AddMapping(settings, $"Sensors:{i}", $"MIDI sensor entry {i}");
        }

        foreach (PropertyInfo p in Writable(typeof(CadenceControlOptions)))
        {
            settings.Add(Describe(MappingPrefix + "CadenceControl:" + p.Name, "MIDI cadence CC", p,
                v => MappingRange(m => Set(m.CadenceControl, p, v))));
        }

        foreach (PropertyInfo p in Writable(typeof(MidiClockOptions)))
        {
            settings.Add(Describe(MappingPrefix + "Clock:" + p.Name, "MIDI clock", p, v => MappingRange(m => Set(m.Clock, p, v))));
        }

        foreach (string name in new[] { nameof(MidiMappingOptions.SendNotes), nameof(MidiMappingOptions.LatencyStamps) })
        {
            PropertyInfo flag = typeof(MidiMappingOptions).GetProperty(name)!;
            settings.Add(Describe(MappingPrefix + flag.Name, "MIDI", flag, _ => (null, null)));
        }
        return settings;
    }

    private static void AddMapping(List<TunableSetting> settings, string entry, string group)
    {
        foreach (PropertyInfo p in Writable(typeof(SensorMidiMapping)))
        {
            if (p.Name == nameof(SensorMidiMapping.SensorId))
            {
                continue; // which sensor an entry is for is structure, not tuning
            }

            settings.Add(Describe($"{MappingPrefix}{entry}:{p.Name}", group, p, v => MappingRange(m => Set(m.Default, p, v))));
        }
    }

    private static IEnumerable<PropertyInfo> Writable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);

    private static TunableSetting Describe(string key, string group, PropertyInfo p, Func<object, (double? Min, double? Max)> range)
    {
        Type type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        if (type == typeof(bool))
        {
            return new TunableSetting(key, group, SettingKind.Boolean, null, null, [], p);
        }

        if (type.IsEnum)
        {
            return new TunableSetting(key, group, SettingKind.Choice, null, null, Enum.GetNames(type), p);
        }

        bool integer = type == typeof(int);
        // An out-of-range probe makes the validator name the range in its message.
        (double? min, double? max) = range(integer ? int.MinValue : double.NaN);
        return new TunableSetting(key, group, integer ? SettingKind.Integer : SettingKind.Number, min, max, [], p);
    }

    private static T Set<T>(T target, PropertyInfo p, object value)
    {
        Type type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        PropertyInfo own = typeof(T).GetProperty(p.Name) ?? p;
        own.SetValue(target, Convert.ChangeType(value, type, CultureInfo.InvariantCulture));
        return target;
    }

    private static (double? Min, double? Max) RangeOf(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return Parse(ex.Message);
        }

        return (null, null);
    }

    private static (double? Min, double? Max) MappingRange(Action<MidiMappingOptions> change)
    {
        MidiMappingOptions mapping = new();
        change(mapping);
        IReadOnlyList<string> errors = mapping.Validate();
        return errors.Count > 0 ? Parse(errors[0]) : (null, null);
    }

    private static (double? Min, double? Max) Parse(string message)
    {
        Match m = Range().Match(message);
        if (!m.Success)
        {
            return (null, null);
        }

        return (double.Parse(m.Groups["min"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["max"].Value, CultureInfo.InvariantCulture));
    }

    // "[0, 1]" (dsp, gate) or "outside 0..127" (MIDI mapping).
    [GeneratedRegex(@"(?:\[(?<min>-?[0-9.Ee+-]+), (?<max>-?[0-9.Ee+-]+)\])|(?:outside (?<min>-?[0-9.]+)\.\.(?<max>-?[0-9.]+))")]
    private static partial Regex Range();
}
