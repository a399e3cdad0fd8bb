using System.Collections;
using System.Reflection;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Recording;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace IolaEdge.Daemon.Configuration;

/// <summary>
/// Every configuration key must name a setting: the binder ignores the others, so a misspelt key
/// (<c>Midi:Chanel</c>, a <c>Runn</c> section, <c>IOLAEDGE_MIDI__BAKEND</c>) would change nothing without a word.
/// Each unknown key or section is one problem naming the key, where it came from and the nearest known name.
/// </summary>
internal static class StrictConfiguration
{
    // Sections and the options type each binds to. Detector and Soak check their own keys (same wording).
    private static readonly Dictionary<string, Type?> s_sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [RunOptions.SectionName] = typeof(RunOptions),
        [PipelineOptions.SectionName] = typeof(PipelineOptions),
        [MidiOptions.SectionName] = typeof(MidiOptions),
        [EventsOptions.SectionName] = typeof(EventsOptions),
        [LoggingOptions.SectionName] = typeof(LoggingOptions),
        ["Recording"] = typeof(RecorderOptions),
        ["Button"] = typeof(GpioButtonOptions),
        [Web.WebOptions.SectionName] = typeof(Web.WebOptions),
        [Realtime.RealtimeOptions.SectionName] = typeof(Realtime.RealtimeOptions),
        [DetectorOptions.SectionName] = null,
        [SoakOptions.SectionName] = null,
        ["Serilog"] = null, // Serilog's own settings (Logging/DaemonLogger), free-form
    };

    // Sections that had another name: their keys get one line naming the new key, not "unknown section".
    private static readonly Dictionary<string, string> s_renamedSections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Session"] = RunOptions.SectionName,
    };

    /// <summary>The configuration sections and the options type each binds to (null: checked by its own type, or free-form).</summary>
    public static IReadOnlyDictionary<string, Type?> Sections => s_sections;

    // Keys that were settings once: the problem says what replaced them (docs/configuration.md, "Retired keys").
    private static readonly Dictionary<string, string> s_retired = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Midi:Engine:RealtimePriority"] = "was replaced by the Realtime section (issue 14): set Realtime:Policy=Fifo and Realtime:MidiPriority (and Realtime:PipelinePriority) instead",
    };

    /// <summary>Problems for every key that names no setting, e.g.
    /// <c>Midi:Chanel (--set) is not a setting; known under Midi: Backend, FilePath, …; did you mean Midi:Mapping:Default:Channel?</c>.</summary>
    public static IEnumerable<string> UnknownKeys(IConfiguration configuration)
    {
        List<string> problems = [];
        foreach (IConfigurationSection section in configuration.GetChildren())
        {
            if (s_renamedSections.TryGetValue(section.Key, out string? newName))
            {
                foreach (IConfigurationSection child in section.GetChildren())
                {
                    problems.Add($"{child.Path}{Origin(configuration, child)} is an old name: the {section.Key} section is now {newName}; write {newName}:{child.Key}");
                }

                continue;
            }

            if (!s_sections.TryGetValue(section.Key, out Type? type))
            {
                if (IsForeignEnvironmentVariable(configuration, section))
                {
                    continue;
                }

                problems.Add($"{section.Path}{Origin(configuration, section)} is not a configuration section; known: {string.Join(", ", s_sections.Keys)}{Suggest(section.Key, s_sections.Keys)}");
                continue;
            }

            if (type is not null)
            {
                Walk(configuration, section, type, problems);
            }
        }

        return problems;
    }

    /// <summary>" (did you mean X?)" for the known name nearest to <paramref name="key"/>, or empty when none is close.</summary>
    public static string Suggest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = Distance(key.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // Close enough to be a typo: a third of the name, at least 2 edits for short names.
        return best is not null && bestDistance <= Math.Max(2, key.Length / 3) ? $"; did you mean {best}?" : string.Empty;
    }

    private static void Walk(IConfiguration root, IConfigurationSection section, Type type, List<string> problems)
    {
        Dictionary<string, PropertyInfo> properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || !IsScalar(p.PropertyType))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (s_retired.TryGetValue(child.Path, out string? replacement))
            {
                problems.Add($"{child.Path}{Origin(root, child)} is no longer a setting: it {replacement}");
                continue;
            }

            if (!properties.TryGetValue(child.Key, out PropertyInfo? property))
            {
                problems.Add($"{child.Path}{Origin(root, child)} is not a setting; known under {section.Path}: {string.Join(", ", properties.Keys)}{SuggestPath(child)}");
                continue;
            }

            WalkValue(root, child, property.PropertyType, problems);
        }
    }

    private static void WalkValue(IConfiguration root, IConfigurationSection section, Type type, List<string> problems)
    {
        if (IsScalar(type))
        {
            foreach (IConfigurationSection extra in section.GetChildren())
            {
                problems.Add($"{extra.Path}{Origin(root, extra)} is not a setting: {section.Path} is a single value");
            }

            return;
        }

        if (ElementType(type) is { } element)
        {
            // A list (keys 0, 1, …) or a dictionary (any key): each entry is an element.
            foreach (IConfigurationSection item in section.GetChildren())
            {
                WalkValue(root, item, element, problems);
            }

            return;
        }

        Walk(root, section, type, problems);
    }

    internal static bool IsScalar(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTime) || t == typeof(Guid);
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        Type? generic = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        Type? item = generic?.GetGenericArguments()[0];
        return item is { IsGenericType: true } && item.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ? item.GetGenericArguments()[1] : item;
    }

    // The nearest known key anywhere in the section's tree ("Midi:Channel" -> "Midi:Mapping:Default:Channel").
    private static string SuggestPath(IConfigurationSection child)
    {
        string top = child.Path.Split(':')[0];
        if (!s_sections.TryGetValue(top, out Type? type) || type is null)
        {
            return string.Empty;
        }

        List<string> paths = [];
        KnownPaths(top, type, paths, depth: 0);
        string leaf = child.Key;
        string? sameLeaf = paths.FirstOrDefault(p => p.EndsWith(":" + leaf, StringComparison.OrdinalIgnoreCase));
        if (sameLeaf is not null)
        {
            return $"; did you mean {sameLeaf}?";
        }

        string suggestion = Suggest(leaf, paths.Select(p => p[(p.LastIndexOf(':') + 1)..]));
        if (suggestion.Length == 0)
        {
            return string.Empty;
        }

        string name = suggestion["; did you mean ".Length..^1];
        // Prefer the sibling with that name; else the first path ending in it.
        string parent = child.Path[..child.Path.LastIndexOf(':')];
        string? path = paths.FirstOrDefault(p => string.Equals(p, parent + ":" + name, StringComparison.OrdinalIgnoreCase))
            ?? paths.FirstOrDefault(p => p.EndsWith(":" + name, StringComparison.Ordinal));
        return $"; did you mean {path ?? name}?";
    }

    private static void KnownPaths(string prefix, Type type, List<string> paths, int depth)
    {
        if (depth > 4)
        {
            return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string path = prefix + ":" + property.Name;
            if (IsScalar(property.PropertyType))
            {
                if (property.CanWrite)
                {
                    paths.Add(path);
                }
            }
            else if (ElementType(property.PropertyType) is { } element)
            {
                if (!IsScalar(element))
                {
                    KnownPaths(path + ":0", element, paths, depth + 1);
                }
            }
            else
            {
                KnownPaths(path, property.PropertyType, paths, depth + 1);
            }
        }
    }

    // IOLAEDGE_ variables without a section separator ("__") are not configuration (test hooks, tools): left alone.
    private static bool IsForeignEnvironmentVariable(IConfiguration configuration, IConfigurationSection section) =>
        section.Value is not null && !section.GetChildren().Any()
        && configuration is IConfigurationRoot root
        && root.Providers.LastOrDefault(p => p.TryGet(section.Path, out _)) is EnvironmentVariablesConfigurationProvider;

    private static string Origin(IConfiguration configuration, IConfigurationSection section)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return string.Empty;
        }

        // The layer that set the key, or for a section the layer that set its first key.
        string? key = section.Value is not null ? section.Path : section.AsEnumerable().FirstOrDefault(kv => kv.Value is not null).Key;
        if (key is null)
        {
            return string.Empty;
        }

        return ConfigurationLayer.Suffix(root, key);
    }

    // Levenshtein distance, for suggestions on short names only.
    private static int Distance(string a, string b)
    {
        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
