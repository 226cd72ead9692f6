using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// The folder of one run out of process, on the host: <c>&lt;jobs&gt;/&lt;runner&gt;/job-&lt;id&gt;/</c> with <c>task.json</c>,
/// <c>workspace/</c> (a copy of the task's assigned slot) and <c>state/</c> (the file-system registry, slots and
/// artifacts of the runner inside). The runner inside sees it at <see cref="MountPath"/>, its one read-write mount.
/// Everything in it after the run is untrusted: the settlement reads it only through plain paths, never following links.
/// </summary>
public sealed class RemoteJobFolder
{
    /// <summary>Where the runner inside sees the job folder unless told otherwise: <c>/necrocode/job</c>.</summary>
    public const string DefaultMountPath = "/necrocode/job";

    private const string JobPrefix = "job-";

    private RemoteJobFolder(string id, string hostPath, string mountPath)
    {
        Id = id;
        HostPath = hostPath;
        MountPath = mountPath;
    }

    /// <summary>The job's id, <c>job-&lt;uuid&gt;</c>: the folder's name, and a label of whatever runs it.</summary>
    public string Id { get; }

    /// <summary>The folder on the host (absolute).</summary>
    public string HostPath { get; }

    /// <summary>Where the runner inside sees the folder (absolute, without a trailing '/').</summary>
    public string MountPath { get; }

    /// <summary>The task file as the runner inside sees it: <c>&lt;mount&gt;/task.json</c>.</summary>
    public string MountedTaskFile => MountPath + "/task.json";

    /// <summary>The runner's file-system root as the runner inside sees it: <c>&lt;mount&gt;/state</c>.</summary>
    public string MountedStatePath => MountPath + "/state";

    /// <summary>The copy of the assigned slot as the runner inside sees it: <c>&lt;mount&gt;/workspace</c>.</summary>
    public string MountedWorkspacePath => MountPath + "/workspace";

    /// <summary>The runner's file-system root on the host.</summary>
    internal string StatePath => Path.Combine(HostPath, "state");

    /// <summary>Creates a new, empty job folder (with its <c>state/</c>) below <paramref name="jobsRoot"/>.</summary>
    /// <param name="jobsRoot">The folder of all job folders; relative to the working directory when not absolute.</param>
    /// <param name="runnerId">The host runner's id: its jobs are kept apart from other runners'.</param>
    /// <param name="mountPath">Where the runner inside sees the folder.</param>
    /// <returns>The job folder.</returns>
    /// <exception cref="ArgumentException">An argument is empty, or <paramref name="mountPath"/> is not an absolute path.</exception>
    /// <exception cref="IOException">The folder could not be created.</exception>
    public static RemoteJobFolder Create(string jobsRoot, string runnerId, string mountPath = DefaultMountPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobsRoot);
        ArgumentException.ThrowIfNullOrEmpty(runnerId);
        ArgumentException.ThrowIfNullOrEmpty(mountPath);
        if (!mountPath.StartsWith('/') || mountPath.Length < 2)
        {
            throw new ArgumentException($"The mount path '{mountPath}' is not an absolute path below '/'.", nameof(mountPath));
        }

        var id = JobPrefix + Guid.CreateVersion7().ToString("N");
        var path = Path.Combine(Path.GetFullPath(jobsRoot), runnerId, id);
        Directory.CreateDirectory(Path.Combine(path, "state"));
        return new RemoteJobFolder(id, path, mountPath.TrimEnd('/'));
    }

    /// <summary>
    /// Removes the folder of a job that an earlier, crashed host left behind, by its id (as labelled on what ran it);
    /// an id that is not a job id (<c>job-…</c>, one plain name) is ignored.
    /// </summary>
    /// <param name="jobsRoot">The folder of all job folders.</param>
    /// <param name="runnerId">The host runner's id.</param>
    /// <param name="jobId">The job's id.</param>
    /// <exception cref="IOException">The folder could not be removed.</exception>
    public static void DeleteLeftover(string jobsRoot, string runnerId, string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (!jobId.StartsWith(JobPrefix, StringComparison.Ordinal) || jobId.Contains('/', StringComparison.Ordinal))
        {
            return;
        }

        var folder = Path.Combine(Path.GetFullPath(jobsRoot), runnerId, jobId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Writes the task the runner inside reads (<see cref="MountedTaskFile"/>); an assigned slot is copied into
    /// <c>workspace/</c> (file modes and symbolic links kept) and the task's slot path rewritten to <see cref="MountedWorkspacePath"/>.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="SlotUnavailableException">The task's assigned slot does not exist.</exception>
    public async Task WriteTaskAsync(TaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var inner = task;
        if (!string.IsNullOrEmpty(task.SlotPath))
        {
            if (!Directory.Exists(task.SlotPath))
            {
                throw new SlotUnavailableException($"The assigned slot '{task.SlotPath}' does not exist.");
            }

            CopyTree(task.SlotPath, Path.Combine(HostPath, "workspace"));
            inner = task with { SlotPath = MountedWorkspacePath, SlotId = task.SlotId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(task.SlotPath)) };
        }

        await File.WriteAllTextAsync(Path.Combine(HostPath, "task.json"), AgentRunnerJson.Serialize(inner), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the folder; a file still held open leaves it for the next leftover sweep.</summary>
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

    /// <summary>
    /// Opens, for reading, a file the runner inside names by its path there (an artifact): it must be a plain path
    /// below <see cref="MountPath"/> (no <c>.</c>, <c>..</c> or empty component), no component may be a symbolic
    /// link, it must be a regular file, and at most <paramref name="maxBytes"/> long.
    /// </summary>
    /// <returns>The open file, or null with <paramref name="refusal"/> saying why it is refused.</returns>
    internal FileStream? OpenFromInside(string mountedPath, long maxBytes, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(mountedPath);
        if (!mountedPath.StartsWith(MountPath + "/", StringComparison.Ordinal))
        {
            refusal = $"'{mountedPath}' is not inside the job folder {MountPath}";
            return null;
        }

        var segments = mountedPath[(MountPath.Length + 1)..].Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\0', StringComparison.Ordinal)))
        {
            refusal = $"'{mountedPath}' is not a plain path inside the job folder (it has a '..', '.' or empty component)";
            return null;
        }

        var stream = OpenInside(segments, maxBytes, out refusal);
        if (stream is null)
        {
            refusal = $"'{mountedPath}': {refusal ?? "it does not exist"}";
        }

        return stream;
    }

    /// <summary>Opens a file below the job folder by its components, as <see cref="OpenFromInside"/> does.</summary>
    /// <returns>The open file; or null, with <paramref name="refusal"/> saying why, or null when the file does not exist.</returns>
    internal FileStream? OpenInside(IReadOnlyList<string> segments, long maxBytes, out string? refusal)
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

    /// <summary>Copies a folder tree; File.Copy keeps the Unix mode bits, symbolic links stay links.</summary>
    private static void CopyTree(string source, string target)
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
