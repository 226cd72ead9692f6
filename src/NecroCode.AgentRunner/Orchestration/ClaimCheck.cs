namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Asks the registry, right before a side effect others see (a push, the task's final state), whether the run still
/// holds its task; a run that no longer does loses its claim (<see cref="RunContext.LoseClaim"/>) and makes no such
/// effect — a paused runner whose lease ran out, or a run whose task was handed back or taken over.
/// </summary>
internal static class ClaimCheck
{
    /// <summary>Says why the run no longer holds its task (and stops the run), or null while it holds it.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="context">The run.</param>
    /// <param name="consequence">What was therefore not done, for the message (e.g. <c>branch x was not pushed</c>).</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>The reason, or null.</returns>
    public static async Task<string?> LostAsync(ITaskRegistry registry, RunContext context, string consequence, CancellationToken cancellationToken)
    {
        if (context.ClaimLost is { } lost)
        {
            return lost;
        }

        if (!context.Claimed)
        {
            return null;
        }

        var current = await registry.RenewClaimAsync(context.Key, context.RunnerId, cancellationToken).ConfigureAwait(false);
        if (current.Claimed)
        {
            return null;
        }

        var why = current.HeldBy is { } holder ? $"runner {holder} holds it now" : "its claim lapsed, or the task was handed back";
        context.LoseClaim($"Runner {context.RunnerId} no longer holds task {context.Key} ({why}); {consequence}. This run stopped and wrote nothing more.");
        return context.ClaimLost;
    }
}
