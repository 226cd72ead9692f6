using System.Text;
using System.Text.Json;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Stores the run's artifacts, masked: the diff, the test results, each failed attempt's diff and test results, each
/// attempt's agent output when there were several, and the error log of a failed run. Never under a task this run
/// does not hold.
/// </summary>
internal sealed class UploadArtifactsStep(ArtifactRecorder artifacts, ISecretMasker masker) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.UploadArtifacts;

    /// <inheritdoc />
    public StepVerdict? Check(RunContext context) => context.Claimed ? null : StepVerdict.Skipped;

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Diff is not null)
        {
            await artifacts.StoreAsync(context, ArtifactKind.Diff, RunArtifactNames.Diff, Patch(context.Diff), cancellationToken).ConfigureAwait(false);
        }

        if (context.Tests is not null)
        {
            await artifacts.StoreAsync(context, ArtifactKind.TestResults, RunArtifactNames.TestResults, Json(context.Tests), cancellationToken).ConfigureAwait(false);
        }

        foreach (var attempt in context.FailedAttempts)
        {
            if (attempt.Diff is not null)
            {
                await artifacts.StoreAsync(context, ArtifactKind.Diff, $"diff.attempt-{attempt.Number}.patch", Patch(attempt.Diff), cancellationToken).ConfigureAwait(false);
            }

            await artifacts.StoreAsync(context, ArtifactKind.TestResults, $"test-results.attempt-{attempt.Number}.json", Json(attempt.Tests), cancellationToken).ConfigureAwait(false);
        }

        // With a fix loop, each attempt's agent output gets its own artifact next to that attempt's diff and test results.
        if (context.AgentOutputs.Count > 1)
        {
            foreach (var (attempt, output) in context.AgentOutputs)
            {
                await artifacts.StoreAsync(context, ArtifactKind.RunLog, $"agent-output.attempt-{attempt}.log", Encoding.UTF8.GetBytes(output), cancellationToken).ConfigureAwait(false);
            }
        }

        if (context.Error is { } error)
        {
            var nl = Environment.NewLine;
            var text = $"task: {context.Key}{nl}runner: {context.RunnerId}{nl}outcome: {context.FailureOutcome}{nl}step: {error.Step}{nl}exception: {error.ExceptionType ?? "none"}{nl}{nl}{error.Message}{nl}";
            await artifacts.StoreAsync(context, ArtifactKind.ErrorLog, RunArtifactNames.ErrorLog, Encoding.UTF8.GetBytes(masker.Apply(text)), cancellationToken).ConfigureAwait(false);
        }

        return StepVerdict.Succeeded;
    }

    private byte[] Patch(WorkspaceDiff diff) => Encoding.UTF8.GetBytes(PatchMasking.Mask(diff.Patch, masker));

    private static byte[] Json(TestRunResult tests) => JsonSerializer.SerializeToUtf8Bytes(tests, AgentRunnerJson.Options.GetTypeInfo(typeof(TestRunResult)));
}
