using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Budgets;
using NecroCode.AgentRunner.Concurrency;
using NecroCode.AgentRunner.Configuration;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Health;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Prompts;
using NecroCode.AgentRunner.Sandboxing;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.TestExecution;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composes a runner whose options come from an <see cref="IConfiguration"/> section, the .NET way.</summary>
public static class ConfigurationAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Adds the runner as <see cref="AgentRunnerServiceCollectionExtensions.AddAgentRunner(IServiceCollection, Action{AgentRunnerOptions}?)"/>
    /// does, with every options class of the core bound from a sub-section of <paramref name="configuration"/>
    /// (<c>Runner</c>, <c>FileSystem</c>, <c>Agent</c>, <c>Prompt</c>, <c>Processes</c>, <c>Tests</c>, <c>Masking</c>,
    /// <c>Policy</c>, <c>Budgets</c>, <c>Concurrency</c>, <c>Credentials</c>, <c>Health</c>); each provider's <c>UseX()</c> called on the
    /// returned builder binds its own sub-section (<c>Git</c>, <c>Kiro</c>, <c>PostgreSql</c>, …) the same way. When the
    /// options are first read (at host start), a key of the section that no bound options class answers to is refused,
    /// naming its path and the nearest known key, and every validation message names the setting's path
    /// (<c>NecroCode:Git:PushAttempts</c>). docs/configuration.md lists every key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The runner's section (<c>configuration.GetSection("NecroCode")</c>); given a configuration root, its <c>NecroCode</c> section is used.</param>
    /// <param name="configure">Sets the runner's options after the section is bound; optional.</param>
    /// <returns>The builder, for provider packages' <c>UseX()</c> methods.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IAgentRunnerBuilder AddAgentRunner(this IServiceCollection services, IConfiguration configuration, Action<AgentRunnerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(RunnerConfiguration)))
        {
            throw new InvalidOperationException("AddAgentRunner was given a configuration section already; a service collection composes one runner.");
        }

        services.AddSingleton(new RunnerConfiguration(configuration));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentRunnerOptions>, UnknownSettingsValidator>());
        var builder = new NecroCode.AgentRunner.DependencyInjection.AgentRunnerBuilder(services);
        builder.BindConfiguration<AgentRunnerOptions>(AgentRunnerOptions.SectionName)
            .BindConfiguration<FileSystemOptions>(FileSystemOptions.SectionName)
            .BindConfiguration<CommandAgentOptions>(CommandAgentOptions.SectionName)
            .BindConfiguration<PromptOptions>(PromptOptions.SectionName)
            .BindConfiguration<ProcessRunnerOptions>(ProcessRunnerOptions.SectionName)
            .BindConfiguration<SandboxOptions>(SandboxOptions.SectionName)
            .BindConfiguration<TestRunnerOptions>(TestRunnerOptions.SectionName)
            .BindConfiguration<SecretMaskerOptions>(SecretMaskerOptions.SectionName)
            .BindConfiguration<ChangePolicyOptions>(ChangePolicyOptions.SectionName)
            .BindConfiguration<BudgetOptions>(BudgetOptions.SectionName)
            .BindConfiguration<ConcurrencyOptions>(ConcurrencyOptions.SectionName)
            .BindConfiguration<CredentialOptions>(CredentialOptions.SectionName)
            .BindConfiguration<AgentRunnerHealthCheckOptions>(AgentRunnerHealthCheckOptions.SectionName);
        return services.AddAgentRunner(configure);
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from a sub-section of the configuration the runner was composed from
    /// (<see cref="AddAgentRunner(IServiceCollection, IConfiguration, Action{AgentRunnerOptions}?)"/>), makes its keys
    /// known to the unknown-key check and names its validation failures by configuration path. Does nothing when the
    /// runner was composed without a configuration. For provider packages: call it in <c>UseX()</c> before applying the
    /// caller's own <c>configure</c> delegate, so that the delegate wins.
    /// </summary>
    /// <typeparam name="TOptions">The options class.</typeparam>
    /// <param name="builder">The runner builder.</param>
    /// <param name="sectionName">The options' conventional section, e.g. <c>NecroCode:Git</c>: its first segment stands for the runner's section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="sectionName"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sectionName"/> does not name a section below the runner's (<c>NecroCode:X</c>).</exception>
    public static IAgentRunnerBuilder BindConfiguration<TOptions>(this IAgentRunnerBuilder builder, string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sectionName);
        var binding = new OptionsSectionBinding(sectionName, typeof(TOptions));
        if (binding.Relative.Length == 0)
        {
            throw new ArgumentException($"'{sectionName}' does not name a section below the runner's; use the form {OptionsSectionBinding.RootSection}:Name.", nameof(sectionName));
        }

        var services = builder.Services;
        if (services.LastOrDefault(d => d.ServiceType == typeof(RunnerConfiguration))?.ImplementationInstance is not RunnerConfiguration configuration
            || services.Any(d => d.ServiceType == typeof(OptionsSectionBinding) && Equals(d.ImplementationInstance, binding)))
        {
            return builder;
        }

        services.AddSingleton(binding);
        services.AddOptions<TOptions>().Bind(configuration.Section.GetSection(binding.Relative));
        services.TryAddTransient<IOptionsFactory<TOptions>, SettingPathOptionsFactory<TOptions>>();
        return builder;
    }
}
