using System.Text.Json;
using System.Text.RegularExpressions;
using Serilog;

namespace IolaEdge.Daemon.Tuning;

/// <summary>
/// Presets a musician saved by name (page "save as", control socket <c>preset save NAME</c>): the MIDI mapping keys and
/// their values, kept in one JSON file (<c>Midi:PresetsFile</c>, by default <c>presets.json</c> in the state directory) so
/// that they survive a restart. The file is read at start and on SIGHUP, and rewritten whole on each save or delete
/// (<see cref="AtomicFile"/>: temporary file, fsync, rename, the previous file kept as <c>FILE.bak</c>).
/// </summary>
/// <remarks>
/// File format: <c>{ "presets": { "NAME": { "Midi:Mapping:Default:Note": "36", … }, … } }</c>, values as the control
/// socket's <c>set</c> takes them. A file that cannot be read or is not of this shape is one warning naming the file; the
/// daemon runs on with the built-in presets, and saving or deleting is refused (so the file is not overwritten) until it
/// is fixed or removed and re-read (SIGHUP or a restart). Control plane only; calls are serialised by a lock.
/// </remarks>
internal sealed partial class UserPresets
{
    /// <summary>Longest preset name.</summary>
    public const int MaxNameLength = 32;

    private static readonly JsonDocumentOptions s_read = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly string[] s_commandWords = ["list", "save", "delete"];

    private readonly Lock _lock = new();
    private readonly ILogger? _log;
    private readonly SortedDictionary<string, IReadOnlyList<(string Key, string Value)>> _presets = new(StringComparer.OrdinalIgnoreCase);
    private string? _problem;

    /// <summary>Reads the presets kept in <paramref name="path"/> (a missing file is no preset).</summary>
    /// <param name="path">The presets file.</param>
    /// <param name="log">Receives the one line about a file that cannot be read, or null.</param>
    public UserPresets(string path, ILogger? log)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = Path.GetFullPath(path);
        _log = log?.ForContext("SourceContext", "Presets");
        Load();
    }

    /// <summary>The presets file.</summary>
    public string FilePath { get; }

    /// <summary>Why the file could not be read (user presets are off), or null.</summary>
    public string? Problem
    {
        get
        {
            lock (_lock)
            {
                return _problem;
            }
        }
    }

    /// <summary>The saved presets' names, sorted (as saved).</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _presets.Keys];
            }
        }
    }

    /// <summary>Reads the file again (start, SIGHUP). A file that cannot be read is logged once and leaves no user preset.</summary>
    public void Load()
    {
        lock (_lock)
        {
            _presets.Clear();
            _problem = null;
            if (!File.Exists(FilePath))
            {
                return;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(FilePath), s_read);
                ReadPresets(document.RootElement);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                _presets.Clear();
                _problem = $"presets file {FilePath} cannot be read: {ex.Message}";
                _log?.Warning("{Problem:l}; user presets are off until it is fixed or removed (then SIGHUP or restart); the file is left as it is", _problem);
            }

            if (_problem is null && _presets.Count > 0)
            {
                _log?.Information("User presets from {File}: {Names:l}", FilePath, string.Join(", ", _presets.Keys));
            }
        }
    }

    /// <summary>The keys and values saved as <paramref name="name"/>.</summary>
    public bool TryGet(string name, out IReadOnlyList<(string Key, string Value)> values)
    {
        lock (_lock)
        {
            if (_presets.TryGetValue(name.Trim(), out IReadOnlyList<(string Key, string Value)>? found))
            {
                values = found;
                return true;
            }

            values = [];
            return false;
        }
    }

    /// <summary>Saves <paramref name="values"/> as <paramref name="name"/> (replacing a user preset of that name) and writes the file.</summary>
    public TuningResult Save(string name, IReadOnlyList<(string Key, string Value)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (NameProblem(name) is { } bad)
        {
            return new TuningResult(false, bad);
        }

        string trimmed = name.Trim();
        lock (_lock)
        {
            if (_problem is not null)
            {
                return new TuningResult(false, $"preset {trimmed} not saved: {_problem}; fix or remove it first");
            }

            string? existing = _presets.Keys.FirstOrDefault(k => string.Equals(k, trimmed, StringComparison.OrdinalIgnoreCase));
            SortedDictionary<string, IReadOnlyList<(string Key, string Value)>> next = new(_presets, StringComparer.OrdinalIgnoreCase);
            if (existing is not null)
            {
                next.Remove(existing);
            }

            next[trimmed] = values;
            if (Write(next, out string written) is { } failure)
            {
                return new TuningResult(false, $"preset {trimmed} not saved: {failure}");
            }

            Replace(next);
            return new TuningResult(true, $"preset {trimmed} {(existing is null ? "saved" : "replaced")}: {values.Count} setting(s) in {written}", Value: trimmed);
        }
    }

    /// <summary>Deletes the user preset <paramref name="name"/> and writes the file.</summary>
    public TuningResult Delete(string name)
    {
        string trimmed = name.Trim();
        if (TuningPresets.IsBuiltIn(trimmed))
        {
            return new TuningResult(false, $"preset name '{trimmed}' is a built-in preset and cannot be deleted");
        }

        lock (_lock)
        {
            if (_problem is not null)
            {
                return new TuningResult(false, $"preset {Shown(trimmed)} not deleted: {_problem}; fix or remove it first");
            }

            string? existing = _presets.Keys.FirstOrDefault(k => string.Equals(k, trimmed, StringComparison.OrdinalIgnoreCase));
            if (existing is null)
            {
                return new TuningResult(false, $"preset '{Shown(trimmed)}' is not a saved preset; saved: {(_presets.Count == 0 ? "none" : string.Join(", ", _presets.Keys))}");
            }

            SortedDictionary<string, IReadOnlyList<(string Key, string Value)>> next = new(_presets, StringComparer.OrdinalIgnoreCase);
            next.Remove(existing);
            if (Write(next, out string written) is { } failure)
            {
                return new TuningResult(false, $"preset {existing} not deleted: {failure}");
            }

            Replace(next);
            return new TuningResult(true, $"preset {existing} deleted from {written}", Value: existing);
        }
    }

    /// <summary>Why <paramref name="name"/> cannot name a user preset (one line naming it), or null when it can.</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string trimmed = name.Trim();
        if (!ValidName().IsMatch(trimmed))
        {
            return $"preset name '{Shown(trimmed)}' is not valid: use 1 to {MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit";
        }

        if (TuningPresets.IsBuiltIn(trimmed))
        {
            return $"preset name '{trimmed}' is a built-in preset and cannot be overwritten; choose another name";
        }

        if (s_commandWords.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
        {
            return $"preset name '{trimmed}' is a word of the preset command ({string.Join(", ", s_commandWords)}); choose another name";
        }

        return null;
    }

    private static string Shown(string name) => name.Length > 40 ? name[..40] + "…" : name;

    private void ReadPresets(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("presets", out JsonElement presets) || presets.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("expected { \"presets\": { \"NAME\": { \"KEY\": \"VALUE\", … } } }");
        }

        foreach (JsonProperty preset in presets.EnumerateObject())
        {
            if (NameProblem(preset.Name) is { } bad)
            {
                throw new InvalidDataException(bad);
            }

            if (preset.Value.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"preset {preset.Name} is not an object of \"KEY\": \"VALUE\"");
            }

            List<(string Key, string Value)> values = [];
            foreach (JsonProperty setting in preset.Value.EnumerateObject())
            {
                string? value = setting.Value.ValueKind switch
                {
                    JsonValueKind.String => setting.Value.GetString(),
                    JsonValueKind.Number => setting.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                };
                if (value is null || !setting.Name.StartsWith(TunableCatalogue.MappingPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"preset {preset.Name}: {setting.Name} must be a {TunableCatalogue.MappingPrefix}* key with a string, number or true/false value");
                }

                values.Add((setting.Name, value));
            }

            if (!_presets.TryAdd(preset.Name, values))
            {
                throw new InvalidDataException($"preset {preset.Name} appears twice (names are case-insensitive)");
            }
        }
    }

    // Null when written; else why not. The state directory may not exist yet outside systemd (~/.local/state/iolaedge).
    private string? Write(SortedDictionary<string, IReadOnlyList<(string Key, string Value)>> presets, out string written)
    {
        written = FilePath;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath) ?? ".");
            string? backup = AtomicFile.Replace(FilePath, stream =>
            {
                using Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Indented = true });
                writer.WriteStartObject();
                writer.WriteStartObject("presets");
                foreach ((string name, IReadOnlyList<(string Key, string Value)> values) in presets)
                {
                    writer.WriteStartObject(name);
                    foreach ((string key, string value) in values)
                    {
                        writer.WriteString(key, value);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.Flush();
                stream.WriteByte((byte)'\n');
            });
            if (backup is not null)
            {
                written = $"{FilePath} (previous file kept as {backup})";
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"presets file {FilePath} cannot be written: {ex.Message}";
        }
    }

    private void Replace(SortedDictionary<string, IReadOnlyList<(string Key, string Value)>> next)
    {
        _presets.Clear();
        foreach (KeyValuePair<string, IReadOnlyList<(string Key, string Value)>> pair in next)
        {
            _presets.Add(pair.Key, pair.Value);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    private static partial Regex ValidName();
}
