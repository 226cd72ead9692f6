using System.ComponentModel;
using System.Reflection;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>
/// The keys the host understands under <c>NecroCode</c>, derived from the options classes it binds
/// (<see cref="HostBindings"/>) and its own keys (<see cref="HostKeys"/>): each public property the
/// configuration binder can set (or fill, for a collection or nested object), recursively. A dictionary or
/// list takes any child key or index.
/// </summary>
internal sealed class KnownSettings
{
    private const string AnyChild = "*";

    private readonly Node _root = new();

    private KnownSettings()
    {
    }

    /// <summary>The host's known keys.</summary>
    public static KnownSettings ForHost { get; } = Create(HostBindings.All, HostKeys.All);

    /// <summary>Every known key, as a full path; <c>*</c> stands for any dictionary key or list index.</summary>
    public IReadOnlyList<string> Keys => [.. Paths(_root, RunnerHost.RootSection)];

    /// <summary>Builds the known keys from options bindings and further plain keys relative to the root section.</summary>
    /// <param name="bindings">The options classes and the sections they bind from.</param>
    /// <param name="hostKeys">Keys the host reads itself, relative to <c>NecroCode</c>, e.g. <c>Logging:Level</c>.</param>
    /// <returns>The known keys.</returns>
    public static KnownSettings Create(IEnumerable<OptionsBinding> bindings, IEnumerable<string> hostKeys)
    {
        var known = new KnownSettings();
        foreach (var binding in bindings)
        {
            var node = known.NodeAt(Relative(binding.Section));
            Describe(binding.OptionsType, node, []);
        }

        foreach (var key in hostKeys)
        {
            known.NodeAt(key.Split(':'));
        }

        return known;
    }

    /// <summary>Whether <paramref name="key"/> (a full configuration path) is known; keys outside <c>NecroCode</c> always are.</summary>
    /// <param name="key">The key, e.g. <c>NecroCode:Runner:MainBranch</c>.</param>
    /// <returns>False when the key lies under <c>NecroCode</c> and names no setting or section the host binds.</returns>
    public bool IsKnown(string key)
    {
        var segments = key.Split(':');
        if (!string.Equals(segments[0], RunnerHost.RootSection, StringComparison.OrdinalIgnoreCase))
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
        foreach (var pattern in Paths(_root, RunnerHost.RootSection))
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

    private static string[] Relative(string section)
    {
        var segments = section.Split(':');
        return string.Equals(segments[0], RunnerHost.RootSection, StringComparison.OrdinalIgnoreCase)
            ? segments[1..]
            : throw new ArgumentException($"The section '{section}' is not under {RunnerHost.RootSection}.", nameof(section));
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
