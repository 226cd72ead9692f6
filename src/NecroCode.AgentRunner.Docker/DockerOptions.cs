using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Docker;

/// <summary>
/// Settings of <see cref="DockerExecutionEnvironment"/>: the image, the engine, the limits and
/// the folders. Bound from <c>NecroCode:Docker</c>.
/// </summary>
public sealed class DockerOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Docker</c>.</summary>
    public const string SectionName = "NecroCode:Docker";

    /// <summary>The runner image (built from the repository's <c>Dockerfile</c>). Never pulled. Default <c>necrocode-runner:latest</c>.</summary>
    [Required]
    public string Image { get; set; } = "necrocode-runner:latest";

    /// <summary>The engine's endpoint. Default <c>unix:///var/run/docker.sock</c>.</summary>
    [Required]
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>
    /// This host runner's id, written as the <c>necrocode.runner</c> label of its containers. On the first run,
    /// containers with this label whose host process is gone (leftovers of a crash) are removed. Default
    /// <c>docker-&lt;machine&gt;</c>.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    public string RunnerId { get; set; } = "docker-" + System.Environment.MachineName.ToLowerInvariant();

    /// <summary>Where per-run job folders are created on the host (each is the container's one read-write mount). Default <c>.necrocode/docker-jobs</c>.</summary>
    [Required]
    public string JobsPath { get; set; } = Path.Combine(".necrocode", "docker-jobs");

    /// <summary>A host folder mounted read-only at <c>/necrocode/secrets</c>; secrets reach the container only this way. Default none.</summary>
    public string? SecretsPath { get; set; }

    /// <summary>Memory limit in bytes (swap included). Default 2 GiB; null: no limit.</summary>
    [Range(6L * 1024 * 1024, long.MaxValue)]
    public long? MemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>CPUs the container may use (e.g. 1.5). Default 2; null: no limit.</summary>
    [Range(0.01, 1024.0)]
    public double? Cpus { get; set; } = 2;

    /// <summary>Most processes (and threads) in the container. Default 1024; null: no limit.</summary>
    [Range(16L, 4194304L)]
    public long? PidsLimit { get; set; } = 1024;

    /// <summary>The network mode: <c>bridge</c> (default), <c>none</c>, <c>host</c> or a network's name.</summary>
    [Required]
    public string NetworkMode { get; set; } = "bridge";

    /// <summary>The user the runner runs as inside (<c>uid[:gid]</c> or a name of the image). Default the image's.</summary>
    public string? User { get; set; }

    /// <summary>Mount the image's root file system read-only (a tmpfs at <c>/tmp</c> stays writable). Default true.</summary>
    public bool ReadOnlyRootFileSystem { get; set; } = true;

    /// <summary>Size of the tmpfs at <c>/tmp</c>, in bytes. Default 256 MiB.</summary>
    [Range(1024L * 1024, long.MaxValue)]
    public long TmpfsBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Non-secret environment variables of the container.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Non-secret runner settings for the host inside, as configuration keys (e.g. <c>NecroCode:Agent:Command</c>);
    /// passed as <c>NecroCode__…</c> environment variables. The file-system root is always the job folder's <c>state</c>.
    /// </summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Further bind mounts. Empty by default: the container sees only the job folder and the secrets folder.
    /// Meant for tests and local set-ups (e.g. a bare origin reachable by its host path); keep it empty in production.
    /// </summary>
    public List<DockerMount> ExtraMounts { get; set; } = [];

    /// <summary>Longest a container may run; null (default): the task's timeout plus <see cref="TimeoutMargin"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Added to the task's timeout so that the runner inside can end the run itself first. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TimeoutMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait between the stop signal and the kill when a container is stopped. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest file the host copies out of the job folder (an artifact, the task's registry files), in bytes;
    /// a larger one is refused. Default 256 MiB.
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long MaxImportBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Believe a reported success only when the remote has it: the host asks the remote of the task's slot
    /// (<c>SlotPath</c>) which commit the reported branch points to, and it must be the reported commit. With an
    /// <see cref="IRemoteBranchReader"/> registered (<c>UseGit()</c> adds one) the query goes to the URL in the slot's
    /// configuration with the HTTPS token from the secret files of <see cref="SecretsPath"/>; without one the host runs a
    /// plain <c>git ls-remote</c> without credentials. Default true; false trusts the container's report (for an image and
    /// agent you trust, when the host cannot reach the remote).
    /// </summary>
    public bool VerifyPush { get; set; } = true;

    /// <summary>Keep the job folder after the run (for debugging). Default false: it is deleted once imported.</summary>
    public bool KeepJobFolder { get; set; }
}
