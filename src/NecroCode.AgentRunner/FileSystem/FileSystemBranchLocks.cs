using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Concurrency;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// Branch locks beside the embedded task registry: <c>&lt;registry&gt;/branches/&lt;sha-256 of the branch name, hex&gt;.lock</c>,
/// each an exclusive <c>flock</c> that records the holding runner, process and time. Any branch name maps to a
/// safe file name; runners sharing the registry folder exclude each other, and a crashed holder's lock is
/// freed by the kernel.
/// </summary>
internal sealed partial class FileSystemBranchLocks : IBranchLock
{
    private readonly string _folder;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FileSystemBranchLocks> _logger;

    /// <summary>Creates the locks under <see cref="FileSystemOptions.RegistryPath"/>.</summary>
    /// <param name="options">Where the registry is.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public FileSystemBranchLocks(IOptions<FileSystemOptions> options, TimeProvider timeProvider, ILogger<FileSystemBranchLocks> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _folder = Path.Combine(options.Value.GetRegistryPath(), "branches");
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireBranchAsync(string branch, string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"The wait for branch '{branch}' must not be negative (got {wait}).", nameof(wait));
        }

        var path = LockPath(branch);
        var start = _timeProvider.GetTimestamp();
        FileLock held;
        try
        {
            held = await FileLock.AcquireAsync(path, FileLockMode.Exclusive, wait, _timeProvider, runnerId, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var owner = FileLock.ReadOwner(path);
            Log.BranchBusy(_logger, branch, runnerId, owner?.Describe() ?? "unknown");
            throw new TaskConflictException(
                $"Branch '{branch}' is being pushed by " +
                (owner is null ? "another runner" : $"runner {owner.Describe()} since {owner.AcquiredAt:O}") +
                $"; runner {runnerId} waited {wait.TotalSeconds:0.###} s for it (lock '{path}').",
                owner?.Holder);
        }
        catch (IOException ex)
        {
            throw new RegistryException($"The branch lock '{path}' for '{branch}' could not be taken: {ex.Message}", ex, isTransient: true);
        }

        Log.BranchAcquired(_logger, branch, runnerId, _timeProvider.GetElapsedTime(start).TotalMilliseconds);
        return new Held(this, held, branch, runnerId);
    }

    /// <summary>The lock file of a branch: the hex SHA-256 of its UTF-8 name, so that any name is a safe file name.</summary>
    /// <param name="branch">The branch.</param>
    /// <returns>The lock file's path.</returns>
    internal string LockPath(string branch) =>
        Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(branch))) + ".lock");

    private sealed class Held(FileSystemBranchLocks owner, FileLock fileLock, string branch, string runnerId) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                fileLock.Dispose();
                Log.BranchReleased(owner._logger, branch, runnerId);
            }

            return ValueTask.CompletedTask;
        }
    }
}
