using NecroCode.AgentRunner.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Swaps every provider of an agent runner for its fake.</summary>
public static class FakesAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Replaces the task registry, task queue, slot pool, artifact store, workspace manager, coding agent, test runner, branch
    /// lock, run limiter, process runner, secret masker and prompt builder with the fakes of <paramref name="fakes"/>: in-memory, scripted, and recording what they
    /// were asked. Call it after every other <c>UseX()</c>, which would otherwise replace a fake again.
    /// </summary>
    /// <param name="builder">The builder <c>AddAgentRunner()</c> returned.</param>
    /// <param name="fakes">The fakes to use; a new set when null. Resolve it as <see cref="AgentRunnerFakes"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAgentRunnerBuilder UseFakes(this IAgentRunnerBuilder builder, AgentRunnerFakes? fakes = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        (fakes ?? new AgentRunnerFakes()).Register(builder.Services);
        return builder;
    }
}
