using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    private static partial class Log
    {
        [LoggerMessage(3000, LogLevel.Debug, "Preparing workspace {Path} for branch {Branch}")]
        public static partial void PrepareStarted(ILogger logger, string path, string branch);

        [LoggerMessage(3001, LogLevel.Information, "Workspace {Path} is on {Branch} at {BaseCommit} after {ElapsedMs} ms")]
        public static partial void Prepared(ILogger logger, string path, string branch, string baseCommit, double elapsedMs);

        [LoggerMessage(3002, LogLevel.Warning, "Slot recovery: {Action}")]
        public static partial void RecoveryAction(ILogger logger, string action);

        [LoggerMessage(3003, LogLevel.Warning, "git {Operation} attempt {Attempt} failed; retrying in {DelayMs} ms: {Error}")]
        public static partial void RetryScheduled(ILogger logger, string operation, int attempt, double delayMs, string error);

        [LoggerMessage(3004, LogLevel.Information, "Pushed {Branch} at {CommitId} after {Attempts} attempt(s)")]
        public static partial void Pushed(ILogger logger, string branch, string commitId, int attempts);

        [LoggerMessage(3005, LogLevel.Error, "Push of {Branch} failed after {Attempts} attempt(s): {Error}")]
        public static partial void PushFailed(ILogger logger, string branch, int attempts, string error);

        [LoggerMessage(3006, LogLevel.Information, "Committed {CommitId} on {Branch} in {Path}")]
        public static partial void Committed(ILogger logger, string path, string branch, string commitId);

        [LoggerMessage(3007, LogLevel.Information, "Rolled back {Path} to {Commit}")]
        public static partial void RolledBack(ILogger logger, string path, string commit);

        [LoggerMessage(3008, LogLevel.Debug, "Captured a diff of {Count} change(s) in {Path} in {ElapsedMs} ms")]
        public static partial void DiffCaptured(ILogger logger, string path, int count, double elapsedMs);

        [LoggerMessage(3100, LogLevel.Information, "Resumed {Branch} in {Path} at {Commit} (base {BaseCommit})")]
        public static partial void Resumed(ILogger logger, string path, string branch, string commit, string baseCommit);

        [LoggerMessage(3101, LogLevel.Warning, "Re-run: replacing the remote branch {Branch} at {RemoteCommit} ({Count} commit(s), all by the runner) with {CommitId}")]
        public static partial void ReplacingRemoteBranch(ILogger logger, string branch, string remoteCommit, int count, string commitId);

        [LoggerMessage(3102, LogLevel.Error, "Re-run: refused to replace the remote branch {Branch}: {Reason}")]
        public static partial void ReplaceRefused(ILogger logger, string branch, string reason);

        [LoggerMessage(3103, LogLevel.Information, "Stacked {Branch} in {Path} on {BaseBranch} at {BaseCommit}")]
        public static partial void StackedOn(ILogger logger, string path, string branch, string baseBranch, string baseCommit);

        [LoggerMessage(3110, LogLevel.Warning, "The agent committed or moved HEAD in {Path}: folded {Count} commit(s) of {AgentBranch} at {AgentCommit} into the runner's commit on {Branch} at base {BaseCommit}")]
        public static partial void FoldedAgentCommits(ILogger logger, string path, string branch, int count, string agentBranch, string agentCommit, string baseCommit);

        [LoggerMessage(3111, LogLevel.Warning, "Deleted the ref {Ref} the agent created or moved in {Path}")]
        public static partial void DeletedAgentRef(ILogger logger, string path, string @ref);

        [LoggerMessage(3120, LogLevel.Information, "The slot {Path} is empty: starting it as a repository of {Url}")]
        public static partial void StartingEmptySlot(ILogger logger, string path, string url);

        [LoggerMessage(3121, LogLevel.Warning, "The empty slot {Path} belongs to another user: it is added to safe.directory of the runner's global git configuration")]
        public static partial void TrustingSlot(ILogger logger, string path);
    }
}
