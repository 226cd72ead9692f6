using NecroCode.AgentRunner.Policies;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>Checks a run's change against the change policy; a violation fails the run as refused.</summary>
internal sealed class ChangeCheck(ChangePolicy policy)
{
    /// <summary>Checks <see cref="RunContext.Diff"/> of the run's workspace.</summary>
    /// <param name="context">The run (its workspace and diff are set).</param>
    /// <param name="step">The step that checks.</param>
    /// <returns>Null when the change passes; the refusing verdict otherwise.</returns>
    public StepVerdict? Refuse(RunContext context, string step)
    {
        var violations = policy.Check(context.Workspace!.Path, context.Diff!);
        return violations.Count == 0
            ? null
            : StepVerdict.Fail(RunOutcome.Refused, step, $"The change was refused ({violations.Count} problem{(violations.Count == 1 ? "" : "s")}): {string.Join("; ", violations)}");
    }
}
