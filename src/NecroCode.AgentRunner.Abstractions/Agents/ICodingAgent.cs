namespace NecroCode.AgentRunner;

/// <summary>A coding agent that implements a prompt by editing files in a workspace.</summary>
public interface ICodingAgent
{
    /// <summary>A short name of the agent, e.g. <c>kiro</c> or <c>command</c>.</summary>
    string Name { get; }

    /// <summary>Runs the agent on the request's workspace until it finishes, fails, or is cancelled.</summary>
    /// <param name="request">The task, workspace and prompt.</param>
    /// <param name="cancellationToken">Stops the agent (its whole process tree).</param>
    /// <returns>How the attempt ended; expected failures are results, not exceptions.</returns>
    Task<AgentResult> ImplementAsync(AgentRequest request, CancellationToken cancellationToken);
}
