using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// A git-free <see cref="IWorkspaceManager"/> for unit tests: it snapshots the files of a folder when
/// preparing and reports changes against that snapshot. Commits and pushes are only recorded.
/// </summary>
public sealed class FakeWorkspaceManager : IWorkspaceManager
{
    private readonly ConcurrentDictionary<string, Dictionary<string, string>> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<CommitRequest> _commits = new();
    private readonly ConcurrentQueue<PushRequest> _pushes = new();
    private readonly ConcurrentQueue<string> _rollbacks = new();

    /// <summary>When set, pushes fail with this error.</summary>
    public string? PushError { get; set; }

    /// <summary>Every commit made, in order.</summary>
    public IReadOnlyList<CommitRequest> Commits => [.. _commits];

    /// <summary>Every push attempted, in order.</summary>
    public IReadOnlyList<PushRequest> Pushes => [.. _pushes];

    /// <summary>Every workspace rolled back, in order.</summary>
    public IReadOnlyList<string> Rollbacks => [.. _rollbacks];

    /// <inheritdoc />
    public Task<PreparedWorkspace> PrepareAsync(WorkspaceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Directory.CreateDirectory(request.Path);
        var snapshot = Snapshot(request.Path);
        _snapshots[request.Path] = snapshot;
        return Task.FromResult(new PreparedWorkspace(request.Path, request.Branch, Id(snapshot)));
    }

    /// <inheritdoc />
    public Task<WorkspaceDiff> GetDiffAsync(string path, string baseCommit, CancellationToken cancellationToken)
    {
        var before = _snapshots.TryGetValue(path, out var snapshot) ? snapshot : [];
        var after = Snapshot(path);
        var changes = new List<FileChange>();
        foreach (var (file, hash) in after.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(file, out var old))
            {
                changes.Add(new FileChange(file, FileChangeKind.Added));
            }
            else if (old != hash)
            {
                changes.Add(new FileChange(file, FileChangeKind.Modified));
            }
        }

        changes.AddRange(before.Keys.Where(f => !after.ContainsKey(f)).Order(StringComparer.Ordinal).Select(f => new FileChange(f, FileChangeKind.Deleted)));
        var patch = new StringBuilder();
        foreach (var change in changes)
        {
            patch.Append(change.Kind.ToString().ToLowerInvariant()).Append(' ').AppendLine(change.Path);
            if (change.Kind != FileChangeKind.Deleted)
            {
                patch.AppendLine(File.ReadAllText(Path.Combine(path, change.Path)));
            }
        }

        return Task.FromResult(new WorkspaceDiff(patch.ToString(), changes));
    }

    /// <inheritdoc />
    public Task<string> CommitAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _commits.Enqueue(request);
        var snapshot = Snapshot(request.Path);
        _snapshots[request.Path] = snapshot;
        return Task.FromResult(Id(snapshot));
    }

    /// <inheritdoc />
    public Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _pushes.Enqueue(request);
        return Task.FromResult(PushError is { } error
            ? new PushResult(false, "origin", request.Branch, null, 1, error)
            : new PushResult(true, "origin", request.Branch, _snapshots.TryGetValue(request.Path, out var s) ? Id(s) : null, 1));
    }

    /// <inheritdoc />
    public Task RollbackAsync(string path, CancellationToken cancellationToken)
    {
        _rollbacks.Enqueue(path);
        return Task.CompletedTask;
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".git/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, f)))), StringComparer.Ordinal);

    private static string Id(Dictionary<string, string> snapshot) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', snapshot.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + " " + p.Value)))))[..40];
}
