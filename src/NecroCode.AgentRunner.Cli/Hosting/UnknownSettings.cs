using System.Text;
using NecroCode.AgentRunner.Configuration;
using Microsoft.Extensions.Configuration;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>
/// Finds keys under <c>NecroCode</c> that no setting answers to (a misspelled key would otherwise be
/// silently ignored), in every configuration source, and describes them all at once.
/// </summary>
internal static class UnknownSettings
{
    /// <summary>Throws when any source holds an unknown key under <c>NecroCode</c>.</summary>
    /// <param name="configuration">The built configuration.</param>
    /// <param name="sources">Where each of its providers' keys come from, in provider order.</param>
    /// <param name="known">The known keys.</param>
    /// <exception cref="HostConfigurationException">Some key is unknown; the message lists each with its source and the nearest known key.</exception>
    public static void ThrowIfAny(IConfigurationRoot configuration, IReadOnlyList<SettingsSource> sources, SettingsSchema known)
    {
        var lines = new List<string>();
        var providers = configuration.Providers.ToList();
        for (var i = 0; i < providers.Count; i++)
        {
            var source = i < sources.Count ? sources[i] : SettingsSource.BuiltIn;
            var provider = providers[i];
            var roots = provider.GetChildKeys([], null).Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(k => string.Equals(k, RunnerHost.RootSection, StringComparison.OrdinalIgnoreCase));
            foreach (var key in roots.SelectMany(root => KeysOf(provider, root)).Where(k => !known.IsKnown(k)))
            {
                var suggestion = known.Suggest(key);
                lines.Add($"  {key} ({source.Describe(key)}){(suggestion is null ? "" : $": did you mean {suggestion}?")}");
            }
        }

        if (lines.Count == 0)
        {
            return;
        }

        var message = new StringBuilder()
            .Append(lines.Count == 1 ? "Unknown setting" : "Unknown settings")
            .Append(" under ").Append(RunnerHost.RootSection)
            .AppendLine(" (docs/configuration.md lists every key); nothing was run:")
            .AppendJoin(Environment.NewLine, lines);
        throw new HostConfigurationException(message.ToString());
    }

    /// <summary>Every key below <paramref name="parent"/> that a provider holds a value (or an empty section) for.</summary>
    private static IEnumerable<string> KeysOf(IConfigurationProvider provider, string parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = ConfigurationPath.Combine(parent, child);
            if (provider.TryGet(path, out _))
            {
                yield return path;
            }

            foreach (var below in KeysOf(provider, path))
            {
                yield return below;
            }
        }
    }
}
