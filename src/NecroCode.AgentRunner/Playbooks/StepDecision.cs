namespace NecroCode.AgentRunner.Playbooks;

/// <summary>What to do with a playbook step at its turn (see <see cref="PlaybookStep.Decide"/>).</summary>
internal enum StepDecision
{
    /// <summary>Run the step.</summary>
    Run,

    /// <summary>Its condition is false: run its <see cref="PlaybookStep.Else"/> steps instead, and record the step as skipped.</summary>
    RunElse,

    /// <summary>Skip the step (condition false without else steps, or an earlier step failed).</summary>
    Skip,
}
