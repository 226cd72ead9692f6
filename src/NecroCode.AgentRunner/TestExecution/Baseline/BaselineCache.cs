using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// The baselines taken, one file per base commit and test command under <c>baselines/</c> in the runner's work
/// directory. One run at a time takes a given baseline — in this process (a gate per key) and across processes
/// sharing the work directory (an exclusive lock file) — so that parallel runs on the same base wait for it and share
/// it. Files older than a week are removed when a new one is written.
/// </summary>
internal sealed class BaselineCache(TimeProvider time)
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>The cache key of a baseline.</summary>
    /// <param name="baseCommit">The base commit.</param>
    /// <param name="commands">The task's test commands (empty: the detected one, which the base commit decides).</param>
    /// <param name="results">Where the results are read from (<see cref="TestRunnerOptions.Results"/>).</param>
    /// <returns>A file-name-safe key.</returns>
    public static string Key(string baseCommit, IReadOnlyList<string> commands, string results) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', [baseCommit, results, .. commands]))))[..32];

    /// <summary>The cached baseline of <paramref name="key"/>, when there is one.</summary>
    /// <param name="folder">The cache folder.</param>
    /// <param name="key">The key.</param>
    /// <returns>The baseline, or null.</returns>
    public static TestRunResult? TryLoad(string folder, string key)
    {
        var path = Path.Combine(folder, key + ".json");
        try
        {
            return File.Exists(path) ? (TestRunResult?)JsonSerializer.Deserialize(File.ReadAllBytes(path), AgentRunnerJson.Options.GetTypeInfo(typeof(TestRunResult))) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The cached baseline of <paramref name="key"/>, or the one <paramref name="take"/> takes (stored when usable).</summary>
    /// <param name="folder">The cache folder.</param>
    /// <param name="key">The key.</param>
    /// <param name="take">Takes the baseline.</param>
    /// <param name="cancellationToken">Stops the wait and the run.</param>
    /// <returns>The baseline, and whether it came from the cache.</returns>
    public async Task<(TestRunResult Result, bool Cached)> GetOrTakeAsync(string folder, string key, Func<CancellationToken, Task<TestRunResult>> take, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await LockAsync(Path.Combine(folder, key + ".lock"), cancellationToken).ConfigureAwait(false);
            if (TryLoad(folder, key) is { } cached)
            {
                return (cached, true);
            }

            var result = await take(cancellationToken).ConfigureAwait(false);
            if (TestComparer.IsUsable(result))
            {
                Store(folder, key, result);
            }

            return (result, false);
        }
        finally
        {
            gate.Release();
        }
    }

    private void Store(string folder, string key, TestRunResult result)
    {
        var path = Path.Combine(folder, key + ".json");
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(result, AgentRunnerJson.Options.GetTypeInfo(typeof(TestRunResult))));
        File.Move(temporary, path, overwrite: true);
        var cutoff = time.GetUtcNow().UtcDateTime - Lifetime;
        foreach (var old in new DirectoryInfo(folder).EnumerateFiles("*.json").Where(f => f.LastWriteTimeUtc < cutoff))
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
                // Another runner removes it, or reads it right now.
            }
        }
    }

    /// <summary>Holds the lock file exclusively (another process holding it is waited for).</summary>
    private async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(LockPoll, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
