namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// Whether a success a run out of process reported is believed: one result line, its own registry showing the task
/// Done, a valid branch, commit and push that agree (and match the task's branch), and, when pushes are verified,
/// the remote's confirmation.
/// </summary>
internal static class ReportedSuccess
{
    /// <summary>
    /// Starts the remote's confirmation of a reported push when there is a verifier and the report names a slot, a valid
    /// branch, commit and remote; null otherwise (<see cref="RefusalAsync"/> then says why).
    /// </summary>
    public static Task<RemotePushCheck>? StartRemoteCheck(RemotePushVerifier? verifier, TaskContext task, RunnerResult result, CancellationToken cancellationToken)
    {
        if (verifier is null || string.IsNullOrEmpty(task.SlotPath)
            || result.Branch is not { } branch || !GitRefName.IsValidBranchName(branch) || result.CommitId is not { } commit || !IsCommitId(commit)
            || result.Push is not { } push || !IsRemoteName(push.Remote))
        {
            return null;
        }

        return verifier.VerifyAsync(task.SlotPath, push.Remote, branch, commit, cancellationToken);
    }

    /// <summary>Why a reported success is not believed, or null when the run's registry and (when asked) the remote confirm it.</summary>
    public static async Task<string?> RefusalAsync(
        TaskContext task, int resultLines, RunnerResult result, InnerRegistry inner, Task<RemotePushCheck>? remoteCheck, bool verifyPush, string verifyPushSetting)
    {
        if (resultLines != 1)
        {
            return $"its output held {resultLines} result lines where the runner writes one, so it was forged";
        }

        if (inner.Problem is { } problem)
        {
            return problem;
        }

        if (inner.Record?.State != TaskState.Done || !inner.Events.Any(e => e.Type == TaskEventTypes.TaskCompleted))
        {
            return "the registry it wrote does not show the task Done";
        }

        if (result.Branch is not { } branch || !GitRefName.IsValidBranchName(branch) || result.CommitId is not { } commit || !IsCommitId(commit))
        {
            return "it named no valid branch and commit";
        }

        if (task.BranchName is { Length: > 0 } expected && !string.Equals(expected, branch, StringComparison.Ordinal))
        {
            return $"it named the branch '{branch}', not the task's '{expected}'";
        }

        if (result.Push is not { Succeeded: true } push || push.Branch != branch || !string.Equals(push.CommitId, commit, StringComparison.OrdinalIgnoreCase))
        {
            return "its push result does not match its branch and commit";
        }

        if (!verifyPush)
        {
            return null;
        }

        if (string.IsNullOrEmpty(task.SlotPath))
        {
            return $"the host has no slot of the task to ask the remote from (set {verifyPushSetting} to false to trust the container's report)";
        }

        if (!IsRemoteName(push.Remote))
        {
            return $"it named the remote '{push.Remote}', which is not a remote name";
        }

        return remoteCheck is null ? "the remote was not asked" : (await remoteCheck.ConfigureAwait(false)).Refusal;
    }

    /// <summary>The run's runner id when it is a plain name; <paramref name="hostRunnerId"/> otherwise.</summary>
    public static string SafeRunnerId(string? reported, string hostRunnerId) =>
        reported is { Length: > 0 and <= 128 } id && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? id : hostRunnerId;

    private static bool IsCommitId(string value) =>
        value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);

    private static bool IsRemoteName(string value) =>
        value.Length is > 0 and <= 100 && value[0] != '-' && value[0] != '.' && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
