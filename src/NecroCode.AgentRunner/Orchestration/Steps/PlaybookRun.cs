using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Runs a run's playbook (the built-in pipeline unless the task or the options name another): built-in steps from the
/// catalogue, command steps through <see cref="CommandStep"/>, each through the <see cref="StepRunner"/>, with the
/// playbook's conditions, else steps, continue-on-error, step timeouts and always-steps. Whatever the playbook says,
/// the task is reported and the slot released before the run ends.
/// </summary>
internal sealed class PlaybookRun
{
    private readonly StepRunner _runner;
    private readonly CommandStep _commands;
    private readonly ISecretMasker _masker;
    private readonly Dictionary<string, IRunStep> _builtIns;

    /// <summary>Creates the playbook loop over the registered built-in steps.</summary>
    /// <param name="steps">The registered built-in steps: exactly one for each step of <see cref="BuiltInStepCatalog"/>.</param>
    /// <param name="runner">Runs each step.</param>
    /// <param name="commands">Runs command steps.</param>
    /// <param name="masker">Masks the reasons of steps that did not run.</param>
    /// <exception cref="InvalidOperationException">A built-in step of the catalogue has no registered implementation.</exception>
    public PlaybookRun(IEnumerable<IRunStep> steps, StepRunner runner, CommandStep commands, ISecretMasker masker)
    {
        _runner = runner;
        _commands = commands;
        _masker = masker;
        _builtIns = steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (BuiltInStepCatalog.All.FirstOrDefault(d => !_builtIns.ContainsKey(d.Name)) is { } missing)
        {
            throw new InvalidOperationException($"The built-in step '{missing.Name}' has no registered implementation ({missing.Implementation.Name}).");
        }
    }

    /// <summary>Runs the playbook of <paramref name="context"/> within its budget.</summary>
    /// <param name="context">The run (its budget is set).</param>
    /// <returns>A task that completes when every step has run or been skipped, and the closing steps have run.</returns>
    public async Task RunAsync(RunContext context)
    {
        var budget = context.Budget!;
        var conditions = new ConditionContext(context.Task, context.Playbook.Variables);
        if (context.Failed)
        {
            conditions.MarkFailed();
        }

        await PlaybookExecutor.RunAsync(
            context.Playbook,
            conditions,
            async (step, _) =>
            {
                var outcome = await RunStepAsync(context, step).ConfigureAwait(false);
                if (step.Uses == PlaybookBuiltInSteps.PrepareWorkspace && context.Workspace is { } workspace)
                {
                    conditions.WorkspacePath = workspace.Path;
                }

                return outcome;
            },
            (step, outcome, reason) =>
            {
                context.Steps.Add(new StepResult(step.Name, outcome, TimeSpan.Zero, _masker.Apply(reason)));
                if (outcome == StepOutcome.Failed && !step.ContinueOnError)
                {
                    context.Fail(RunOutcome.StepFailed, step.Name, _masker.Apply(reason));
                }
            },
            budget.Token).ConfigureAwait(false);

        // A custom playbook may leave out the closing steps; the invariants hold all the same.
        if (context.Claimed && !context.Reported)
        {
            await RunClosingAsync(context, PlaybookBuiltInSteps.Report).ConfigureAwait(false);
        }

        if ((context.Lease is not null && !context.Released) || (context.Registered && !context.Unregistered))
        {
            await RunClosingAsync(context, PlaybookBuiltInSteps.ReleaseSlot).ConfigureAwait(false);
        }
    }

    private async Task RunClosingAsync(RunContext context, string name)
    {
        using var budget = context.Budget!.Cleanup();
        await _runner.RunAsync(context, _builtIns[name], name, budget).ConfigureAwait(false);
    }

    private async Task<StepOutcome> RunStepAsync(RunContext context, PlaybookStep step)
    {
        // A command step's timeout limits each attempt (the command runner enforces it), so that its retries still
        // run; a built-in step has no retries and its timeout limits the whole step.
        using var budget = context.Budget!.ForStep(step.Always, step.IsBuiltIn ? step.Timeout : null);
        context.ContinueOnError = step.ContinueOnError;
        try
        {
            return step.Uses is { } uses
                ? await _runner.RunAsync(context, _builtIns[uses], step.Name, budget).ConfigureAwait(false)
                : await _runner.RunAsync(context, step.Name, budget, (ctx, token) => _commands.RunAsync(ctx, step, token)).ConfigureAwait(false);
        }
        finally
        {
            context.ContinueOnError = false;
        }
    }
}
