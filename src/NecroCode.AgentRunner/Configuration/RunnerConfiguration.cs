using Microsoft.Extensions.Configuration;

namespace NecroCode.AgentRunner.Configuration;

/// <summary>
/// The configuration section a runner was composed from (<c>AddAgentRunner(configuration)</c>): the options of every
/// package are bound from its sub-sections, and messages name settings by their full path in it.
/// </summary>
internal sealed class RunnerConfiguration
{
    /// <summary>Takes the runner's section; given a configuration root, its <c>NecroCode</c> section.</summary>
    /// <param name="configuration">The section, or a configuration root.</param>
    public RunnerConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Section = configuration as IConfigurationSection ?? configuration.GetSection(OptionsSectionBinding.RootSection);
    }

    /// <summary>The runner's section.</summary>
    public IConfigurationSection Section { get; }

    /// <summary>The full path of a key relative to the runner's section, e.g. <c>NecroCode:Git:PushAttempts</c>.</summary>
    /// <param name="relative">The key below the section, e.g. <c>Git:PushAttempts</c>.</param>
    /// <returns>The full path.</returns>
    public string PathOf(string relative) =>
        relative.Length == 0 ? Section.Path : string.IsNullOrEmpty(Section.Path) ? relative : Section.Path + ":" + relative;

    /// <summary>Every key below the section that holds a value, relative to it.</summary>
    /// <returns>The keys, e.g. <c>Git:PushAttempts</c>.</returns>
    public IEnumerable<string> Keys() => KeysBelow(Section, "");

    private static IEnumerable<string> KeysBelow(IConfigurationSection section, string prefix)
    {
        foreach (var child in section.GetChildren())
        {
            var key = prefix.Length == 0 ? child.Key : prefix + ":" + child.Key;
            if (child.Value is not null)
            {
                yield return key;
            }

            foreach (var below in KeysBelow(child, key))
            {
                yield return below;
            }
        }
    }
}
