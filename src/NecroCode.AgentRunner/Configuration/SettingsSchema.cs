using System.ComponentModel;
using System.Reflection;

namespace NecroCode.AgentRunner.Configuration;

/// <summary>
/// The keys understood under one root section (<c>NecroCode</c>), derived from the options classes bound below it
/// and further plain keys: each public property the configuration binder can set (or fill, for a collection or
/// nested object), recursively. A dictionary or list takes any child key or index. The library's unknown-key check
/// and the command-line host's both ask it, so they cannot disagree.
/// </summary>
internal sealed class SettingsSchema
{
    private const string AnyChild = "*";

    private readonly Node _root = new();
    private readonly string _rootSection;

    private SettingsSchema(string rootSection) => _rootSection = rootSection;

    /// <summary>Every known key, as a full path; <c>*</c> stands for any dictionary key or list index.</summary>
    public IReadOnlyList<string> Keys => [.. Paths(_root, _rootSection)];

    /// <summary>Builds the known keys from options classes and the sections they bind from, and further plain keys.</summary>
    /// <param name="rootSection">The root section's name, e.g. <c>NecroCode</c>; section paths start with it.</param>
    /// <param name="bindings">The options classes and the sections they bind from, e.g. <c>NecroCode:Git</c>.</param>
    /// <param name="plainKeys">Further keys, relative to the root section, e.g. <c>Logging:Level</c>.</param>
    /// <returns>The known keys.</returns>
    public static SettingsSchema Create(string rootSection, IEnumerable<(string Section, Type OptionsType)> bindings, IEnumerable<string> plainKeys)
    {
        var known = new SettingsSchema(rootSection);
        foreach (var (section, optionsType) in bindings)
        {
            var node = known.NodeAt(known.Relative(section));
            Describe(optionsType, node, []);
        }

        foreach (var key in plainKeys)
        {
            known.NodeAt(key.Split(':'));
        }

        return known;
    }

    /// <summary>Whether <paramref name="key"/> (a full configuration path) is known; keys outside the root section always are.</summary>
    /// <param name="key">The key, e.g. <c>NecroCode:Runner:MainBranch</c>.</param>
    /// <returns>False when the key lies under the root section and names no setting or section bound there.</returns>
    public bool IsKnown(string key)
    {
        var segments = key.Split(':');
        if (!string.Equals(segments[0], _rootSection, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var node = _root;
        foreach (var segment in segments.Skip(1))
        {
            if (node.Children.TryGetValue(segment, out var child))
            {
                node = child;
            }
            else if (node.Any is { } any)
            {
                node = any;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The known key nearest to an unknown one (edit distance, ignoring case), when one is close.</summary>
    /// <param name="key">The unknown key, a full path.</param>
    /// <returns>The suggestion, or null when no known key is close enough.</returns>
    public string? Suggest(string key)
    {
        var segments = key.Split(':');
        var limit = Math.Max(2, key.Length / 6);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var pattern in Paths(_root, _rootSection))
        {
            var parts = pattern.Split(':');
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i] == AnyChild && i < segments.Length)
                {
                    parts[i] = segments[i];
                }
            }

            var candidate = string.Join(':', parts);
            var distance = EditDistance.Between(key, candidate, limit);
            if (distance <= limit && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0)))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private string[] Relative(string section)
    {
        var segments = section.Split(':');
        return string.Equals(segments[0], _rootSection, StringComparison.OrdinalIgnoreCase)
            ? segments[1..]
            : throw new ArgumentException($"The section '{section}' is not under {_rootSection}.", nameof(section));
    }

    private Node NodeAt(IEnumerable<string> segments)
    {
        var node = _root;
        foreach (var segment in segments)
        {
            if (!node.Children.TryGetValue(segment, out var child))
            {
                child = new Node();
                node.Children.Add(segment, child);
            }

            node = child;
        }

        return node;
    }

    /// <summary>Adds what the configuration binder accepts below a value of <paramref name="type"/> to <paramref name="node"/>.</summary>
    private static void Describe(Type type, Node node, HashSet<Type> enclosing)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type) || !enclosing.Add(type))
        {
            return;
        }

        if (ElementType(type) is { } element)
        {
            node.Any ??= new Node();
            Describe(element, node.Any, enclosing);
        }
        else
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0
                    && (property.SetMethod is { IsPublic: true } || !IsScalar(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType)))
                {
                    if (!node.Children.TryGetValue(property.Name, out var child))
                    {
                        child = new Node();
                        node.Children.Add(property.Name, child);
                    }

                    Describe(property.PropertyType, child, enclosing);
                }
            }
        }

        enclosing.Remove(type);
    }

    /// <summary>A value the binder converts from one string: primitives, enums, strings and anything with a string type converter.</summary>
    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(object)
        || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    /// <summary>The value type of a dictionary or the element type of an array or collection; null for other types.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var interfaces = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        var generic = interfaces.Where(i => i.IsGenericType).ToList();
        var dictionary = generic.FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }

        return generic.FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static IEnumerable<string> Paths(Node node, string path)
    {
        if (node.Children.Count == 0 && node.Any is null)
        {
            yield return path;
        }

        foreach (var (name, child) in node.Children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var leaf in Paths(child, path + ":" + name))
            {
                yield return leaf;
            }
        }

        if (node.Any is { } any)
        {
            foreach (var leaf in Paths(any, path + ":" + AnyChild))
            {
                yield return leaf;
            }
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Node? Any { get; set; }
    }
}
