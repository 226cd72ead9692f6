using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Configuration;

/// <summary>
/// Refuses, when the runner's options are first read (at host start with <c>ValidateOnStart</c>), every key in the
/// runner's configuration section that no bound options class answers to — a misspelled key would otherwise be
/// ignored in silence — naming its full path and the nearest known key.
/// </summary>
internal sealed class UnknownSettingsValidator(
    RunnerConfiguration configuration,
    IEnumerable<OptionsSectionBinding> bindings,
    IEnumerable<SettingsKnownElsewhere> elsewhere) : IValidateOptions<AgentRunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentRunnerOptions options)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var schema = SettingsSchema.Create(
            OptionsSectionBinding.RootSection,
            bindings.Select(b => (b.Section, b.OptionsType)).Concat(elsewhere.SelectMany(e => e.Sections)),
            elsewhere.SelectMany(e => e.Keys));
        var failures = new List<string>();
        foreach (var key in configuration.Keys())
        {
            var conventional = OptionsSectionBinding.RootSection + ":" + key;
            if (schema.IsKnown(conventional))
            {
                continue;
            }

            var suggestion = schema.Suggest(conventional) is { } near ? configuration.PathOf(near[(OptionsSectionBinding.RootSection.Length + 1)..]) : null;
            failures.Add($"{configuration.PathOf(key)} is not a setting{(suggestion is null ? "" : $"; did you mean {suggestion}?")}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
