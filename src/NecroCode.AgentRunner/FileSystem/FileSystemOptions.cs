using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// Where the embedded, server-less defaults keep their data: the task registry, the slot pool and the
/// artifact store. Several runner processes (on one machine, or several sharing a local-semantics
/// file system) may point at the same folders at once.
/// </summary>
/// <remarks>
/// Layout under <see cref="RootPath"/> by default:
/// <c>registry/</c> (tasks/&lt;spec&gt;/&lt;task&gt;.json, .events.jsonl, .queued.json, runners/&lt;runner&gt;.json, queue/doorbell),
/// <c>slots/</c> (one clone per subfolder) and <c>artifacts/</c> (&lt;spec&gt;/&lt;task&gt;/&lt;runner&gt;/&lt;name&gt;).
/// Relative paths are resolved against the current directory when a service is created.
/// </remarks>
public sealed class FileSystemOptions
{
    /// <summary>The configuration section these options bind to, under the runner's: <c>NecroCode:FileSystem</c>.</summary>
    public const string SectionName = "NecroCode:FileSystem";

    /// <summary>
    /// The folder everything lives under unless placed elsewhere. Default <c>.necrocode</c> in the current
    /// directory (like <c>.git</c>: the runners started from one folder share one registry and pool). Created on
    /// first use when missing, but only inside an existing folder: a path whose parent does not exist is refused at
    /// validation (as are the other folders' paths), before anything is created.
    /// </summary>
    [Required]
    public string RootPath { get; set; } = ".necrocode";

    /// <summary>The task registry's folder. Default <c>registry</c> under <see cref="RootPath"/>.</summary>
    public string? RegistryPath { get; set; }

    /// <summary>The slot pool's folder: each subfolder is a slot (a clone). Default <c>slots</c> under <see cref="RootPath"/>.</summary>
    public string? SlotsPath { get; set; }

    /// <summary>The artifact store's folder. Default <c>artifacts</c> under <see cref="RootPath"/>.</summary>
    public string? ArtifactsPath { get; set; }

    /// <summary>
    /// How many slots the pool may grow to by itself: when no slot is free and fewer than this many are in rotation, a
    /// new empty slot (<c>slot-N</c>) is created and handed out, and the workspace provider initialises it from its
    /// origin (<c>NecroCode:Git:Origin</c>). Default 0: the pool is the folders that are there.
    /// </summary>
    [Range(0, 1000)]
    public int PoolSize { get; set; }

    /// <summary>Longest wait for a registry lock held by another runner. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a free slot when all are leased. Default zero: fail at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SlotAcquireTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>How often a waiting slot request looks again. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SlotPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    internal string GetRegistryPath() => Resolve(RegistryPath, "registry");

    internal string GetSlotsPath() => Resolve(SlotsPath, "slots");

    internal string GetArtifactsPath() => Resolve(ArtifactsPath, "artifacts");

    private string Resolve(string? path, string defaultName) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(path ?? Path.Combine(RootPath, defaultName)));
}
