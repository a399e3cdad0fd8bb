using System.Collections;
using System.Reflection;
using IolaEdge.Daemon.Tuning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IolaEdge.Daemon.Configuration;

/// <summary>One key of the effective configuration.</summary>
/// <param name="Key">Flattened key, <c>Section:Key</c>.</param>
/// <param name="Value">The value in force (as configuration files write it), or null when unset (an optional override).</param>
/// <param name="Layer">Which layer gave it.</param>
/// <param name="Origin">The layer in words: <c>default in code</c>, <c>shipped …/appsettings.json</c>, <c>in FILE</c>, <c>environment IOLAEDGE_…</c>, <c>command line</c>.</param>
internal sealed record EffectiveSetting(string Key, string? Value, LayerKind Layer, string Origin);

/// <summary>
/// Every known configuration key with the value a run would use and the layer it came from: the options
/// types bound exactly as the daemon binds them (<see cref="Hosting.DaemonHost.AddOptions"/>), flattened.
/// Only for a configuration that <see cref="Hosting.DaemonHost.Validate"/> accepted.
/// </summary>
internal static class EffectiveConfiguration
{
    private const int MaxDepth = 6;

    /// <summary>The effective settings, sections in <see cref="StrictConfiguration.Sections"/> order, keys in declaration order.</summary>
    public static IReadOnlyList<EffectiveSetting> Of(IConfiguration configuration)
    {
        ServiceCollection services = new();
        Hosting.DaemonHost.AddOptions(services, configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        List<(string Key, string? Value)> flat = [];
        foreach ((string section, Type? checkedType) in StrictConfiguration.Sections)
        {
            Type? type = checkedType ?? section switch
            {
                DetectorOptions.SectionName => typeof(DetectorOptions),
                SoakOptions.SectionName => typeof(SoakOptions),
                _ => null, // free-form (Serilog): its keys are listed from the configuration below
            };
            if (type is not null)
            {
                Flatten(Bound(provider, services, configuration, section, type), section, flat, 0);
            }
        }

        HashSet<string> known = new(flat.Select(f => f.Key), StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in configuration.AsEnumerable().OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (pair.Value is not null && !known.Contains(pair.Key) && StrictConfiguration.Sections.ContainsKey(pair.Key.Split(':')[0]))
            {
                flat.Add((pair.Key, pair.Value));
            }
        }

        return [.. flat.Select(f =>
        {
            (LayerKind layer, string origin) = ConfigurationLayer.Of(configuration, f.Key);
            return new EffectiveSetting(f.Key, f.Value, layer, origin);
        })];
    }

    // The daemon's own binding (with its post-configuration) where the host registers the type; else a plain bind.
    private static object Bound(ServiceProvider provider, ServiceCollection services, IConfiguration configuration, string section, Type type)
    {
        Type configure = typeof(IConfigureOptions<>).MakeGenericType(type);
        if (services.Any(d => d.ServiceType == configure))
        {
            object options = provider.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            return options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options)!;
        }

        object instance = Activator.CreateInstance(type)!;
        configuration.GetSection(section).Bind(instance);
        return instance;
    }

    private static void Flatten(object owner, string prefix, List<(string, string?)> flat, int depth)
    {
        foreach (PropertyInfo property in owner.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || (StrictConfiguration.IsScalar(property.PropertyType) && !property.CanWrite))
            {
                continue; // computed, not a setting
            }

            AddValue(property.GetValue(owner), property.PropertyType, prefix + ":" + property.Name, flat, depth);
        }
    }

    private static void AddValue(object? value, Type type, string key, List<(string, string?)> flat, int depth)
    {
        if (StrictConfiguration.IsScalar(type))
        {
            flat.Add((key, TunableSetting.Format(value)));
            return;
        }

        if (value is null || depth >= MaxDepth)
        {
            return;
        }

        if (!IsOptionsValue(value))
        {
            return; // a computed helper (an address, a path object): not a configuration key
        }

        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                AddValue(entry.Value, entry.Value?.GetType() ?? typeof(string), $"{key}:{entry.Key}", flat, depth + 1);
            }

            return;
        }

        if (value is IEnumerable items and not string)
        {
            int index = 0;
            foreach (object? item in items)
            {
                AddValue(item, item?.GetType() ?? typeof(string), $"{key}:{index++}", flat, depth + 1);
            }

            return;
        }

        Flatten(value, key, flat, depth + 1);
    }

    // Options classes and collections of them live in IolaEdge's own namespaces.
    private static bool IsOptionsValue(object value)
    {
        Type type = value.GetType();
        if (type.IsArray)
        {
            type = type.GetElementType()!;
        }
        else if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            type = type.GetGenericArguments()[^1];
        }

        return StrictConfiguration.IsScalar(type) || (type.Namespace?.StartsWith("IolaEdge", StringComparison.Ordinal) ?? false);
    }
}
