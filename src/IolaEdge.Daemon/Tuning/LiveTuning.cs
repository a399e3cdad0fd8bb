using System.Globalization;
using IolaEdge.Daemon.Configuration;
using IolaEdge.Daemon.Pipeline;
using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;
using IolaEdge.Midi.Engine;
using IolaEdge.Midi.Mapping;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tuning;

/// <summary>The outcome of a <see cref="LiveTuning.Set"/> or <see cref="LiveTuning.Save"/>.</summary>
/// <param name="Ok">True when applied (or saved).</param>
/// <param name="Message">What happened, or the problem naming the key.</param>
/// <param name="Key">The key as the catalogue spells it, when known.</param>
/// <param name="Value">The value now in force, when applied.</param>
internal sealed record TuningResult(bool Ok, string Message, string? Key = null, string? Value = null);

/// <summary>A live setting with its value now.</summary>
internal sealed record SettingValue(TunableSetting Setting, string? Value);

/// <summary>
/// Changes the current run's gate, dsp detector and MIDI mapping by configuration key, validated
/// exactly like the configuration at start (the same binder, validators and messages), and saves the
/// changed keys to the configuration file the daemon was started with.
/// </summary>
/// <remarks>
/// Control plane only (web requests, control socket): calls are serialised by a lock the pipeline and
/// MIDI threads never take. Applying a change is one reference write per target: the gate's
/// <see cref="DecisionGate.Change"/>, the chain's detector handoff, <see cref="MidiEngine.UpdateMapping"/>.
/// </remarks>
internal sealed class LiveTuning
{
    private readonly Lock _lock = new();
    private readonly string? _configFile;
    private readonly IReadOnlyList<SensorChain> _chains;
    private readonly MidiEngine? _engine;
    private readonly GateOptions _baseGate;
    private readonly List<TunableSetting> _catalogue;
    private readonly Dictionary<string, TunableSetting> _byKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedSet<string> _unsaved = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string?> _values; // the Detector and Midi:Mapping sections, flattened, with live changes
    private DetectorOptions _detector;
    private MidiMappingOptions _mapping;

    /// <summary>Creates the tuning of one run.</summary>
    /// <param name="startup">The configuration the run started with (all layers).</param>
    /// <param name="configFile">The file <see cref="Save"/> writes (the one the daemon was started with), or null.</param>
    /// <param name="detectorName">The run's detector (dsp keys apply to <c>dsp</c> only).</param>
    /// <param name="chains">The run's sensor chains.</param>
    /// <param name="engine">The run's MIDI engine, or null when it sends no MIDI.</param>
    /// <param name="presets">The user presets (saved by name), or null when none can be kept.</param>
    public LiveTuning(IConfiguration startup, string? configFile, string detectorName, IReadOnlyList<SensorChain> chains, MidiEngine? engine,
        UserPresets? presets = null)
    {
        _configFile = configFile;
        Presets = presets;
        _chains = chains;
        _engine = engine;
        DetectorName = detectorName;
        _values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string section in new[] { DetectorOptions.SectionName, "Midi:Mapping" })
        {
            foreach (KeyValuePair<string, string?> pair in startup.GetSection(section).AsEnumerable())
            {
                if (pair.Value is not null)
                {
                    _values[pair.Key] = pair.Value;
                }
            }
        }

        (_detector, _mapping, List<string> problems) = Bind(_values);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("the startup configuration was not validated: " + string.Join("; ", problems));
        }

        // The gate the run started with (the detector's own, with the startup overrides); live overrides go on top.
        _baseGate = chains.Count > 0 ? chains[0].Gate.Options : new GateOptions();
        _catalogue = TunableCatalogue.Build(dsp: chains.Any(c => c.Dsp is not null), _mapping.Sensors.Count);
        foreach (TunableSetting setting in _catalogue)
        {
            _byKey[setting.Key] = setting;
        }
    }

    /// <summary>The run's sensor chains.</summary>
    public IReadOnlyList<SensorChain> Chains => _chains;

    /// <summary>The run's detector.</summary>
    public string DetectorName { get; }

    /// <summary>The user presets, or null when none can be kept.</summary>
    public UserPresets? Presets { get; }

    /// <summary>The file <see cref="Save"/> writes, or null.</summary>
    public string? ConfigFile => _configFile;

    /// <summary>Changes made since the last save, by key.</summary>
    public IReadOnlyList<string> Unsaved
    {
        get
        {
            lock (_lock)
            {
                return [.. _unsaved];
            }
        }
    }

    /// <summary>Every live setting with its value now.</summary>
    public IReadOnlyList<SettingValue> Settings()
    {
        lock (_lock)
        {
            return [.. _catalogue.Select(s => new SettingValue(s, ValueOf(s)))];
        }
    }

    /// <summary>The value of <paramref name="key"/> now.</summary>
    public TuningResult Get(string key)
    {
        lock (_lock)
        {
            return _byKey.TryGetValue(key.Trim(), out TunableSetting? setting)
                ? new TuningResult(true, ValueOf(setting) ?? "", setting.Key, ValueOf(setting))
                : Unknown(key);
        }
    }

    /// <summary>Validates <paramref name="value"/> for <paramref name="key"/> like the configuration, then applies it to the current run.</summary>
    public TuningResult Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        TuningResult result = SetMany([(key, value)]);
        return result;
    }

    /// <summary>
    /// Applies a preset: a built-in one (<see cref="TuningPresets"/>) or a user one (<see cref="UserPresets"/>), all its keys
    /// validated together, then applied together. Of a user preset only the keys that differ from the values in force are
    /// set (so only they become unsaved), and keys this run does not have (a sensor entry no longer configured) are skipped.
    /// </summary>
    public TuningResult ApplyPreset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string trimmed = name.Trim();
        if (TuningPresets.TryGet(trimmed, out Func<int, IReadOnlyList<(string Key, string Value)>>? preset))
        {
            IReadOnlyList<(string Key, string Value)> settings;
            lock (_lock)
            {
                settings = preset(_mapping.Sensors.Count);
            }

            TuningResult result = SetManyCore([.. settings.Select(s => (s.Key, (string?)s.Value))], fromFile: false);
            return result.Ok ? new TuningResult(true, $"preset {trimmed}: " + string.Join(", ", settings.Select(s => $"{s.Key} = {s.Value}"))) : result;
        }

        if (Presets is null || !Presets.TryGet(trimmed, out IReadOnlyList<(string Key, string Value)> saved))
        {
            string shown = trimmed.Length > 40 ? trimmed[..40] + "…" : trimmed;
            return new TuningResult(false, $"preset '{shown}' is not known; presets: {string.Join(", ", PresetNames())}");
        }

        trimmed = Presets.Names.FirstOrDefault(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase)) ?? trimmed; // as saved
        List<(string Key, string? Value)> changes = [];
        List<string> skipped = [];
        lock (_lock)
        {
            foreach ((string key, string value) in saved)
            {
                if (!_byKey.TryGetValue(key, out TunableSetting? setting))
                {
                    skipped.Add(key);
                }
                else if (!string.Equals(ValueOf(setting), value, StringComparison.OrdinalIgnoreCase))
                {
                    changes.Add((setting.Key, value));
                }
            }
        }

        string skippedText = skipped.Count == 0 ? "" : $"; {skipped.Count} key(s) this run does not have skipped ({string.Join(", ", skipped.Take(3))}{(skipped.Count > 3 ? ", …" : "")})";
        if (changes.Count == 0)
        {
            return new TuningResult(true, $"preset {trimmed}: already in force{skippedText}");
        }

        TuningResult applied = SetManyCore(changes, fromFile: false);
        return applied.Ok
            ? new TuningResult(true, $"preset {trimmed}: {changes.Count} setting(s) changed: {string.Join(", ", changes.Select(c => $"{c.Key} = {c.Value}"))}{skippedText}")
            : new TuningResult(false, $"preset {trimmed} not applied: {applied.Message}", applied.Key);
    }

    /// <summary>The built-in presets, then the user presets.</summary>
    public IReadOnlyList<string> PresetNames() => [.. TuningPresets.Names, .. Presets?.Names ?? []];

    /// <summary>
    /// Saves the MIDI mapping in force (every <c>Midi:Mapping:*</c> key of this run) as the user preset <paramref name="name"/>.
    /// The gate and detector keys are not part of a preset: they fit a walker, a shoe and a floor, not a sound, and a preset
    /// applied on another day (or with another detector) must not undo the detection tuning of that day.
    /// </summary>
    public TuningResult SavePreset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Presets is null)
        {
            return new TuningResult(false, "user presets are off in this run (no presets file)");
        }

        List<(string Key, string Value)> values;
        lock (_lock)
        {
            values = [.. _catalogue.Where(s => s.Key.StartsWith(TunableCatalogue.MappingPrefix, StringComparison.OrdinalIgnoreCase))
                .Select(s => (s.Key, ValueOf(s) ?? ""))];
        }

        return Presets.Save(name, values);
    }

    /// <summary>Deletes the user preset <paramref name="name"/>.</summary>
    public TuningResult DeletePreset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Presets is null ? new TuningResult(false, "user presets are off in this run (no presets file)") : Presets.Delete(name);
    }

    /// <summary>True when <paramref name="key"/> can change while this run goes on (it is in <see cref="Settings"/>).</summary>
    public bool IsLive(string key) => _byKey.ContainsKey(key.Trim());

    /// <summary>
    /// Applies keys re-read from the configuration files (SIGHUP), all validated together, then applied together;
    /// a null value means the key left the files (its default applies again). They are the files' values, so not unsaved.
    /// </summary>
    public TuningResult Reload(IReadOnlyList<(string Key, string? Value)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return SetManyCore(changes, fromFile: true);
    }

    /// <summary>The sensor id of each <c>Midi:Mapping:Sensors</c> entry, by entry index.</summary>
    public IReadOnlyList<int> MappedSensorIds()
    {
        lock (_lock)
        {
            return [.. _mapping.Sensors.Select(s => s.SensorId)];
        }
    }

    /// <summary>MIDI learn of this run (it sets notes through <see cref="SetMany"/>), or null when the run listens on no MIDI input.</summary>
    public MidiLearn? Learn { get; set; }

    /// <summary>Validates several changes together like the configuration, then applies them together (or none of them).</summary>
    /// <returns>The first key's result; a refusal names the key at fault.</returns>
    public TuningResult SetMany(IReadOnlyList<(string Key, string Value)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Count == 0 ? new TuningResult(false, "no setting to change") : SetManyCore([.. changes.Select(c => (c.Key, (string?)c.Value))], fromFile: false);
    }

    // fromFile: the values come from the configuration files (SIGHUP), so they are not unsaved changes.
    private TuningResult SetManyCore(IReadOnlyList<(string Key, string? Value)> changes, bool fromFile)
    {
        lock (_lock)
        {
            Dictionary<string, string?> candidate = new(_values, StringComparer.OrdinalIgnoreCase);
            List<TunableSetting> changed = [];
            foreach ((string key, string? value) in changes)
            {
                if (!_byKey.TryGetValue(key.Trim(), out TunableSetting? setting))
                {
                    return Unknown(key);
                }

                if (value is null)
                {
                    candidate.Remove(setting.Key);
                }
                else
                {
                    candidate[setting.Key] = value.Trim();
                }

                changed.Add(setting);
            }

            (DetectorOptions detector, MidiMappingOptions mapping, List<string> problems) = Bind(candidate);
            GateOptions? gate = null;
            if (problems.Count == 0)
            {
                try
                {
                    gate = detector.Gate.ApplyTo(_baseGate).Validate();
                }
                catch (ArgumentOutOfRangeException ex)
                {
                    problems.Add(ConfigurationProblems.Describe("Detector:Gate", ex, $"with the gate of detector '{DetectorName}'"));
                }
            }

            if (problems.Count > 0)
            {
                // Name the key asked for first; a cross-key rule may name the other key as well.
                string first = problems.FirstOrDefault(p => changed.Any(c => p.Contains(c.Key, StringComparison.OrdinalIgnoreCase))) ?? problems[0];
                return new TuningResult(false, first, changed[0].Key);
            }

            foreach (TunableSetting setting in changed.DistinctBy(Target))
            {
                Apply(setting, detector, mapping, gate!);
            }

            _values = candidate;
            _detector = detector;
            _mapping = mapping;
            foreach (TunableSetting setting in changed)
            {
                if (fromFile)
                {
                    _unsaved.Remove(setting.Key);
                }
                else
                {
                    _unsaved.Add(setting.Key);
                }
            }

            string? now = ValueOf(changed[0]);
            return new TuningResult(true, $"{changed[0].Key} = {now}", changed[0].Key, now);
        }
    }

    private static string Target(TunableSetting setting) =>
        setting.Key.StartsWith(TunableCatalogue.GatePrefix, StringComparison.OrdinalIgnoreCase) ? "gate"
        : setting.Key.StartsWith(TunableCatalogue.DspPrefix, StringComparison.OrdinalIgnoreCase) ? "dsp"
        : "midi";

    /// <summary>Writes every changed key to the configuration file (atomic; the previous file kept as FILE.bak).</summary>
    public TuningResult Save()
    {
        lock (_lock)
        {
            if (_configFile is null)
            {
                return new TuningResult(false, "no configuration file to save to (start with --config FILE)");
            }

            if (_unsaved.Count == 0)
            {
                return new TuningResult(true, $"nothing to save: no setting changed since the last save ({_configFile})");
            }

            List<(string Key, SettingKind Kind, string? Value)> changes = [.. _unsaved.Select(k => (_byKey[k].Key, _byKey[k].Kind, ValueOf(_byKey[k])))];
            try
            {
                string? backup = ConfigurationFileWriter.Save(_configFile, changes);
                int count = _unsaved.Count;
                _unsaved.Clear();
                return new TuningResult(true, backup is null
                    ? $"saved {count} setting(s) to {_configFile}"
                    : $"saved {count} setting(s) to {_configFile} (previous file kept as {backup})");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
            {
                return new TuningResult(false, $"configuration file {_configFile} not saved: {ex.Message}");
            }
        }
    }

    private void Apply(TunableSetting setting, DetectorOptions detector, MidiMappingOptions mapping, GateOptions gate)
    {
        if (setting.Key.StartsWith(TunableCatalogue.GatePrefix, StringComparison.OrdinalIgnoreCase))
        {
            foreach (SensorChain chain in _chains)
            {
                chain.Gate.Change(gate);
            }
        }
        else if (setting.Key.StartsWith(TunableCatalogue.DspPrefix, StringComparison.OrdinalIgnoreCase))
        {
            foreach (SensorChain chain in _chains)
            {
                // Each detector keeps a reference to its options: one copy per chain, at the pipeline's rate.
                DspDetectorOptions own = detector.Dsp.Clone();
                own.NominalRateHz = SensorChainFactory.NominalRateHz;
                chain.PostDetectorChange(own.Validate());
            }
        }
        else
        {
            _engine?.UpdateMapping(mapping);
        }
    }

    private string? ValueOf(TunableSetting setting)
    {
        string key = setting.Key;
        if (key.StartsWith(TunableCatalogue.GatePrefix, StringComparison.OrdinalIgnoreCase))
        {
            // The gate in force (the detector's own where nothing overrides it).
            GateOptions gate = _chains.Count > 0 ? _chains[0].Gate.Options : _detector.Gate.ApplyTo(_baseGate);
            return TunableSetting.Format(typeof(GateOptions).GetProperty(setting.Property.Name)!.GetValue(gate));
        }

        if (key.StartsWith(TunableCatalogue.DspPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return TunableSetting.Format(setting.Property.GetValue(_detector.Dsp));
        }

        // Midi:Mapping:<entry>:<Property>, entry one of Default, Sensors:N, CadenceControl, Clock; or LatencyStamps.
        string[] parts = key[TunableCatalogue.MappingPrefix.Length..].Split(':');
        object? owner = parts[0] switch
        {
            "Default" => _mapping.Default,
            "Sensors" => _mapping.Sensors[int.Parse(parts[1], CultureInfo.InvariantCulture)],
            "CadenceControl" => _mapping.CadenceControl,
            "Clock" => _mapping.Clock,
            _ => _mapping,
        };
        return TunableSetting.Format(setting.Property.GetValue(owner));
    }

    private static (DetectorOptions Detector, MidiMappingOptions Mapping, List<string> Problems) Bind(Dictionary<string, string?> values)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        List<string> problems = [];
        DetectorOptions detector = new();
        MidiMappingOptions mapping = new();
        try
        {
            configuration.GetSection(DetectorOptions.SectionName).Bind(detector);
            configuration.GetSection("Midi:Mapping").Bind(mapping);
        }
        catch (InvalidOperationException ex) when (ConfigurationKeys.IsBindingFailure(ex))
        {
            problems.Add(ConfigurationKeys.DescribeBindingFailure(ex, configuration));
            return (detector, mapping, problems);
        }

        problems.AddRange(new DetectorOptionsValidator().Validate(null, detector).Failures ?? []);
        problems.AddRange(DetectorOptions.UnknownKeys(configuration));
        problems.AddRange(mapping.Validate("Midi:Mapping"));
        return (detector, mapping, problems);
    }

    private TuningResult Unknown(string key)
    {
        string shown = key.Length > 60 ? key[..60] + "…" : key;
        string hint = key.StartsWith(TunableCatalogue.DspPrefix, StringComparison.OrdinalIgnoreCase) && DetectorName != "dsp"
            ? $" (this run uses detector '{DetectorName}'; Detector:Dsp:* applies to dsp only)"
            : "";
        return new TuningResult(false, $"{shown} is not a live setting{hint}; the page and the control socket command 'keys' list them");
    }
}
