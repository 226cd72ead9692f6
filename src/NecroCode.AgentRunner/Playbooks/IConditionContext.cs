namespace NecroCode.AgentRunner.Playbooks;

/// <summary>What a playbook condition can see while a run is under way. Environment variables are deliberately absent.</summary>
internal interface IConditionContext
{
    /// <summary>The task being run (<c>task.*</c>).</summary>
    TaskContext Task { get; }

    /// <summary>The playbook's variables (<c>vars.*</c>).</summary>
    IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The workspace that <c>exists()</c> looks in; null before it is prepared (then <c>exists()</c> is false).</summary>
    string? WorkspacePath { get; }

    /// <summary>Whether an earlier step failed the run (<c>failure()</c>; <c>success()</c> is its negation).</summary>
    bool HasFailed { get; }

    /// <summary>How an earlier step ended (<c>steps.&lt;name&gt;.outcome</c>).</summary>
    /// <param name="stepName">The step's name.</param>
    /// <returns>Its outcome, or null when it has not run (yet).</returns>
    StepOutcome? GetStepOutcome(string stepName);
}
