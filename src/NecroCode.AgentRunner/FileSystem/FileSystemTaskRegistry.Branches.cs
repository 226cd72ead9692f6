using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace NecroCode.AgentRunner.FileSystem;

// Branch claims: branch-claims/<sha256 of the lower-cased name>.json holds the owner of a branch, written once.
public sealed partial class FileSystemTaskRegistry
{
    private static readonly JsonTypeInfo<BranchClaim> BranchInfo = (JsonTypeInfo<BranchClaim>)AgentRunnerJson.Options.GetTypeInfo(typeof(BranchClaim));

    /// <inheritdoc />
    /// <remarks>
    /// Decided under the branch's exclusive lock (<c>branch-claims/&lt;hash&gt;.lock</c>, apart from the branch locks in <c>branches/</c> that a push holds while it claims); the claim is written atomically
    /// and never changed afterwards, so a branch stays with its first owner.
    /// </remarks>
    /// <exception cref="ArgumentException">The branch name is empty or the runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The claim is corrupt (the message names the file), or the lock could not be taken.</exception>
    public async Task<BranchClaim> TryClaimBranchAsync(string branch, TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        PathSegment.Check(runnerId, "runner id", nameof(runnerId));
        var path = BranchPath(branch);
        using (await LockFileAsync(Path.ChangeExtension(path, ".lock"), cancellationToken).ConfigureAwait(false))
        {
            if (await ReadBranchClaimAsync(branch, path, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            var claim = new BranchClaim(branch, task, runnerId, _timeProvider.GetUtcNow());
            await GuardAsync(path, () => AtomicFile.WriteJsonAsync(path, claim, BranchInfo, cancellationToken)).ConfigureAwait(false);
            Log.BranchClaimed(_logger, branch, task.ToString(), runnerId);
            return claim;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The branch name is empty.</exception>
    /// <exception cref="RegistryException">The claim is corrupt (the message names the file).</exception>
    public Task<BranchClaim?> GetBranchClaimAsync(string branch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        return ReadBranchClaimAsync(branch, BranchPath(branch), cancellationToken);
    }

    private static async Task<BranchClaim?> ReadBranchClaimAsync(string branch, string path, CancellationToken cancellationToken)
    {
        var claim = await GuardAsync(path, () => AtomicFile.ReadJsonAsync(path, BranchInfo, cancellationToken)).ConfigureAwait(false);
        if (claim is not null && !string.Equals(claim.Branch, branch, StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryException($"The file '{path}' does not hold the claim of branch '{branch}'.");
        }

        return claim;
    }

    private string BranchPath(string branch)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(branch.ToLowerInvariant())));
        return Path.Combine(_root, "branch-claims", hash + ".json");
    }
}
