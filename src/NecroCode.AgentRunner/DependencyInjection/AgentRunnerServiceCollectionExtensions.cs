using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Budgets;
using NecroCode.AgentRunner.Concurrency;
using NecroCode.AgentRunner.DependencyInjection;
using NecroCode.AgentRunner.Execution;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Prompts;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Specs;
using NecroCode.AgentRunner.TestExecution;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composes NecroCode.AgentRunner in a service collection.</summary>
public static class AgentRunnerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runner (<see cref="IAgentRunner"/>) and its embedded defaults — file-system task
    /// registry, slot pool and artifact store, process-based test runner, command agent, secret masker —
    /// each registered only when no other implementation is, so a provider the consumer registered before (or
    /// after) is kept. Add a workspace provider with <c>.UseGit()</c>; each <c>UseX()</c> method replaces its
    /// contract's implementation deliberately.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the runner's options; they are validated when the host starts.</param>
    /// <returns>The builder, for provider packages' <c>UseX()</c> methods.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IAgentRunnerBuilder AddAgentRunner(this IServiceCollection services, Action<AgentRunnerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddOptions<AgentRunnerOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentRunnerOptions>, AgentRunnerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<SecretMaskerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretMaskerOptions>, SecretMaskerOptionsValidator>());
        services.TryAddSingleton<ISecretMasker>(sp => new SecretMasker(sp.GetRequiredService<IOptions<SecretMaskerOptions>>(), sp.GetRequiredService<ILogger<SecretMasker>>()));

        var builder = new AgentRunnerBuilder(services);
        services.AddOptions<ProcessRunnerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProcessRunnerOptions>, ProcessRunnerOptionsValidator>());
        services.TryAddSingleton<IProcessRunner, ProcessRunner>();
        builder.UseSandbox();

        services.AddOptions<TestRunnerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TestRunnerOptions>, TestRunnerOptionsValidator>());
        services.TryAddSingleton<ITestRunner, ProcessTestRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TestRunnerOptions>, TestRunnerOptionsRulesValidator>());
        services.TryAddSingleton<TestResultCollector>();
        services.TryAddSingleton<BaselineCache>();

        services.AddOptions<BudgetOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BudgetOptions>, BudgetOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BudgetOptions>, BudgetOptionsLimitsValidator>());

        services.AddOptions<ChangePolicyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangePolicyOptions>, ChangePolicyOptionsValidator>());
        services.TryAddSingleton<ChangePolicy>();
        services.AddOptions<PromptOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PromptOptions>, PromptOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PromptOptions>, PromptOptionsTemplateValidator>());
        services.TryAddSingleton<IPromptBuilder, DefaultPromptBuilder>();
        services.TryAddSingleton<IWorkspaceManager, MissingWorkspaceManager>();
        services.AddOptions<ConcurrencyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConcurrencyOptions>, ConcurrencyOptionsValidator>());
        services.TryAddSingleton<IRunConcurrencyLimiter, RunConcurrencyLimiter>();
        services.TryAddSingleton<CommandStepRunner>();
        OrchestrationServices.TryAddTo(services);
        services.TryAddSingleton<IExecutionEnvironment, LocalExecutionEnvironment>();
        services.TryAddSingleton<ISpecRunner, SpecRunner>();

        CoreAgentRunnerBuilderExtensions.TryAddFileSystem(services);
        builder.UseCredentials();

        // The command agent is the default agent, but its options are only validated when it is used,
        // so that a host that replaces the agent (UseKiro …) need not configure it.
        services.AddOptions<CommandAgentOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CommandAgentOptions>, CommandAgentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CommandAgentOptions>, CommandAgentOptionsSecretsValidator>());
        services.TryAddSingleton<ICodingAgent, CommandCodingAgent>();
        builder.AddAgentSecrets<CommandAgentOptions>(o => AgentSecretVariables.Names(o.SecretVariables));
        return builder;
    }
}
