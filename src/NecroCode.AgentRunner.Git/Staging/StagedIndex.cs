using System.Security.Cryptography;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// The temporary index a diff was taken from (<see cref="GitWorkspaceManager.GetDiffAsync"/> stages every change into
/// one, seeded from the slot's index), kept so that a commit of exactly that diff installs it as the slot's index
/// instead of running <c>git add --all</c> over the working tree again.
/// </summary>
internal sealed class StagedIndex
{
    private readonly byte[] _index;
    private readonly byte[]? _seedHash;
    private readonly DateTime _writtenAt;

    private StagedIndex(WorkspaceDiff diff, byte[] index, byte[]? seedHash, DateTime writtenAt)
    {
        Diff = diff;
        _index = index;
        _seedHash = seedHash;
        _writtenAt = writtenAt;
    }

    /// <summary>The diff taken from this index.</summary>
    public WorkspaceDiff Diff { get; }

    /// <summary>The hash of an index file's content (SHA-256), or null when there is no such file.</summary>
    /// <param name="content">The content, or null for no file.</param>
    /// <returns>The hash, or null.</returns>
    public static byte[]? Hash(byte[]? content) => content is null ? null : SHA256.HashData(content);

    /// <summary>Keeps the temporary index of <paramref name="diff"/>.</summary>
    /// <param name="diff">The diff taken from it.</param>
    /// <param name="temporaryIndex">The temporary index file, after staging.</param>
    /// <param name="seedHash">The hash of the slot's index it was seeded from (<see cref="Hash"/>), null when the slot had none.</param>
    /// <returns>The staged index, or null when it cannot be installed as it is (a split or sparse index, or no file).</returns>
    public static StagedIndex? Keep(WorkspaceDiff diff, string temporaryIndex, byte[]? seedHash)
    {
        if (!File.Exists(temporaryIndex))
        {
            return null;
        }

        var writtenAt = File.GetLastWriteTimeUtc(temporaryIndex);
        var index = File.ReadAllBytes(temporaryIndex);
        return IndexFile.Parse(index) is { Parsed: true, SelfContained: true } ? new StagedIndex(diff, index, seedHash, writtenAt) : null;
    }

    /// <summary>
    /// Makes this index the slot's index, the way git replaces it (<c>index.lock</c>, then a rename), when the slot's
    /// index is still the one it was seeded from.
    /// </summary>
    /// <param name="gitDirectory">The slot's git directory.</param>
    /// <returns>True when installed; false when the slot's index changed or is locked (then stage as usual).</returns>
    public bool TryInstall(string gitDirectory)
    {
        var indexPath = Path.Combine(gitDirectory, "index");
        var current = File.Exists(indexPath) ? File.ReadAllBytes(indexPath) : null;
        var currentHash = Hash(current);
        if (!(currentHash is null ? _seedHash is null : _seedHash is not null && currentHash.AsSpan().SequenceEqual(_seedHash)))
        {
            return false;
        }

        var lockPath = indexPath + ".lock";
        try
        {
            using (var stream = new FileStream(lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(_index);
            }
        }
        catch (IOException)
        {
            // Held by a git process (or left by one): staging as usual reports it.
            return false;
        }

        // The time git wrote it: git treats an entry as racily clean (and compares its content) by the index file's time,
        // so a later time would let a same-size edit made in the second the tree was staged pass as unchanged.
        File.SetLastWriteTimeUtc(lockPath, _writtenAt);
        File.Move(lockPath, indexPath, overwrite: true);
        return true;
    }
}
