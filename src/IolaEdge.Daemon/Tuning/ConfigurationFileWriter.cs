using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IolaEdge.Daemon.Tuning;

/// <summary>
/// Writes configuration keys into a JSON configuration file: the file is parsed, the keys set at their
/// paths (objects and array entries created as needed, other content kept), and the result replaces the
/// file atomically (temporary file in the same directory, fsync, rename), keeping the previous file as
/// <c>FILE.bak</c>. Comments in the file are not kept (System.Text.Json does not round-trip them).
/// </summary>
internal static class ConfigurationFileWriter
{
    private static readonly JsonDocumentOptions s_read = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonSerializerOptions s_write = new() { WriteIndented = true };

    /// <summary>Sets <paramref name="changes"/> in <paramref name="path"/> (created when missing).</summary>
    /// <returns>The backup of the previous file, or null when there was none.</returns>
    /// <exception cref="InvalidDataException">The file is not a JSON object, or a path runs into a value.</exception>
    public static string? Save(string path, IEnumerable<(string Key, SettingKind Kind, string? Value)> changes)
    {
        string full = Path.GetFullPath(path);
        JsonObject root;
        if (File.Exists(full))
        {
            root = JsonNode.Parse(File.ReadAllText(full), documentOptions: s_read) as JsonObject
                ?? throw new InvalidDataException($"{full} does not hold a JSON object");
        }
        else
        {
            root = [];
        }

        foreach ((string key, SettingKind kind, string? value) in changes)
        {
            Set(root, key.Split(':'), ToNode(kind, value), key);
        }

        return AtomicFile.Replace(full, stream =>
        {
            using (Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Indented = true }))
            {
                root.WriteTo(writer, s_write);
            }

            stream.WriteByte((byte)'\n');
        });
    }

    private static JsonValue? ToNode(SettingKind kind, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return kind switch
        {
            SettingKind.Integer => JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture)),
            SettingKind.Number => JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture)),
            SettingKind.Boolean => JsonValue.Create(bool.Parse(value)),
            _ => JsonValue.Create(value),
        };
    }

    private static void Set(JsonNode container, string[] path, JsonNode? value, string key)
    {
        JsonNode current = container;
        for (int i = 0; i < path.Length; i++)
        {
            bool last = i == path.Length - 1;
            bool nextIsIndex = !last && int.TryParse(path[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
            switch (current)
            {
                case JsonObject obj:
                {
                    // Configuration keys are case-insensitive: reuse the file's own spelling.
                    string name = obj.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, path[i], StringComparison.OrdinalIgnoreCase)) ?? path[i];
                    if (last)
                    {
                        obj[name] = value;
                        return;
                    }

                    JsonNode? child = obj[name];
                    if (child is null)
                    {
                        child = nextIsIndex ? new JsonArray() : new JsonObject();
                        obj[name] = child;
                    }

                    current = child;
                    break;
                }

                case JsonArray array when int.TryParse(path[i], NumberStyles.None, CultureInfo.InvariantCulture, out int index):
                {
                    while (array.Count <= index)
                    {
                        array.Add(new JsonObject());
                    }

                    if (last)
                    {
                        array[index] = value;
                        return;
                    }

                    current = array[index] ??= nextIsIndex ? new JsonArray() : new JsonObject();
                    break;
                }

                default:
                    throw new InvalidDataException($"{key} cannot be written: {string.Join(':', path[..i])} holds a value, not a section");
            }
        }
    }
}
