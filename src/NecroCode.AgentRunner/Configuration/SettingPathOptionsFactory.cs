using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Configuration;

/// <summary>
/// Creates <typeparamref name="TOptions"/> as the default factory does, and names each validation failure by the
/// setting's configuration path (<c>NecroCode:Git:PushAttempts</c>) instead of the class member
/// (<c>GitOptions.PushAttempts</c>), so a message points at the line to fix in the settings.
/// </summary>
/// <typeparam name="TOptions">The options class, bound from the runner's configuration.</typeparam>
internal sealed class SettingPathOptionsFactory<TOptions>(
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations,
    RunnerConfiguration configuration,
    IEnumerable<OptionsSectionBinding> bindings) : IOptionsFactory<TOptions>
    where TOptions : class
{
    private readonly OptionsFactory<TOptions> _inner = new(setups, postConfigures, validations);

    public TOptions Create(string name)
    {
        try
        {
            return _inner.Create(name);
        }
        catch (OptionsValidationException ex) when (bindings.FirstOrDefault(b => b.OptionsType == typeof(TOptions)) is { } binding)
        {
            var path = configuration.PathOf(binding.Relative);
            throw new OptionsValidationException(ex.OptionsName, ex.OptionsType, [.. ex.Failures.Select(f => SettingPaths.Rewrite(f, typeof(TOptions).Name, path))]);
        }
    }
}
