namespace NecroCode.AgentRunner.DependencyInjection;

/// <summary>Stands in until a workspace provider is added, and says how to add one.</summary>
internal sealed class MissingWorkspaceManager : IWorkspaceManager
{
    internal const string Message = "No workspace provider is registered: call .UseGit() on the builder returned by AddAgentRunner(), or register an IWorkspaceManager.";

    public Task<PreparedWorkspace> PrepareAsync(WorkspaceRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

    public Task<WorkspaceDiff> GetDiffAsync(string path, string baseCommit, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

    public Task<string> CommitAsync(CommitRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

    public Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

    public Task RollbackAsync(string path, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
}
