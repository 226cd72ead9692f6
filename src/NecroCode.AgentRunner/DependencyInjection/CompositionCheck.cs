using Microsoft.Extensions.DependencyInjection;

namespace NecroCode.AgentRunner.DependencyInjection;

/// <summary>
/// Checks, when the runner (<see cref="IAgentRunner"/>, the in-process pipeline) is first resolved, that the
/// composition can carry a task: it needs a workspace provider. Found here, a missing <c>.UseGit()</c> stops the host
/// before any task is claimed, not at the prepare step of the first one. (An execution environment that runs tasks
/// elsewhere never resolves the in-process runner, so it is not asked for one.)
/// </summary>
internal static class CompositionCheck
{
    /// <summary>Throws when the composition lacks a provider a run needs.</summary>
    /// <param name="services">The service provider the runner is resolved from.</param>
    /// <exception cref="InvalidOperationException">A provider is missing; the message says how to add it.</exception>
    public static void ThrowIfIncomplete(IServiceProvider services)
    {
        if (services.GetRequiredService<IWorkspaceManager>() is MissingWorkspaceManager)
        {
            throw new InvalidOperationException(MissingWorkspaceManager.Message);
        }
    }
}
