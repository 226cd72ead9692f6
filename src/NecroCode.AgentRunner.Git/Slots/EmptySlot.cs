using LibGit2Sharp;

namespace NecroCode.AgentRunner.Git.Slots;

/// <summary>
/// Turns an empty slot (a new folder of a pool that grows itself, a Kubernetes pod's empty volume) into a repository
/// whose remote is the configured origin; the prepare step that follows fetches the main branch into it with the
/// runner's credentials, as for any slot. A slot that holds anything is left as it is.
/// </summary>
internal static class EmptySlot
{
    /// <summary>Initialises <paramref name="path"/> when it is missing or empty.</summary>
    /// <param name="path">The slot's folder.</param>
    /// <param name="origin">The repository new slots come from (<see cref="GitOptions.Origin"/>); null when none is set.</param>
    /// <param name="remote">The remote's name (<see cref="AgentRunnerOptions.Remote"/>).</param>
    /// <returns>True when the slot was initialised; false when it already held something.</returns>
    /// <exception cref="WorkspaceException">The slot is empty and no origin is set, or the repository could not be created.</exception>
    public static bool InitializeIfEmpty(string path, string? origin, string remote)
    {
        if (string.IsNullOrEmpty(path) || (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any()))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(origin))
        {
            throw new WorkspaceException(
                $"The workspace '{path}' {(Directory.Exists(path) ? "is empty and not a git repository" : "does not exist")}: set {GitOptions.SectionName}:{nameof(GitOptions.Origin)} to the repository's URL so that empty slots are initialised from it, or clone the repository into it.");
        }

        try
        {
            Directory.CreateDirectory(path);
            Repository.Init(path);
            using var repository = new Repository(path);
            repository.Network.Remotes.Add(remote, origin);
            return true;
        }
        catch (Exception ex) when (ex is LibGit2SharpException or IOException or UnauthorizedAccessException)
        {
            throw new WorkspaceException($"The empty workspace '{path}' could not be initialised from '{GitErrors.Mask(origin)}': {GitErrors.Mask(ex.Message)}", ex);
        }
    }
}
