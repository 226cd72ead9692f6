using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Concurrency;

/// <summary>
/// How many runs may execute at once on this host, across every runner process that shares the lock
/// folder. All runners of a host should use the same <see cref="MaxParallelRuns"/>: the limit is
/// the number of slot files a runner looks at.
/// </summary>
public sealed class ConcurrencyOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Concurrency</c>.</summary>
    public const string SectionName = "NecroCode:Concurrency";

    /// <summary>Most runs at once on this host. Default <see cref="Environment.ProcessorCount"/>.</summary>
    [Range(1, 1024)]
    public int MaxParallelRuns { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The folder of the run-slot lock files (<c>0.lock</c> … <c>N-1.lock</c>). Default <c>run-slots</c> under
    /// <see cref="FileSystem.FileSystemOptions.RootPath"/>. Relative paths are resolved against the current
    /// directory when the limiter is created.
    /// </summary>
    [MinLength(1)]
    public string? LockFolder { get; set; }
}
