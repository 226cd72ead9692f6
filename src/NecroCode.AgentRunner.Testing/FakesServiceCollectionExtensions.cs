using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the fakes of every provider role, for code that takes the roles from a service provider.</summary>
public static class FakesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the fakes of <paramref name="fakes"/> as singletons, each in place of any earlier registration of
    /// its role (<see cref="ITaskRegistry"/>, <see cref="ITaskQueue"/>, <see cref="ISlotPool"/>, <see cref="IArtifactStore"/>,
    /// <see cref="IWorkspaceManager"/>, <see cref="ICodingAgent"/>, <see cref="ITestRunner"/>,
    /// <see cref="IBranchLock"/>, <see cref="IRunConcurrencyLimiter"/>, <see cref="IProcessRunner"/>,
    /// <see cref="ISecretMasker"/>, <see cref="IPromptBuilder"/>) and under its own class; the set itself
    /// resolves as <see cref="AgentRunnerFakes"/>. With <c>AddAgentRunner()</c>, use
    /// <see cref="FakesAgentRunnerBuilderExtensions.UseFakes"/> instead.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="fakes">The fakes to use; a new set when null.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddAgentRunnerFakes(this IServiceCollection services, AgentRunnerFakes? fakes = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        (fakes ?? new AgentRunnerFakes()).Register(services);
        return services;
    }
}
