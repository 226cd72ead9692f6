using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NecroCode.AgentRunner.DependencyInjection;
using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>Registers the runner (<see cref="IAgentRunner"/>), its built-in steps and what they share, each only once.</summary>
internal static class OrchestrationServices
{
    /// <summary>Adds the orchestration services that are not registered yet.</summary>
    /// <param name="services">The service collection.</param>
    public static void TryAddTo(IServiceCollection services)
    {
        services.TryAddSingleton<StepRunner>();
        services.TryAddSingleton<PlaybookRun>();
        services.TryAddSingleton<CommandStep>();
        services.TryAddSingleton<AgentAttempt>();
        services.TryAddSingleton<TestBaseline>();
        services.TryAddSingleton<TestJudge>();
        services.TryAddSingleton<Budgets.BudgetResolver>();
        services.TryAddSingleton<DependencyResults>();
        services.TryAddSingleton<ChangeCheck>();
        services.TryAddSingleton<TaskEventWriter>();
        services.TryAddSingleton<BranchOwnership>();
        services.TryAddSingleton<TaskCheck>();
        services.TryAddSingleton<BranchResolver>();
        services.TryAddSingleton<ResumeGuard>();
        services.TryAddSingleton<ArtifactRecorder>();
        services.TryAddSingleton<LeftoverProcesses>();
        services.TryAddSingleton<RunStateFile>();
        BuiltInStepCatalog.AddTo(services);
        services.TryAddSingleton<RunnerOrchestrator>();
        services.TryAddSingleton<IAgentRunner>(sp =>
        {
            CompositionCheck.ThrowIfIncomplete(sp);
            return sp.GetRequiredService<RunnerOrchestrator>();
        });
    }
}
