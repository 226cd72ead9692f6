namespace NecroCode.AgentRunner.Docker;

/// <summary>
/// The per-run job folder on the host, the container's one read-write mount at <see cref="MountPath"/>:
/// <c>task.json</c>, <c>workspace/</c> (a copy of the assigned slot) and <c>state/</c> (the runner's
/// file-system registry, slots and artifacts inside the container).
/// </summary>
internal sealed class DockerJob
{
    public const string MountPath = "/necrocode/job";
    public const string SecretsMountPath = "/necrocode/secrets";

    private DockerJob(string id, string hostPath)
    {
        Id = id;
        HostPath = hostPath;
    }

    public string Id { get; }

    public string HostPath { get; }

    public string StatePath => Path.Combine(HostPath, "state");

    public string TaskFile => Path.Combine(HostPath, "task.json");

    public static string ContainerTaskFile => MountPath + "/task.json";

    public static string ContainerStatePath => MountPath + "/state";

    public static string ContainerWorkspacePath => MountPath + "/workspace";

    public static DockerJob Create(string jobsRoot, string runnerId)
    {
        var id = "job-" + Guid.CreateVersion7().ToString("N");
        var path = Path.Combine(Path.GetFullPath(jobsRoot), runnerId, id);
        Directory.CreateDirectory(Path.Combine(path, "state"));
        return new DockerJob(id, path);
    }

    /// <summary>Writes the task the runner inside reads; an assigned slot is copied into <c>workspace/</c>.</summary>
    public async Task WriteTaskAsync(TaskContext task, CancellationToken cancellationToken)
    {
        var inner = task;
        if (!string.IsNullOrEmpty(task.SlotPath))
        {
            if (!Directory.Exists(task.SlotPath))
            {
                throw new SlotUnavailableException($"The assigned slot '{task.SlotPath}' does not exist.");
            }

            CopyTree(task.SlotPath, Path.Combine(HostPath, "workspace"));
            inner = task with { SlotPath = ContainerWorkspacePath, SlotId = task.SlotId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(task.SlotPath)) };
        }

        await File.WriteAllTextAsync(TaskFile, AgentRunnerJson.Serialize(inner), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens, for reading, a file the container names by its path inside (an artifact): it must be a plain path
    /// below <see cref="MountPath"/> (no <c>.</c>, <c>..</c> or empty component), no component may be a symbolic
    /// link, it must be a regular file, and at most <paramref name="maxBytes"/> long.
    /// </summary>
    /// <returns>The open file, or null with <paramref name="refusal"/> saying why it is refused.</returns>
    public FileStream? OpenFromContainer(string containerPath, long maxBytes, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(containerPath);
        if (!containerPath.StartsWith(MountPath + "/", StringComparison.Ordinal))
        {
            refusal = $"'{containerPath}' is not inside the job folder {MountPath}";
            return null;
        }

        var segments = containerPath[(MountPath.Length + 1)..].Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\0', StringComparison.Ordinal)))
        {
            refusal = $"'{containerPath}' is not a plain path inside the job folder (it has a '..', '.' or empty component)";
            return null;
        }

        var stream = OpenInside(segments, maxBytes, out refusal);
        if (stream is null)
        {
            refusal = $"'{containerPath}': {refusal ?? "it does not exist"}";
        }

        return stream;
    }

    /// <summary>Opens a file below the job folder by its components, as <see cref="OpenFromContainer"/> does.</summary>
    /// <returns>The open file; or null, with <paramref name="refusal"/> saying why, or null when the file does not exist.</returns>
    public FileStream? OpenInside(IReadOnlyList<string> segments, long maxBytes, out string? refusal)
    {
        var stream = NoFollowFile.TryOpen(HostPath, segments, out refusal);
        if (stream is not null && stream.Length > maxBytes)
        {
            refusal = $"it is {stream.Length} bytes, more than the limit of {maxBytes}";
            stream.Dispose();
            return null;
        }

        return stream;
    }

    public void Delete()
    {
        try
        {
            if (Directory.Exists(HostPath))
            {
                Directory.Delete(HostPath, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held open; the folder is removed with the next leftover sweep.
        }
    }

    /// <summary>Copies a folder tree; File.Copy keeps the Unix mode bits, symbolic links stay links.</summary>
    internal static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                CopyTree(directory.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination);
            }
        }
    }
}
