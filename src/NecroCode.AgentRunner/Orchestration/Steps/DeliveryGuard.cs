namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>Commit and push only follow a passing test run of this run, whatever the playbook says.</summary>
internal static class DeliveryGuard
{
    /// <summary>Null when this run's tests passed; else the verdict that refuses <paramref name="step"/> (even inside a continue-on-error step).</summary>
    /// <param name="context">The run.</param>
    /// <param name="step">The step that would commit or push.</param>
    /// <returns>The refusal, or null.</returns>
    public static StepVerdict? RefuseUntested(RunContext context, string step)
    {
        if (context.TestsPassed)
        {
            return null;
        }

        var why = context.Tests is null ? "the test step has not run" : $"the tests did not pass ({context.Tests.Outcome.ToString().ToLowerInvariant()})";
        var message = $"Step {step} refused: {why}; a change is committed and pushed only after this run's test step passed.";
        if (context.Failed)
        {
            context.Events.Publish(new RunWarning(step, message));
        }

        return StepVerdict.Fail(context.Tests is null ? RunOutcome.Refused : RunOutcome.TestsFailed, step, message, always: true);
    }
}
