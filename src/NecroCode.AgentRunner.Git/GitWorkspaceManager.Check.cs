namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <inheritdoc />
    /// <remarks>The same check as the push's (<see cref="GitOptions.ProtectedBranches"/> and the main branch, ignoring letter case), made before anything runs.</remarks>
    public string? CheckTaskBranch(string branch)
    {
        try
        {
            _guard.EnsurePushable(branch);
            return null;
        }
        catch (PushRefusedException ex)
        {
            return ex.Reason;
        }
    }
}
